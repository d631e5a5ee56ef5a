"""Make the pipeline fixtures visible to the tests in this folder."""

from pipeline_support import keys, seeded  # noqa: F401 - pytest fixtures
from support.http_server import http_server  # noqa: F401 - pytest fixture (fake platforms)
