"""The JSON documents of an evidence bundle: the case, its alerts, and every post in full.

Each post is kept as collected — the whole text (never cut), the raw platform payload, its
URL, author, times published, collected and found deleted, and its edit history
(`raw["previous_versions"]`) — with what Kalkan learned about it: matches and every
classifier score. The one change is redaction: every string passes through the
`ContactRedactor`, so defenders' contact details are masked wherever they appear.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from monitor.case import repository
from monitor.case.redact import CONTACT_DESCRIPTIONS, MASK, ContactRedactor, describe_contact
from monitor.case.schemas import CaseDetail
from monitor.models import AlertPost, Match, Post, Score

LABELS = ("threat", "incitement", "insult", "identity_attack", "sexual_harassment")
REDACTION_NOTE = (
    f"Tracked contact details of defenders are masked character for character with {MASK} "
    "wherever they appear (text, edit history, raw payload); offsets are unchanged and each "
    "post lists its redactions by kind. Everything else is exactly as collected."
)


@dataclass(frozen=True)
class EvidenceDocuments:
    """The bundle's JSON documents before serialisation (already redacted)."""

    case: dict[str, Any]
    alerts: list[dict[str, Any]]
    posts: list[dict[str, Any]]


def iso(value: datetime | None) -> str | None:
    """A timestamp as ISO 8601 (UTC, as stored)."""
    return value.isoformat() if value is not None else None


def collect_documents(
    session: Session,
    case: CaseDetail,
    *,
    redactor: ContactRedactor,
    exported_by: str,
    exported_at: datetime,
    version: str,
) -> EvidenceDocuments:
    """Read the case's alerts, posts, matches and scores and shape them for the bundle."""
    links = repository.alert_links(session, case.alert_ids)
    post_ids = sorted({link.post_id for link in links})
    matches: dict[int, list[dict[str, Any]]] = {}
    for match, slug in repository.matches_with_defender(session, post_ids):
        matches.setdefault(match.post_id, []).append(_match(match, slug))
    scores: dict[int, list[dict[str, Any]]] = {}
    for score in repository.scores_of(session, post_ids):
        scores.setdefault(score.post_id, []).append(_score(score))
    in_alerts: dict[int, list[int]] = {}
    for link in links:
        in_alerts.setdefault(link.post_id, []).append(link.alert_id)
    posts = [
        _post(post, name, platform, redactor=redactor)
        | {
            "alert_ids": sorted(set(in_alerts[post.id])),
            "matches": matches.get(post.id, []),
            "scores": scores.get(post.id, []),
        }
        for post, name, platform in repository.posts_with_source(session, post_ids)
    ]
    return EvidenceDocuments(
        case=redactor.redact_value(_case(case, exported_by, exported_at, version, post_ids)),
        alerts=redactor.redact_value(_alerts(case, links)),
        posts=[_redact_rest(post, redactor) for post in posts],
    )


def _case(
    case: CaseDetail, exported_by: str, exported_at: datetime, version: str, post_ids: list[int]
) -> dict[str, Any]:
    return {
        "case": {
            "id": case.id,
            "title": case.title,
            "status": case.status,
            "defender": case.defender,
            "defender_name": case.defender_name,
            "created_by": case.created_by,
            "created_at": iso(case.created_at),
            "alert_ids": case.alert_ids,
        },
        "exported_at": iso(exported_at),
        "exported_by": exported_by,
        "kalkan_version": version,
        "post_ids": post_ids,
        "redaction": REDACTION_NOTE,
    }


def _alerts(case: CaseDetail, links: list[AlertPost]) -> list[dict[str, Any]]:
    by_alert: dict[int, list[dict[str, Any]]] = {}
    for link in links:
        by_alert.setdefault(link.alert_id, []).append(
            {
                "post_id": link.post_id,
                "severity": link.severity,
                "reason": link.reason,
                "added_at": iso(link.added_at),
            }
        )
    return [
        alert.model_dump(mode="json") | {"posts": by_alert.get(alert.id, [])}
        for alert in case.alerts
    ]


def _post(post: Post, source: str, platform: str, *, redactor: ContactRedactor) -> dict[str, Any]:
    text, redactions = redactor.redact(post.text)
    raw = dict(post.raw or {})
    history = raw.get("previous_versions")
    return {
        "id": post.id,
        "source": {"name": source, "platform": platform},
        "external_id": post.external_id,
        "url": post.url,
        "author": post.author,
        "reach": post.reach,
        "lang": post.lang,
        "posted_at": iso(post.posted_at),
        "collected_at": iso(post.collected_at),
        "deleted_at": iso(post.deleted_at),
        "checked_at": iso(post.checked_at),
        "edited": post.edited,
        "text": text,
        "text_length": len(post.text),
        "redactions": [
            {"kind": r.kind, "description": r.description, "start": r.start, "end": r.end}
            for r in redactions
        ],
        "edit_history": history if isinstance(history, list) else [],
        "raw": raw,
    }


def _redact_rest(post: dict[str, Any], redactor: ContactRedactor) -> dict[str, Any]:
    """Redact every string of the post document except `text` (already redacted, spans kept)."""
    rest = redactor.redact_value({k: v for k, v in post.items() if k != "text"})
    return {k: post["text"] if k == "text" else rest[k] for k in post}


def _match(match: Match, defender: str) -> dict[str, Any]:
    shape: dict[str, Any] = {
        "defender": defender,
        "kind": match.kind,
        "start": match.start,
        "end": match.end,
    }
    if match.kind in CONTACT_DESCRIPTIONS:
        return shape | {"description": describe_contact(match.kind)}
    return shape | {"text": match.surface}


def _score(score: Score) -> dict[str, Any]:
    return {
        "model_version": score.model_version,
        "lang": score.lang,
        "scores": {label: getattr(score, label) for label in LABELS},
        "flagged": list(score.flagged or []),
        "explanations": dict(score.explanations or {}),
        "error": score.error,
        "scored_at": iso(score.scored_at),
    }
