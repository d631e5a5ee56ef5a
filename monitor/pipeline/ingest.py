"""Store fetched posts and the source's new cursor in one transaction.

A known post whose text changed is an edit: the old text is kept in
`raw["previous_versions"]` and the post goes through the pipeline again. A known post that
a recheck had marked deleted on the platform and that is collected again keeps its
`deleted_at` (it *was* gone then: evidence an officer may need) and gets the time it was
first seen again in `raw["reappeared_at"]`, with an audit event, so the mark never
silently contradicts what the platform shows. It is not rechecked again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.audit.service import record_event
from monitor.models import Post as PostRow
from monitor.models import Source as SourceRow
from monitor.text import storable_json, storable_text
from monitor.upsert import insert_ignoring_conflicts
from sources.post import FetchResult
from sources.post import Post as CollectedPost

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class IngestStats:
    """How many posts were new, edited, or already known; which external ids were new."""

    new: int
    edited: int
    known: int
    new_external_ids: frozenset[str] = frozenset()


def _row_values(source_id: int, post: CollectedPost, now: datetime) -> dict[str, object]:
    text, truncated = storable_text(post.text)
    raw = storable_json(post.raw)
    if truncated:
        raw["truncated_from_chars"] = len(post.text)
    return {
        "source_id": source_id,
        "external_id": post.external_id[:300],
        "url": post.url,
        "author": (post.author or "")[:300] or None,
        "reach": post.reach,
        "posted_at": post.created_at,
        "collected_at": now,
        "lang": post.lang,
        "text": text,
        "raw": raw,
        "content_hash": post.content_hash,
        "edited": post.edited,
    }


def ingest(
    session: Session, *, source: SourceRow, result: FetchResult, now: datetime
) -> IngestStats:
    """Upsert the posts on (source, external id), record edits, and save the cursor."""
    rows = [_row_values(source.id, post, now) for post in result.posts]
    unique = list({row["external_id"]: row for row in rows}.values())
    new_ids = insert_ignoring_conflicts(
        session,
        PostRow,
        unique,
        conflict_columns=("source_id", "external_id"),
        returning=("id", "external_id"),
    )
    edited = _apply_known(session, source=source, rows=unique, now=now)
    source.cursor = result.cursor if not result.not_modified else source.cursor
    source.items_total += len(new_ids)
    session.flush()
    return IngestStats(
        new=len(new_ids),
        edited=edited,
        known=len(unique) - len(new_ids) - edited,
        new_external_ids=frozenset(external_id for _, external_id in new_ids),
    )


def _apply_known(
    session: Session, *, source: SourceRow, rows: list[dict[str, object]], now: datetime
) -> int:
    """Record edits and reappearances of posts already stored; return how many were edited."""
    by_id = {str(row["external_id"]): row for row in rows}
    if not by_id:
        return 0
    query = select(PostRow).where(
        PostRow.source_id == source.id, PostRow.external_id.in_(list(by_id))
    )
    edited = 0
    for existing in session.scalars(query):
        row = by_id[existing.external_id]
        if existing.deleted_at is not None and "reappeared_at" not in existing.raw:
            _record_reappearance(session, existing, source=source, now=now)
        if existing.content_hash != row["content_hash"]:
            _apply_edit(existing, row, now=now)
            edited += 1
    return edited


#: Keys of `raw` that Kalkan itself writes; an edit's new payload must not drop them.
KALKAN_RAW_KEYS = ("previous_versions", "reappeared_at")


def _apply_edit(existing: PostRow, row: dict[str, object], *, now: datetime) -> None:
    """A known post whose text changed keeps its old text in `raw` and is re-examined."""
    kept = {key: existing.raw[key] for key in KALKAN_RAW_KEYS if key in existing.raw}
    history = list(kept.get("previous_versions", []))
    history.append({"text": existing.text, "replaced_at": now.isoformat()})
    existing.raw = {**storable_json(row["raw"]), **kept, "previous_versions": history}
    existing.text, existing.content_hash = str(row["text"]), str(row["content_hash"])
    existing.edited = True
    existing.matched_at = existing.classified_at = existing.alerted_at = None


def _record_reappearance(
    session: Session, existing: PostRow, *, source: SourceRow, now: datetime
) -> None:
    """A post marked deleted was collected again: keep the mark, note when it came back."""
    existing.raw = {**existing.raw, "reappeared_at": now.isoformat()}
    record_event(
        session,
        actor=None,
        action="post.reappeared_on_platform",
        target_type="post",
        target_id=existing.id,
        detail={"source": source.name, "external_id": existing.external_id},
        now=now,
    )
