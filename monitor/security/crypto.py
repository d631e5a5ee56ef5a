"""Encryption at rest and keyed hashes for the most dangerous data: contact details."""

from __future__ import annotations

import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from monitor.errors import ConfigurationError

_NONCE_BYTES = 12
_VERSION = b"\x01"


class ContactCipher:
    """AES-256-GCM with the contact kind as associated data, so rows cannot be swapped."""

    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    def encrypt(self, kind: str, plaintext: str) -> bytes:
        """Encrypt one value; the output embeds a version byte and a random nonce."""
        nonce = os.urandom(_NONCE_BYTES)
        return _VERSION + nonce + self._aead.encrypt(nonce, plaintext.encode(), kind.encode())

    def decrypt(self, kind: str, blob: bytes) -> str:
        """Decrypt a value written by `encrypt`; a wrong key is a configuration error."""
        if blob[:1] != _VERSION:
            raise ConfigurationError("unknown contact-detail encryption version")
        nonce, body = blob[1 : 1 + _NONCE_BYTES], blob[1 + _NONCE_BYTES :]
        try:
            return self._aead.decrypt(nonce, body, kind.encode()).decode()
        except InvalidTag:
            raise ConfigurationError(
                "cannot decrypt stored contact details: KALKAN_SECRET_KEY (or var/secret.key) "
                "is not the key they were written with"
            ) from None


def keyed_hash(key: bytes, kind: str, normalised: str) -> str:
    """HMAC-SHA256 of a normalised contact detail: matchable, useless without the key."""
    return hmac.new(key, f"{kind}\x00{normalised}".encode(), hashlib.sha256).hexdigest()
