"""What a weekly digest says: counts by severity and category, per defender, and links.

Everything here is a count, a name the team gave (defender, source) or an alert id to link
to. Post texts, authors and contact details are never read into the digest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from monitor.digest import repository
from monitor.digest.period import Week
from monitor.digest.repository import Tally
from monitor.models import Alert
from monitor.source.health import assess_sources

#: Alerts that became critical, listed by link; more are counted, not listed.
CRITICAL_LISTED = 20


@dataclass(frozen=True)
class DefenderWeek:
    """One defender's week: alerts opened, posts in alerts, mentions, unflagged mentions."""

    slug: str
    name: str
    alerts_opened: int
    alert_posts: int
    mentions: int
    low_mentions: int


@dataclass(frozen=True)
class CriticalAlert:
    """A critical alert of the week, to link to."""

    alert_id: int
    defender_name: str
    category: str
    status: str


@dataclass(frozen=True)
class SourceProblem:
    """A source that failed or fell silent: its name and the rule's reason (no raw errors)."""

    source: str
    severity: str
    reason: str
    at: datetime | None


@dataclass(frozen=True)
class DigestContent:
    """The whole digest for one week, the same for every recipient."""

    week: Week
    start: datetime
    end: datetime
    opened: Tally
    escalated: Tally
    acknowledged: Tally
    defenders: list[DefenderWeek]
    low_mentions: int
    critical: list[CriticalAlert]
    critical_total: int
    source_problems: list[SourceProblem]
    sources_now: list[SourceProblem]


def gather(
    session: Session, *, week: Week, start: datetime, end: datetime, now: datetime
) -> DigestContent:
    """Read the week's figures ([start, end) in UTC) and the sources' health at `now`."""
    critical_total, critical = repository.critical_alerts(
        session, start, end, limit=CRITICAL_LISTED
    )
    defenders = _defender_weeks(session, start, end)
    return DigestContent(
        week=week,
        start=start,
        end=end,
        opened=repository.tally_alerts(session, Alert.opened_at, start, end),
        escalated=repository.tally_alerts(session, Alert.escalated_at, start, end),
        acknowledged=repository.tally_alerts(session, Alert.acknowledged_at, start, end),
        defenders=defenders,
        low_mentions=sum(d.low_mentions for d in defenders),
        critical=[CriticalAlert(*row) for row in critical],
        critical_total=critical_total,
        source_problems=[
            SourceProblem(name, sev, reason, at)
            for name, sev, reason, at in repository.health_alerts_opened(session, start, end)
        ],
        sources_now=[
            SourceProblem(h.name, h.status, _health_reason(h.status, h.consecutive_failures), None)
            for h in assess_sources(session, now=now)
            if h.status in ("failing", "silent")
        ],
    )


def _health_reason(status: str, failures: int) -> str:
    return f"{failures} failed runs in a row" if status == "failing" else "no new posts lately"


def _defender_weeks(session: Session, start: datetime, end: datetime) -> list[DefenderWeek]:
    opened = repository.alerts_opened_per_defender(session, start, end)
    posts = repository.alert_posts_per_defender(session, start, end)
    mentions = repository.mentions_per_defender(session, start, end, unflagged_only=False)
    low = repository.mentions_per_defender(session, start, end, unflagged_only=True)
    ids = set(opened) | set(posts) | set(mentions)
    rows = [
        DefenderWeek(
            slug=defender.slug,
            name=defender.display_name,
            alerts_opened=opened.get(defender.id, 0),
            alert_posts=posts.get(defender.id, 0),
            mentions=mentions.get(defender.id, 0),
            low_mentions=low.get(defender.id, 0),
        )
        for defender in repository.defenders_by_id(session, ids).values()
    ]
    return sorted(rows, key=lambda d: (-d.alerts_opened, -d.mentions, d.name))
