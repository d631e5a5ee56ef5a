"""Composing e-mails: alert notifications and escalations (plain text), and the envelope.

Bodies carry what an officer needs to act — whom, what kind, how severe, how many posts,
where to look — and nothing an interceptor could use: no post text, no contact details.
The subject names neither the defender nor the category wording, because subjects are
shown on lock screens and kept in mail-server logs; the body names the defender.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime

from monitor.alert.grouping import CATEGORY_TITLES

LEAKY_CHANNEL_NOTE = (
    "Post texts and contact details are left out on purpose: e-mail passes through\n"
    "servers and devices we do not control. Read them in the dashboard."
)


@dataclass(frozen=True)
class AlertFacts:
    """What a notification says about one alert (read from the database when sending)."""

    alert_id: int
    defender_name: str
    category: str
    severity: str
    previous_severity: str | None
    reason: str
    post_count: int
    opened_at: datetime
    critical_at: datetime | None
    status: str


def new_message(
    *,
    subject: str,
    sender: str,
    to: str,
    text: str,
    html: str | None = None,
    message_id: str,
    now: datetime,
) -> EmailMessage:
    """A UTF-8 message with a stable Message-ID (a resend after a crash reuses it)."""
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = to
    message["Date"] = format_datetime(now)
    domain = sender.rpartition("@")[2] or "localhost"
    message["Message-ID"] = f"<{message_id}@{domain}>"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    return message


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "—"


def _facts_block(facts: AlertFacts) -> str:
    title = CATEGORY_TITLES.get(facts.category, facts.category)
    severity = facts.severity
    if facts.previous_severity:
        severity += f" (raised from {facts.previous_severity})"
    return (
        f"Defender:  {facts.defender_name}\n"
        f"Category:  {facts.category} — {title}\n"
        f"Severity:  {severity}\n"
        f"Why:       {facts.reason}\n"
        f"Posts:     {facts.post_count}\n"
        f"Opened:    {_when(facts.opened_at)}\n"
    )


def alert_subject(facts: AlertFacts) -> str:
    """`[Kalkan] CRITICAL alert #12 (doxxing)`."""
    return f"[Kalkan] {facts.severity.upper()} alert #{facts.alert_id} ({facts.category})"


def alert_text(facts: AlertFacts, *, link: str, deadline_minutes: int) -> str:
    """The body of a new (or more severe) alert's notification."""
    lines = [
        f"Kalkan raised alert #{facts.alert_id} and it needs your attention.\n",
        _facts_block(facts),
        f"Open the alert: {link}\n",
    ]
    if facts.severity == "critical":
        lines.append(
            f"A critical alert must be acknowledged within {deadline_minutes} minutes;\n"
            "otherwise every officer is alerted.\n"
        )
    lines.append(LEAKY_CHANNEL_NOTE)
    return "\n".join(lines) + "\n"


def escalation_subject(facts: AlertFacts) -> str:
    """`[Kalkan] ESCALATED: critical alert #12 not acknowledged`."""
    return f"[Kalkan] ESCALATED: critical alert #{facts.alert_id} not acknowledged"


def escalation_text(facts: AlertFacts, *, link: str, deadline_minutes: int) -> str:
    """The body of an escalation, sent to every officer and admin."""
    return (
        f"Nobody has acknowledged critical alert #{facts.alert_id} "
        f"within {deadline_minutes} minutes\n"
        f"(critical since {_when(facts.critical_at)}). It may be a threat to life.\n"
        "Every officer and admin receives this message: open the alert and acknowledge it\n"
        "when you take it on.\n\n"
        f"{_facts_block(facts)}\n"
        f"Open the alert: {link}\n\n"
        f"{LEAKY_CHANNEL_NOTE}\n"
    )
