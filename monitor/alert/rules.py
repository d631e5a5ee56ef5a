"""Severity rules from DESIGN.md, as pure functions of what is known about one post.

critical: a tracked contact detail is published; a threat/incitement naming a defender's
          upcoming event or venue; a high-confidence threat from a high-reach account.
high:     threat or incitement above threshold mentioning a tracked defender.
medium:   insult / identity attack / sexual harassment above threshold; a surge.
low:      a mention with nothing flagged — stored and shown in digests, no alert.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

SEVERITY_RANK = {"low": 0, "medium": 1, "high": 2, "critical": 3}
CONTACT_KINDS = frozenset({"phone", "email", "address"})
ABUSE_LABELS = ("insult", "identity_attack", "sexual_harassment")
HIGH_CONFIDENCE = 0.9

LABEL_WORDS = {
    "threat": "threat",
    "incitement": "incitement",
    "insult": "insult",
    "identity_attack": "identity attack",
    "sexual_harassment": "sexual harassment",
}


@dataclass(frozen=True, slots=True)
class PostFacts:
    """What the rules see about one post and one defender it mentions."""

    defender_id: int
    match_kinds: frozenset[str]
    flagged: frozenset[str]
    scores: dict[str, float] = field(default_factory=dict)
    reach: int | None = None
    mentions_upcoming_event: bool = False


@dataclass(frozen=True, slots=True)
class Finding:
    """A reason to alert: joins the (defender, category) group at this severity."""

    defender_id: int
    category: str
    severity: str
    reason: str


def max_severity(a: str, b: str) -> str:
    """The more severe of two severities."""
    return a if SEVERITY_RANK[a] >= SEVERITY_RANK[b] else b


def evaluate(facts: PostFacts, *, high_reach: int) -> list[Finding]:
    """Every finding for one post about one defender (empty: a low mention, no alert)."""
    findings = []
    leaked = sorted(facts.match_kinds & CONTACT_KINDS)
    if leaked:
        reason = f"tracked {', '.join(leaked)} published"
        findings.append(Finding(facts.defender_id, "doxxing", "critical", reason))
    for label in ("threat", "incitement"):
        if label in facts.flagged:
            findings.append(_threat_or_incitement(facts, label, high_reach=high_reach))
    abuse = [label for label in ABUSE_LABELS if label in facts.flagged]
    if abuse:
        words = ", ".join(LABEL_WORDS[label] for label in abuse)
        findings.append(Finding(facts.defender_id, "abuse", "medium", f"{words} detected"))
    return findings


def _threat_or_incitement(facts: PostFacts, label: str, *, high_reach: int) -> Finding:
    word = LABEL_WORDS[label]
    if facts.mentions_upcoming_event:
        return Finding(
            facts.defender_id, label, "critical", f"{word} naming an upcoming event or venue"
        )
    confident = facts.scores.get(label, 0.0) >= HIGH_CONFIDENCE
    if label == "threat" and confident and (facts.reach or 0) >= high_reach:
        return Finding(
            facts.defender_id,
            label,
            "critical",
            f"high-confidence {word} from a high-reach account",
        )
    return Finding(facts.defender_id, label, "high", f"{word} mentioning a tracked defender")


def is_surge(recent: int, baseline_per_window: float, *, minimum: int = 8) -> bool:
    """A surge: at least `minimum` mentions in the window and 3x the usual rate."""
    return recent >= minimum and recent >= 3 * baseline_per_window


def strongest(findings: Sequence[Finding]) -> dict[str, Finding]:
    """One finding per category, keeping the most severe."""
    best: dict[str, Finding] = {}
    for finding in findings:
        current = best.get(finding.category)
        if current is None or SEVERITY_RANK[finding.severity] > SEVERITY_RANK[current.severity]:
            best[finding.category] = finding
    return best
