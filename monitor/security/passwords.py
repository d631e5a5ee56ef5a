"""Password and API-token hashing."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()

#: Verified against when a user does not exist, so timing does not reveal usernames.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    """Argon2id hash with the library's current recommended parameters."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches; constant work whether or not the user exists."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def new_api_token() -> str:
    """A random bearer token, shown once; only its keyed hash is stored."""
    return "klk_" + secrets.token_urlsafe(32)


def hash_api_token(key: bytes, token: str) -> str:
    """Keyed hash of a bearer token, used to look it up without storing it."""
    return hmac.new(key, token.encode(), hashlib.sha256).hexdigest()
