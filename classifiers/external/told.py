"""ToLD-Br (Leite et al. 2020; CC BY-SA 4.0): toxic tweets in Brazilian Portuguese.

Each category holds the number of three annotators who flagged it. A label counts when
at least two agree; one vote alone is too uncertain to be either positive or negative.
- insult ≥ 2 → insult = 1; homophobia/racism/misogyny/xenophobia ≥ 2 → identity_attack = 1;
- every category 0 → negative for every label (subsampled);
- obscene only (≥ 2, nothing else) → insult = 0, identity_attack = 0 (profanity is not abuse).
"""

from __future__ import annotations

import csv
from pathlib import Path

from classifiers.external.rows import (
    ALL_NEGATIVE,
    ExternalRows,
    RowCollector,
    keep_share,
    placeholders,
)

NAME = "told_br"
LICENCE = "CC-BY-SA-4.0"
FILE = Path("told_br") / "ToLD-BR.csv"
IDENTITY = ("homophobia", "racism", "misogyny", "xenophobia")
NEGATIVE_KEEP = 0.15
INSULT_KEEP = 0.6


def _votes(row: dict[str, str], column: str) -> float:
    try:
        return float(row[column] or 0)
    except ValueError:
        return 0.0


def _known(row: dict[str, str], row_id: str) -> dict[str, int] | None:
    votes = {c: _votes(row, c) for c in ("insult", "obscene", *IDENTITY)}
    if not any(votes.values()):
        return dict(ALL_NEGATIVE) if keep_share(row_id, NEGATIVE_KEEP) else None
    known: dict[str, int] = {}
    if any(votes[c] >= 2 for c in IDENTITY):
        known["identity_attack"] = 1
    if votes["insult"] >= 2 and (known or keep_share(row_id, INSULT_KEEP)):
        known["insult"] = 1
    profanity_only = votes["obscene"] >= 2 and not any(votes[c] for c in ("insult", *IDENTITY))
    if not known and profanity_only:
        known = {"insult": 0, "identity_attack": 0}
    return known or None


def load(datasets_dir: Path) -> ExternalRows:
    """ToLD-Br rows mapped to Kalkan labels (see the module docstring)."""
    path = Path(datasets_dir) / FILE
    rows = RowCollector(NAME)
    rows.record_file(path, Path(datasets_dir))
    with path.open(encoding="utf-8", newline="") as fh:
        for i, row in enumerate(csv.DictReader(fh)):
            known = _known(row, f"told-{i}")
            if known is not None:
                rows.add(placeholders(row["text"]), known, f"told-{i}")
    return rows.rows()
