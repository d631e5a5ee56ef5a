"""Source credentials (API keys, tokens, app passwords) are sealed, never stored in clear.

A sources file may carry secrets; the database keeps the public options in `config` and the
secret ones encrypted in `secret_options`, so a dump of the sources table leaks no keys.
"""

from __future__ import annotations

import json
from typing import Any

from monitor.security.crypto import ContactCipher
from monitor.security.keys import Keys

#: Option names whose values are credentials.
SECRET_OPTION_NAMES = frozenset(
    {"access_token", "api_key", "app_password", "password", "token", "secret", "client_secret"}
)
_PURPOSE = "source-options"


def split_secrets(options: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(public options, secret options)."""
    public = {k: v for k, v in options.items() if k not in SECRET_OPTION_NAMES}
    secret = {k: v for k, v in options.items() if k in SECRET_OPTION_NAMES}
    return public, secret


def seal(keys: Keys, secret: dict[str, Any]) -> bytes | None:
    """Encrypt secret options (None when there are none)."""
    if not secret:
        return None
    return ContactCipher(keys.encryption).encrypt(_PURPOSE, json.dumps(secret))


def unseal(keys: Keys, blob: bytes | None) -> dict[str, Any]:
    """Decrypt what `seal` wrote."""
    if not blob:
        return {}
    return dict(json.loads(ContactCipher(keys.encryption).decrypt(_PURPOSE, blob)))
