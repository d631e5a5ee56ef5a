"""Evidence bundles: complete, redacted, inert, audited, deterministic and verifiable.

All people, numbers and addresses here are fictional.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from builders import NOW, make_alert, make_match, make_post, make_score, make_user
from sqlalchemy.orm import Session

from monitor.audit.service import list_events
from monitor.case.bundle import export_case
from monitor.case.redact import MASK
from monitor.case.service import open_case
from monitor.case.verify import verify_bundle
from monitor.config import Settings
from monitor.defender.service import register_defenders
from monitor.errors import PermissionDenied
from monitor.matching.types import DefenderProfile
from monitor.models import User
from monitor.security.keys import Keys, derive_keys

PHONE = "+7 701 555 23 47"
EMAIL = "saule.v@example.org"
OTHER_PHONE = "+7 702 444 19 86"  # a paused defender's number, found only in a raw payload
POSTED_PHONE = "8 (701) 555-23-47"
HOSTILE = (
    "<script>alert('pwned')</script><img src=x onerror=\"window.pwned=1\"> "
    f"Сауле Вымышленная, звоните ей: {POSTED_PHONE}, пишите "
)
#: Every way the bundle must never show these details (as entered, normalised, as posted).
FORBIDDEN = (
    PHONE,
    "+77015552347",
    "77015552347",
    "555-23-47",
    "5552347",
    EMAIL,
    OTHER_PHONE,
    "+77024441986",
    "444 19 86",
)


@dataclass
class Seeded:
    officer: User
    case_id: int
    post_ids: list[int]
    alert_ids: list[int]


@pytest.fixture
def keys(settings: Settings) -> Keys:
    return derive_keys(settings)


def seed(session: Session, keys: Keys) -> Seeded:
    """A doxxing case: the number and e-mail in the text, the edit history and the raw payload."""
    saule, paused = register_defenders(
        session,
        profiles=[
            DefenderProfile(
                id="saule", name="Сауле Вымышленная", phones=(PHONE,), emails=(EMAIL,), country="KZ"
            ),
            DefenderProfile(id="paused", name="Гаухар Придуманная", phones=(OTHER_PHONE,)),
        ],
        keys=keys,
        now=NOW,
    )
    paused.status = "paused"
    text = HOSTILE + EMAIL
    doxx = make_post(
        session,
        text=text,
        url="javascript:alert(1)",
        author="<b>troll</b>",
        deleted_at=NOW + timedelta(hours=2),
        edited=True,
        raw={
            "message": {"html": f"<p>{text}</p>", "contact_card": "+7 (702) 444-19-86"},
            "previous_versions": [
                {"text": "Сауле Вымышленная, номер будет позже: 87015552347", "replaced_at": "x"}
            ],
        },
    )
    phone_at, phone_end = text.index(POSTED_PHONE), text.index(POSTED_PHONE) + len(POSTED_PHONE)
    make_match(session, post=doxx, defender=saule, kind="phone", start=phone_at, end=phone_end)
    name_at = text.index("Сауле")
    make_match(session, post=doxx, defender=saule, kind="name", start=name_at, end=name_at + 17)
    make_score(session, post=doxx, incitement=0.88, flagged=["incitement"])
    make_score(session, post=doxx, model_version="test-2", incitement=0.91, scored_at=NOW)
    calm = make_post(session, text="Сауле Вымышленная выступит в субботу.")
    first = make_alert(
        session, defender=saule, posts=[doxx], severity="critical", category="doxxing"
    )
    second = make_alert(session, defender=saule, posts=[calm, doxx], severity="medium")
    officer = make_user(session, username="dana")
    case = open_case(
        session, title="Doxxing wave", alert_ids=[first.id, second.id], user=officer, now=NOW
    )
    return Seeded(officer, case.id, [doxx.id, calm.id], [first.id, second.id])


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_bundle_layout_and_manifest(session: Session, keys: Keys, tmp_path: Path) -> None:
    s = seed(session, keys)
    bundle = export_case(session, case_id=s.case_id, user=s.officer, keys=keys, now=NOW)
    files = members(bundle.data)
    posts = [f"posts/post-{pid:09d}.json" for pid in sorted(s.post_ids)]
    assert list(files) == ["manifest.json", "alerts.json", "case.json", *posts, "summary.html"]
    manifest = json.loads(files["manifest.json"])
    assert manifest["case_id"] == s.case_id and manifest["exported_by"] == "dana"
    listed = {e["path"]: (e["sha256"], e["size"]) for e in manifest["files"]}
    assert listed == {
        name: (hashlib.sha256(data).hexdigest(), len(data))
        for name, data in files.items()
        if name != "manifest.json"
    }
    assert bundle.filename == f"kalkan-case-{s.case_id}-20260520T120000Z.zip"
    path = tmp_path / bundle.filename
    path.write_bytes(bundle.data)
    verdict = verify_bundle(path, key=keys.evidence_hmac)
    assert verdict.intact and verdict.signature == "valid" and verdict.files == len(files) - 1


def test_posts_are_complete_evidence(session: Session, keys: Keys) -> None:
    s = seed(session, keys)
    files = members(
        export_case(session, case_id=s.case_id, user=s.officer, keys=keys, now=NOW).data
    )
    doxx = json.loads(files[f"posts/post-{s.post_ids[0]:09d}.json"])
    text = HOSTILE + EMAIL
    phone_at, phone_end = text.index(POSTED_PHONE), text.index(POSTED_PHONE) + len(POSTED_PHONE)
    masked = text[:phone_at] + MASK * len(POSTED_PHONE) + text[phone_end : -len(EMAIL)]
    masked += MASK * len(EMAIL)
    assert doxx["text"] == masked and doxx["text_length"] == len(text)
    assert [(r["kind"], r["start"], r["end"]) for r in doxx["redactions"]] == [
        ("phone", phone_at, phone_end),
        ("email", len(text) - len(EMAIL), len(text)),
    ]
    assert doxx["redactions"][0]["description"] == "phone number (tracked)"
    assert doxx["url"] == "javascript:alert(1)" and doxx["author"] == "<b>troll</b>"
    assert doxx["deleted_at"] == (NOW + timedelta(hours=2)).isoformat()
    assert doxx["posted_at"] == doxx["collected_at"] == NOW.isoformat()
    assert doxx["edited"] is True and doxx["alert_ids"] == sorted(s.alert_ids)
    (earlier,) = doxx["edit_history"]
    assert earlier["text"] == "Сауле Вымышленная, номер будет позже: " + MASK * 11
    assert doxx["raw"]["previous_versions"] == doxx["edit_history"]
    assert doxx["raw"]["message"]["contact_card"] == MASK * 18
    name, phone = doxx["matches"]
    assert phone == {
        "defender": "saule",
        "kind": "phone",
        "start": phone_at,
        "end": phone_end,
        "description": "phone number (tracked)",
    }
    assert name["kind"] == "name" and name["text"] == "Сауле Вымышленная"
    assert [sc["model_version"] for sc in doxx["scores"]] == ["test-1", "test-2"]
    assert doxx["scores"][0]["scores"]["incitement"] == pytest.approx(0.88)
    assert doxx["scores"][0]["flagged"] == ["incitement"]
    alerts = json.loads(files["alerts.json"])
    assert [a["id"] for a in alerts] == s.alert_ids
    assert [p["post_id"] for p in alerts[1]["posts"]] == [s.post_ids[1], s.post_ids[0]]
    case = json.loads(files["case.json"])
    assert case["case"]["alert_ids"] == s.alert_ids and case["post_ids"] == sorted(s.post_ids)


def test_no_contact_detail_anywhere_in_the_bundle(session: Session, keys: Keys) -> None:
    s = seed(session, keys)
    officer = s.officer
    titled = open_case(
        session,
        title=f"Номер {PHONE} утёк",
        alert_ids=[make_alert(session, posts=[make_post(session, text=f"mail {EMAIL}")]).id],
        user=officer,
        now=NOW,
    )
    for case_id in (s.case_id, titled.id):
        data = export_case(session, case_id=case_id, user=officer, keys=keys, now=NOW).data
        for name, content in members(data).items():
            text = content.decode()
            for value in FORBIDDEN:
                assert value not in text, f"{value!r} leaked into {name}"


def test_summary_is_inert(session: Session, keys: Keys) -> None:
    s = seed(session, keys)
    files = members(
        export_case(session, case_id=s.case_id, user=s.officer, keys=keys, now=NOW).data
    )
    html = files["summary.html"].decode()
    lowered = html.lower()
    assert "<script" not in lowered and "<img" not in lowered and "<b>" not in lowered
    assert "href" not in lowered and "src=" not in lowered.replace("src=x", "")
    assert "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;" in html
    assert "javascript:alert(1)" in html  # shown as text, never as a link
    assert "default-src &#39;none&#39;" in html or "default-src 'none'" in html
    assert "Doxxing wave" in html and "phone number (tracked)" in html


def test_export_is_audited_and_needs_an_officer(session: Session, keys: Keys) -> None:
    s = seed(session, keys)
    bundle = export_case(
        session, case_id=s.case_id, user=s.officer, keys=keys, now=NOW, ip="192.0.2.7"
    )
    (event,) = list_events(session, action="case.export")
    assert (event.actor_id, event.target_type, event.target_id) == (
        s.officer.id,
        "case",
        str(s.case_id),
    )
    assert event.at == NOW and event.ip == "192.0.2.7"
    manifest = members(bundle.data)["manifest.json"]
    assert event.detail["manifest_sha256"] == hashlib.sha256(manifest).hexdigest()
    assert event.detail["posts"] == 2 and event.detail["alerts"] == 2
    viewer = make_user(session, role="viewer")
    with pytest.raises(PermissionDenied):
        export_case(session, case_id=s.case_id, user=viewer, keys=keys, now=NOW)
    assert len(list_events(session, action="case.export")) == 1


def test_same_case_same_time_same_bytes(session: Session, keys: Keys) -> None:
    s = seed(session, keys)
    first = export_case(session, case_id=s.case_id, user=s.officer, keys=keys, now=NOW)
    again = export_case(session, case_id=s.case_id, user=s.officer, keys=keys, now=NOW)
    assert first.data == again.data
