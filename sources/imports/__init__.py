"""Imports for what cannot be collected: chats that defenders export and forward to us.

`parse_import(path, kind=None, source_name=...)` turns a WhatsApp chat export (Android or
iOS, Russian/English/European date styles, `.txt` or the `.zip` WhatsApp shares), a
Telegram Desktop export (`result.json`, or the HTML export's folder or `messagesN.html`
pages), or a CSV/JSONL file into `Post` records with deterministic external ids, so
importing the same file twice stores nothing new. `ImportSource`
(platform `import`) ingests a file or a drop folder from `kalkan collect`.
"""

from sources.imports.detect import KINDS, detect_kind, parse_import

__all__ = ["KINDS", "detect_kind", "parse_import"]
