"""`kalkan verify` on a real exported bundle: exit 0 intact, 1 naming what changed, 2 bad input."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

from builders import NOW, make_alert, make_post, make_user
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from monitor.case.bundle import export_case
from monitor.case.service import open_case
from monitor.cli import app
from monitor.config import Settings, get_settings
from monitor.security.keys import derive_keys


def exported(session: Session, settings: Settings, tmp_path: Path) -> Path:
    keys = derive_keys(settings)
    officer = make_user(session)
    posts = [make_post(session, text=f"Фиктивная угроза {i}") for i in range(2)]
    case = open_case(
        session,
        title="t",
        alert_ids=[make_alert(session, posts=posts).id],
        user=officer,
        now=NOW,
    )
    path = tmp_path / "bundle.zip"
    path.write_bytes(export_case(session, case_id=case.id, user=officer, keys=keys, now=NOW).data)
    return path


def verify(*args: str, data_dir: Path) -> tuple[int, str, str]:
    """Run `kalkan verify` in-process with this data dir (settings are cached per process)."""
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["verify", *args], env={"KALKAN_DATA_DIR": str(data_dir)})
    finally:
        get_settings.cache_clear()
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_round_trip_and_one_altered_byte(
    session: Session, settings: Settings, tmp_path: Path
) -> None:
    path = exported(session, settings, tmp_path)
    code, out, _ = verify(str(path), "--require-signature", data_dir=settings.data_dir)
    assert code == 0 and "intact, 5 files match" in out and "signature valid" in out
    code, out, _ = verify(str(path), data_dir=tmp_path / "elsewhere")
    assert code == 0 and "signature not checked (no Kalkan installation key here)" in out
    assert not (tmp_path / "elsewhere").exists()  # verifying never creates a key

    with zipfile.ZipFile(path) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    victim = sorted(name for name in entries if name.startswith("posts/"))[0]
    entries[victim] = entries[victim].replace("угроза".encode(), "угрозы".encode(), 1)
    out_zip = io.BytesIO()
    with zipfile.ZipFile(out_zip, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    path.write_bytes(out_zip.getvalue())
    code, out, err = verify(str(path), data_dir=settings.data_dir)
    assert code == 1 and out == ""
    assert f"kalkan: verify: altered: {victim} (SHA-256 differs from the manifest)" in err
    assert "NOT intact (1 problems)" in err


def test_a_signature_can_be_required(tmp_path: Path) -> None:
    path = tmp_path / "unsigned.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("manifest.json", '{"format": "kalkan-evidence/1", "files": []}')
    code, out, _ = verify(str(path), data_dir=tmp_path)
    assert code == 0 and "0 files match" in out
    code, _, err = verify(str(path), "--require-signature", data_dir=tmp_path)
    assert code == 1 and "signature required" in err


def test_not_a_zip_is_one_line_without_traceback(tmp_path: Path) -> None:
    notes = tmp_path / "notes.zip"
    notes.write_text("just text")
    result = subprocess.run(
        [sys.executable, "-m", "monitor", "verify", str(notes)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        f"kalkan: error: {notes} is not a ZIP file (File is not a zip file)"
    ]
