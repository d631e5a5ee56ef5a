"""Make the pipeline fixtures visible to the tests in this folder."""

from pipeline_support import keys, seeded  # noqa: F401 - pytest fixtures
