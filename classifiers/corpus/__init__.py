"""The project-written training/evaluation corpus: templates, slot values and expansion."""
