"""OSACT4 / OffensEval 2020 Arabic (Mubarak et al.; CC-BY): offensive and hate-speech tweets.

- NOT_OFF → negative for every label (subsampled: most tweets are clean);
- OFF + HS (hate against a group) → identity_attack = 1;
- OFF + NOT_HS (insults, vulgarity) → identity_attack = 0; other labels unknown, because
  upstream ``offensive`` mixes profanity, insults and threats.
"""

from __future__ import annotations

from pathlib import Path

from classifiers.external.rows import (
    ALL_NEGATIVE,
    ExternalRows,
    RowCollector,
    keep_share,
    placeholders,
)

NAME = "osact4_ar"
LICENCE = "CC-BY"
FILES = (
    Path("osact4_offenseval2020_ar") / "OSACT2020-sharedTask-train.txt",
    Path("osact4_offenseval2020_ar") / "OSACT2020-sharedTask-dev.txt",
)
NEGATIVE_KEEP = 0.3


def load(datasets_dir: Path) -> ExternalRows:
    """OSACT4 train+dev rows mapped to Kalkan labels (see the module docstring)."""
    rows = RowCollector(NAME)
    for rel in FILES:
        path = Path(datasets_dir) / rel
        rows.record_file(path, Path(datasets_dir))
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            parts = line.split("\t")
            if len(parts) != 3:
                continue
            text, offensive, hate = parts
            row_id = f"{rel.stem}-{lineno}"
            if offensive == "NOT_OFF":
                if keep_share(row_id, NEGATIVE_KEEP):
                    rows.add(placeholders(text), dict(ALL_NEGATIVE), row_id)
            elif hate == "HS":
                rows.add(placeholders(text), {"identity_attack": 1}, row_id)
            else:
                rows.add(placeholders(text), {"identity_attack": 0}, row_id)
    return rows.rows()
