"""A real SMTP server on 127.0.0.1 for the mail tests."""

from support.smtp_server import smtp_server  # noqa: F401 - pytest fixture
