"""The human-readable page of an evidence bundle (`summary.html`).

Post content is attacker-controlled, and the page is opened from disk by people far from
Kalkan's CSP headers, so it carries its own: a meta Content-Security-Policy that allows no
script, image, frame or connection at all. Jinja autoescaping renders every post string as
text; URLs are shown as text, never as links.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, StrictUndefined

from monitor.case.evidence import LABELS, EvidenceDocuments

_ENV = Environment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)

_TEMPLATE = _ENV.from_string("""\
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; \
base-uri 'none'; form-action 'none'">
<meta name="referrer" content="no-referrer">
<title>Case {{ case.id }}: {{ case.title }} · Kalkan evidence</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: .2rem .5rem; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f4f4f4; padding: .6rem; }
.post { border-top: 2px solid #333; margin-top: 1.5rem; } .muted { color: #555; }
code { overflow-wrap: anywhere; }
</style>
</head>
<body>
<h1>Case {{ case.id }}: {{ case.title }}</h1>
<p>Defender: {{ case.defender_name or "(several or none)" }} · status {{ case.status }} ·
opened by {{ case.created_by or "(unknown)" }} at {{ case.created_at }}</p>
<p>Exported by {{ doc.exported_by }} at {{ doc.exported_at }} (Kalkan {{ doc.kalkan_version }}).
{{ alerts | length }} alerts, {{ posts | length }} posts. The JSON files beside this page
hold everything shown here; <code>manifest.json</code> lists every file with its SHA-256 —
check it with <code>kalkan verify BUNDLE.zip</code>.</p>
<p class="muted">{{ doc.redaction }}</p>
<h2>Alerts</h2>
<table>
<tr><th>Alert</th><th>Severity</th><th>Category</th><th>Status</th><th>Title</th><th>Posts</th></tr>
{% for a in alerts %}<tr><td>{{ a.id }}</td><td>{{ a.severity }}</td><td>{{ a.category }}</td>\
<td>{{ a.status }}</td><td>{{ a.title }}</td><td>{{ a.posts | length }}</td></tr>
{% endfor %}</table>
<h2>Posts</h2>
{% for p in posts %}<section class="post">
<h3>Post {{ p.id }} · {{ p.source.name }} ({{ p.source.platform }})</h3>
<p>Author: {{ p.author or "—" }} · published {{ p.posted_at or "—" }} ·
collected {{ p.collected_at }}{% if p.deleted_at %} · <strong>found deleted on the platform at \
{{ p.deleted_at }}</strong>{% endif %}{% if p.edited %} · edited{% endif %}</p>
<p>URL (not a link): <code>{{ p.url or "—" }}</code> · external id <code>{{ p.external_id }}</code>\
 · in alerts {{ p.alert_ids | join(", ") }}</p>
<pre>{{ p.text }}</pre>
{% if p.redactions %}<p>Redacted: {% for r in p.redactions %}{{ r.description }} \
(characters {{ r.start }}–{{ r.end }}){% if not loop.last %}; {% endif %}{% endfor %}</p>{% endif %}
{% if p.matches %}<p>Matches: {% for m in p.matches %}{{ m.kind }} of {{ m.defender }} \
({{ m.description if m.description is defined else m.text }}, {{ m.start }}–{{ m.end }})\
{% if not loop.last %}; {% endif %}{% endfor %}</p>{% endif %}
{% for s in p.scores %}<p>Scores ({{ s.model_version }}, {{ s.scored_at }}): \
{% for label in labels %}{{ label }} {{ "%.2f" | format(s.scores[label]) }}\
{% if label in s.flagged %} <strong>flagged</strong>{% endif %}{% if not loop.last %}, {% endif %}\
{% endfor %}</p>
{% endfor %}{% for v in p.edit_history %}<p class="muted">Earlier version (replaced \
{{ v.replaced_at if v is mapping and v.replaced_at is defined else "—" }}):</p>
<pre>{{ v.text if v is mapping and v.text is defined else v }}</pre>
{% endfor %}</section>
{% endfor %}
</body>
</html>
""")


def render_summary(docs: EvidenceDocuments) -> bytes:
    """The summary page of these (already redacted) documents, as UTF-8."""
    context: dict[str, Any] = {
        "doc": docs.case,
        "case": docs.case["case"],
        "alerts": docs.alerts,
        "posts": docs.posts,
        "labels": LABELS,
    }
    return _TEMPLATE.render(context).encode()
