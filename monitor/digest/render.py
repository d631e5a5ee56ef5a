"""The digest as plain text and as inert HTML (every value escaped; no scripts, no images,
no remote resources — only links into the dashboard)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from html import escape
from urllib.parse import quote

from monitor.digest.content import DigestContent, SourceProblem
from monitor.digest.repository import Tally
from monitor.models import SEVERITIES

SEVERITY_ORDER = tuple(reversed(SEVERITIES))  # critical first


@dataclass(frozen=True)
class RenderedDigest:
    """Subject, plain-text body and HTML alternative of one week's digest."""

    subject: str
    text: str
    html: str


def _span(content: DigestContent) -> str:
    last = (content.end - timedelta(seconds=1)).date()
    return f"{content.week.monday:%d %b} – {last:%d %b %Y}"


def _rows(tally: Tally) -> list[tuple[str, str, int]]:
    """(severity, category, count), most severe first."""
    return sorted(
        ((sev, cat, n) for (cat, sev), n in tally.items()),
        key=lambda r: (SEVERITY_ORDER.index(r[0]) if r[0] in SEVERITY_ORDER else 9, r[1]),
    )


SECTIONS = (
    ("opened", "Alerts opened"),
    ("escalated", "Alerts escalated (critical, not acknowledged in time)"),
    ("acknowledged", "Alerts acknowledged"),
)


def render(content: DigestContent, *, public_url: str, zone_name: str) -> RenderedDigest:
    """Both bodies of the digest, with links under `public_url`."""
    subject = f"[Kalkan] Weekly digest {content.week.label}"
    return RenderedDigest(
        subject=subject,
        text=_text(content, public_url, zone_name),
        html=_html(content, public_url, zone_name),
    )


def _problem_line(p: SourceProblem) -> str:
    when = f" (since {p.at:%a %d %b %H:%M} UTC)" if p.at else ""
    return f"{p.source}: {p.severity}, {p.reason}{when}"


def _text(c: DigestContent, url: str, zone: str) -> str:
    out = [f"Kalkan weekly digest — {c.week.label}, {_span(c)} ({zone})", ""]
    for attr, title in SECTIONS:
        tally: Tally = getattr(c, attr)
        out.append(f"{title}: {sum(tally.values())}")
        out += [f"  {sev:<9} {cat:<14} {n}" for sev, cat, n in _rows(tally)]
        out.append("")
    out.append(f"Alerts that became critical: {c.critical_total}")
    out += [
        f"  #{a.alert_id} {a.defender_name} — {a.category} ({a.status}): {url}/alerts/{a.alert_id}"
        for a in c.critical
    ]
    if c.critical_total > len(c.critical):
        out.append(f"  … and {c.critical_total - len(c.critical)} more: {url}/?severity=critical")
    out += ["", "Per defender (alerts opened · posts in alerts · mentions · low-severity mentions)"]
    out += [
        f"  {d.name}: {d.alerts_opened} · {d.alert_posts} · {d.mentions} · {d.low_mentions}"
        f"  {url}/?defender={quote(d.slug)}"
        for d in c.defenders
    ] or ["  no mentions this week"]
    out += ["", f"Low-severity mentions (stored, no alert): {c.low_mentions}", ""]
    out.append("Source health problems during the week:")
    out += [f"  {_problem_line(p)}" for p in c.source_problems] or ["  none"]
    out.append("Sources needing attention now:")
    out += [f"  {_problem_line(p)}" for p in c.sources_now] or ["  none"]
    out += [
        f"  {url}/sources",
        "",
        "Counts and links only: post texts and contact details stay in the dashboard,",
        f"because e-mail passes through servers we do not control. {url}/",
    ]
    return "\n".join(out) + "\n"


def _table(head: tuple[str, ...], rows: Sequence[Sequence[object]]) -> str:
    """An HTML table; cells must already be escaped (numbers need not be)."""
    if not rows:
        return "<p>none</p>"
    cells = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>"


def _link(href: str, label: str) -> str:
    return f'<a href="{escape(href, quote=True)}">{escape(label)}</a>'


def _html_tallies(c: DigestContent) -> list[str]:
    parts = []
    for attr, heading in SECTIONS:
        tally: Tally = getattr(c, attr)
        parts.append(f"<h2>{escape(heading)}: {sum(tally.values())}</h2>")
        rows = [(escape(sev), escape(cat), n) for sev, cat, n in _rows(tally)]
        parts.append(_table(("Severity", "Category", "Alerts"), rows))
    return parts


def _html_alerts_and_defenders(c: DigestContent, url: str) -> list[str]:
    critical = [
        (
            _link(f"{url}/alerts/{a.alert_id}", f"#{a.alert_id}"),
            escape(a.defender_name),
            escape(a.category),
            escape(a.status),
        )
        for a in c.critical
    ]
    defenders = [
        (
            _link(f"{url}/?defender={quote(d.slug)}", d.name),
            d.alerts_opened,
            d.alert_posts,
            d.mentions,
            d.low_mentions,
        )
        for d in c.defenders
    ]
    return [
        f"<h2>Alerts that became critical: {c.critical_total}</h2>",
        _table(("Alert", "Defender", "Category", "Status"), critical),
        "<h2>Per defender</h2>",
        _table(
            ("Defender", "Alerts opened", "Posts in alerts", "Mentions", "Low-severity"), defenders
        ),
        f"<p>Low-severity mentions (stored, no alert): {c.low_mentions}</p>",
    ]


def _html(c: DigestContent, url: str, zone: str) -> str:
    title = f"Kalkan weekly digest — {c.week.label}"
    problems = "".join(f"<li>{escape(_problem_line(p))}</li>" for p in c.source_problems)
    problems += "".join(f"<li>now: {escape(_problem_line(p))}</li>" for p in c.sources_now)
    parts = [
        f"<h1>{escape(title)}</h1>",
        f"<p>{escape(_span(c))} ({escape(zone)})</p>",
        *_html_tallies(c),
        *_html_alerts_and_defenders(c, url),
        "<h2>Source health problems</h2>",
        f"<ul>{problems or '<li>none</li>'}</ul><p>{_link(f'{url}/sources', 'Sources')}</p>",
        "<p>Counts and links only: post texts and contact details stay in the "
        f"{_link(url + '/', 'dashboard')}, because e-mail passes through servers we do not "
        "control.</p>",
    ]
    body = "\n".join(parts)
    head = '<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head><body>'
    return f"{head}\n{body}\n</body></html>\n"
