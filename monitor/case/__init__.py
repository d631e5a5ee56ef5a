"""Case files: opening them from alerts, and exporting their evidence as a verifiable bundle."""
