"""Domain errors: each carries the HTTP status it maps to, rendered by one handler.

KalkanError
 ├── InputError        (400) bad file, bad line, bad option — the user can fix it
 ├── NotFound          (404)
 ├── Conflict          (409)
 ├── Unprocessable     (422) well-formed, but names things that do not exist
 ├── PermissionDenied  (403)
 └── ConfigurationError(500) the deployment is misconfigured; the operator must act
"""

from __future__ import annotations


class KalkanError(Exception):
    """Base of every error the domain raises on purpose; `message` is safe to show."""

    status_code = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(KalkanError):
    """Bad input a person can fix: a malformed file, line or option."""

    status_code = 400


class NotFound(KalkanError):
    """The thing asked for does not exist (or the caller may not know it exists)."""

    status_code = 404


class Conflict(KalkanError):
    """The request contradicts the current state, e.g. a duplicate name."""

    status_code = 409


class Unprocessable(KalkanError):
    """A well-formed request that refers to records that do not exist (e.g. unknown ids)."""

    status_code = 422


class PermissionDenied(KalkanError):
    """The caller is known but not allowed to do this."""

    status_code = 403


class ConfigurationError(KalkanError):
    """The deployment's settings are wrong; the message says which one and how to fix it."""

    status_code = 500
