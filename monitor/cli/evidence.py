"""`kalkan verify`: is an evidence bundle exactly what Kalkan exported?

Exit 0 when intact, 1 naming each altered, missing or added file, 2 (one line, from the
`kalkan` entry point) when the path is not a bundle at all. The manifest signature is
checked with this installation's key when it has one; the command never creates a key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from monitor.case.verify import verify_bundle
from monitor.config import get_settings
from monitor.errors import ConfigurationError
from monitor.security.keys import existing_keys

SIGNATURE_NOTES = {
    "valid": "manifest signature valid (signed by this installation)",
    "unsigned": "manifest is not signed",
    "other-installation": "manifest signed by another installation (signature not checked)",
}


def verify(
    bundle: Annotated[Path, typer.Argument(help="The evidence bundle (.zip)")],
    require_signature: Annotated[
        bool,
        typer.Option(
            "--require-signature",
            help="Also fail unless this installation's signature on it is valid",
        ),
    ] = False,
) -> None:
    """Check an evidence bundle's files against its manifest (SHA-256, nothing added)."""
    key, why_no_key = _evidence_key()
    verdict = verify_bundle(bundle, key=key)
    for problem in verdict.problems:
        typer.echo(f"kalkan: verify: {problem}", err=True)
    note = SIGNATURE_NOTES.get(verdict.signature or "", why_no_key)
    if require_signature and verdict.signature != "valid" and verdict.intact:
        typer.echo(f"kalkan: verify: signature required: {note}", err=True)
        raise typer.Exit(1)
    if not verdict.intact:
        typer.echo(f"{bundle}: NOT intact ({len(verdict.problems)} problems)", err=True)
        raise typer.Exit(1)
    typer.echo(f"{bundle}: intact, {verdict.files} files match the manifest; {note}")


def _evidence_key() -> tuple[bytes | None, str]:
    """This installation's evidence key, or None with the reason the signature is unchecked."""
    try:
        keys = existing_keys(get_settings())
    except (ConfigurationError, ValueError, OSError) as exc:
        return None, f"signature not checked ({getattr(exc, 'message', exc)})"
    if keys is None:
        return None, "signature not checked (no Kalkan installation key here)"
    return keys.evidence_hmac, ""


def register(app: typer.Typer) -> None:
    """Add `kalkan verify` to the `kalkan` app."""
    app.command()(verify)
