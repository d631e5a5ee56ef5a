"""Store fetched posts and the source's new cursor in one transaction."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

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
    edited = _apply_edits(session, source_id=source.id, rows=unique, now=now)
    source.cursor = result.cursor if not result.not_modified else source.cursor
    source.items_total += len(new_ids)
    session.flush()
    return IngestStats(
        new=len(new_ids),
        edited=edited,
        known=len(unique) - len(new_ids) - edited,
        new_external_ids=frozenset(external_id for _, external_id in new_ids),
    )


def _apply_edits(
    session: Session, *, source_id: int, rows: list[dict[str, object]], now: datetime
) -> int:
    """A known post whose text changed keeps its old text in `raw` and is re-examined."""
    by_id = {str(row["external_id"]): row for row in rows}
    if not by_id:
        return 0
    query = select(PostRow).where(
        PostRow.source_id == source_id, PostRow.external_id.in_(list(by_id))
    )
    edited = 0
    for existing in session.scalars(query):
        row = by_id[existing.external_id]
        if existing.content_hash == row["content_hash"]:
            continue
        history = list(existing.raw.get("previous_versions", []))
        history.append({"text": existing.text, "replaced_at": now.isoformat()})
        existing.raw = {**storable_json(row["raw"]), "previous_versions": history}
        existing.text, existing.content_hash = str(row["text"]), str(row["content_hash"])
        existing.edited = True
        existing.matched_at = existing.classified_at = existing.alerted_at = None
        edited += 1
    return edited
