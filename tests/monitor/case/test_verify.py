"""Verifying bundles: every kind of tampering is named; what is not a bundle is bad input."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from builders import NOW

from monitor.case.bundle import write_zip
from monitor.case.manifest import build_manifest, dump_manifest, sign_manifest
from monitor.case.verify import verify_bundle
from monitor.errors import InputError

KEY = b"k" * 32
FILES = {
    "case.json": b'{"case": {"id": 7}}\n',
    "posts/post-000000001.json": '{"text": "Айгуль, мы знаем"}\n'.encode(),
    "summary.html": b"<!doctype html><p>summary</p>\n",
}
POST = "posts/post-000000001.json"


def bundle(files: dict[str, bytes] = FILES, *, key: bytes | None = KEY) -> bytes:
    manifest = build_manifest(files, case_id=7)
    signed = sign_manifest(manifest, key) if key else manifest
    return write_zip(files, dump_manifest(signed), at=NOW)


def rezip(data: bytes, change: Callable[[dict[str, bytes]], None]) -> bytes:
    """Rewrite the archive with its entries changed the way an editor would."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    change(entries)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


def save(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "bundle.zip"
    path.write_bytes(data)
    return path


def flip_one_byte(entries: dict[str, bytes]) -> None:
    content = bytearray(entries[POST])
    content[3] ^= 0x01
    entries[POST] = bytes(content)


def test_an_intact_bundle(tmp_path: Path) -> None:
    path = save(tmp_path, bundle())
    verdict = verify_bundle(path, key=KEY)
    assert verdict.intact and verdict.files == 3 and verdict.signature == "valid"
    assert verify_bundle(path, key=b"o" * 32).signature == "other-installation"
    assert verify_bundle(path).signature is None
    assert verify_bundle(save(tmp_path, bundle(key=None)), key=KEY).signature == "unsigned"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (flip_one_byte, f"altered: {POST} (SHA-256 differs from the manifest)"),
        (lambda e: e.update({POST: e[POST] + b" "}), f"altered: {POST}"),
        (lambda e: e.pop(POST), f"missing: {POST}"),
        (lambda e: e.update({"posts/extra.json": b"{}"}), "unlisted: posts/extra.json"),
    ],
    ids=["one-byte", "appended", "removed", "added"],
)
def test_tampering_is_named(
    tmp_path: Path, change: Callable[[dict[str, bytes]], None], problem: str
) -> None:
    verdict = verify_bundle(save(tmp_path, rezip(bundle(), change)), key=KEY)
    assert not verdict.intact
    assert len(verdict.problems) == 1 and verdict.problems[0].startswith(problem)


def test_a_duplicated_entry_is_named(tmp_path: Path) -> None:
    data = bundle()
    out = io.BytesIO(data)
    with pytest.warns(UserWarning), zipfile.ZipFile(out, "a") as archive:
        archive.writestr(POST, b"{}")
    verdict = verify_bundle(save(tmp_path, out.getvalue()), key=KEY)
    assert f"duplicated: {POST} (stored more than once)" in verdict.problems


def test_file_and_manifest_edited_together_only_the_signature_tells(tmp_path: Path) -> None:
    def forge(entries: dict[str, bytes]) -> None:
        flip_one_byte(entries)
        manifest = json.loads(entries["manifest.json"])
        resigned = build_manifest({n: c for n, c in entries.items() if n != "manifest.json"})
        manifest["files"] = resigned["files"]
        entries["manifest.json"] = dump_manifest(manifest)

    path = save(tmp_path, rezip(bundle(), forge))
    assert verify_bundle(path).intact  # hashes alone cannot tell
    verdict = verify_bundle(path, key=KEY)
    assert verdict.problems == [
        "altered: manifest.json (its signature does not match: the manifest changed)"
    ]


def test_bytes_damaged_inside_the_archive(tmp_path: Path) -> None:
    data = bytearray(bundle())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo(POST)
    name_len = int.from_bytes(data[info.header_offset + 26 : info.header_offset + 28], "little")
    extra_len = int.from_bytes(data[info.header_offset + 28 : info.header_offset + 30], "little")
    data[info.header_offset + 30 + name_len + extra_len + 2] ^= 0xFF
    verdict = verify_bundle(save(tmp_path, bytes(data)), key=KEY)
    assert len(verdict.problems) == 1
    assert verdict.problems[0].startswith(f"altered: {POST} (damaged in the archive")


def test_what_is_not_a_bundle_is_bad_input(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not a zip")
    with pytest.raises(InputError, match="is not a ZIP file"):
        verify_bundle(text)
    with pytest.raises(InputError, match="no such file"):
        verify_bundle(tmp_path / "absent.zip")
    with pytest.raises(InputError, match="is not a ZIP file"):
        verify_bundle(save(tmp_path, bundle()[:-30]))
    no_manifest = rezip(bundle(), lambda e: e.pop("manifest.json"))
    with pytest.raises(InputError, match=r"has no manifest\.json"):
        verify_bundle(save(tmp_path, no_manifest))
    garbled = rezip(bundle(), lambda e: e.update({"manifest.json": b"{nope"}))
    with pytest.raises(InputError, match="not valid JSON"):
        verify_bundle(save(tmp_path, garbled))
