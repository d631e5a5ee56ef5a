"""Defenders: registering them (with encrypted contact details) and rebuilding matcher input."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from monitor.defender import repository
from monitor.matching.normalize import normalize_contact
from monitor.matching.types import DefenderProfile
from monitor.models import ContactDetail, Defender, DefenderName
from monitor.security.crypto import ContactCipher, keyed_hash
from monitor.security.keys import Keys

_CONTACT_FIELDS = {"phone": "phones", "email": "emails", "address": "addresses"}


def mask_contact(kind: str, normalised: str) -> str:
    """A display form that confirms which detail it is without revealing it."""
    if kind == "phone":
        return normalised[:4] + "•" * max(len(normalised) - 6, 0) + normalised[-2:]
    if kind == "email":
        local, _, domain = normalised.partition("@")
        return f"{local[:1]}•••@{domain}"
    return normalised[:3] + "•••"


def register_defenders(
    session: Session, *, profiles: Sequence[DefenderProfile], keys: Keys, now: datetime
) -> list[Defender]:
    """Create or update defenders from profiles (e.g. a defenders file); contacts encrypted."""
    cipher = ContactCipher(keys.encryption)
    saved = []
    for profile in profiles:
        defender = repository.get_by_slug(session, profile.id) or Defender(slug=profile.id)
        defender.display_name = profile.name
        defender.gender = profile.gender
        defender.country = profile.country
        defender.updated_at = now
        if defender.id is None:
            defender.consent_at = now
            session.add(defender)
            session.flush()
        repository.replace_names(session, defender, _names_of(profile))
        repository.replace_contacts(session, defender, _contacts_of(profile, cipher, keys))
        saved.append(defender)
    session.flush()
    return saved


def _names_of(profile: DefenderProfile) -> list[DefenderName]:
    names = [DefenderName(kind="name", value=profile.name)]
    names += [DefenderName(kind="alias", value=alias) for alias in profile.aliases]
    names += [DefenderName(kind="handle", value=handle) for handle in profile.handles]
    return names


def _contacts_of(
    profile: DefenderProfile, cipher: ContactCipher, keys: Keys
) -> list[ContactDetail]:
    contacts: dict[tuple[str, str], ContactDetail] = {}
    for kind, field in _CONTACT_FIELDS.items():
        for value in getattr(profile, field):
            normalised = normalize_contact(kind, value, country=profile.country)
            lookup = keyed_hash(keys.lookup_hmac, kind, normalised)
            contacts[(kind, lookup)] = ContactDetail(
                kind=kind,
                ciphertext=cipher.encrypt(kind, value),
                lookup_hash=lookup,
                masked=mask_contact(kind, normalised),
            )
    return list(contacts.values())


def load_profiles(
    session: Session, *, keys: Keys, include_inactive: bool = False
) -> list[DefenderProfile]:
    """Every active defender (or every one) as matcher input, contacts decrypted in memory only.

    Redacting evidence bundles takes them all: a paused defender's number is still theirs.
    """
    cipher = ContactCipher(keys.encryption)
    profiles = []
    for defender in repository.list_with_details(session, active_only=not include_inactive):
        by_kind: dict[str, list[str]] = {"phone": [], "email": [], "address": []}
        for contact in defender.contacts:
            if contact.kind in by_kind:
                by_kind[contact.kind].append(cipher.decrypt(contact.kind, contact.ciphertext))
        names = {
            kind: [n.value for n in defender.names if n.kind == kind]
            for kind in ("alias", "handle")
        }
        profiles.append(
            DefenderProfile(
                id=defender.slug,
                name=defender.display_name,
                gender=defender.gender,
                aliases=tuple(names["alias"]),
                handles=tuple(names["handle"]),
                phones=tuple(by_kind["phone"]),
                emails=tuple(by_kind["email"]),
                addresses=tuple(by_kind["address"]),
                country=defender.country,
            )
        )
    return profiles


def profiles_fingerprint(session: Session) -> str:
    """Changes whenever any defender, name or contact changes: tells when to rebuild."""
    state = repository.change_markers(session)
    return hashlib.sha256(repr(state).encode()).hexdigest()
