"""Key material and contact-detail encryption: what an attacker with a dump cannot do."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from monitor.config import Settings
from monitor.errors import ConfigurationError
from monitor.security.crypto import ContactCipher, keyed_hash
from monitor.security.keys import derive_keys, existing_keys


def settings_in(tmp_path: Path, **overrides: object) -> Settings:
    return Settings(env="test", data_dir=tmp_path, database_url="sqlite://", **overrides)


def test_a_secret_is_generated_once_with_owner_only_permissions(tmp_path: Path) -> None:
    first = derive_keys(settings_in(tmp_path))
    assert (tmp_path / "secret.key").stat().st_mode & 0o777 == 0o600
    assert derive_keys(settings_in(tmp_path)) == first


def test_a_secret_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    derive_keys(settings_in(tmp_path))
    os.chmod(tmp_path / "secret.key", 0o644)
    with pytest.raises(ConfigurationError, match="chmod 600"):
        derive_keys(settings_in(tmp_path))


def test_every_purpose_gets_its_own_key(tmp_path: Path) -> None:
    keys = derive_keys(settings_in(tmp_path))
    purposes = {keys.session, keys.encryption, keys.lookup_hmac, keys.token_hmac}
    assert len(purposes | {keys.evidence_hmac}) == 5


def test_existing_keys_never_creates_a_secret(tmp_path: Path) -> None:
    assert existing_keys(settings_in(tmp_path)) is None
    assert not (tmp_path / "secret.key").exists()
    assert existing_keys(settings_in(tmp_path)) is None
    created = derive_keys(settings_in(tmp_path))
    assert existing_keys(settings_in(tmp_path)) == created


def test_placeholder_secrets_are_refused_in_production(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="placeholder"):
        Settings(env="production", data_dir=tmp_path, secret_key="changeme")
    Settings(env="dev", data_dir=tmp_path, secret_key="changeme")  # fine while developing


def test_contact_details_round_trip_and_are_not_stored_in_clear(tmp_path: Path) -> None:
    cipher = ContactCipher(derive_keys(settings_in(tmp_path)).encryption)
    blob = cipher.encrypt("phone", "+77015552347")
    assert b"7015552347" not in blob
    assert cipher.encrypt("phone", "+77015552347") != blob, "a fresh nonce every time"
    assert cipher.decrypt("phone", blob) == "+77015552347"


def test_a_ciphertext_moved_to_another_kind_or_key_does_not_decrypt(tmp_path: Path) -> None:
    cipher = ContactCipher(derive_keys(settings_in(tmp_path / "a")).encryption)
    other = ContactCipher(derive_keys(settings_in(tmp_path / "b")).encryption)
    blob = cipher.encrypt("phone", "+77015552347")
    with pytest.raises(ConfigurationError):
        cipher.decrypt("email", blob)
    with pytest.raises(ConfigurationError, match="not the key"):
        other.decrypt("phone", blob)


def test_keyed_hashes_match_only_under_the_same_key(tmp_path: Path) -> None:
    key_a = derive_keys(settings_in(tmp_path / "a")).lookup_hmac
    key_b = derive_keys(settings_in(tmp_path / "b")).lookup_hmac
    assert keyed_hash(key_a, "phone", "+77015552347") == keyed_hash(key_a, "phone", "+77015552347")
    assert keyed_hash(key_a, "phone", "+77015552347") != keyed_hash(key_b, "phone", "+77015552347")
    assert keyed_hash(key_a, "phone", "x") != keyed_hash(key_a, "email", "x")
