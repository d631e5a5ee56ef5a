"""OffensEval 2020 Turkish (Çöltekin 2020; CC-BY): offensive / not offensive tweets.

Only the NOT rows are used, as clean Turkish negatives for every label (subsampled):
upstream ``OFF`` mixes profanity, insults, group attacks and threats, so it says nothing
about any one Kalkan label. The gold test split is never read.
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

NAME = "offenseval_tr"
LICENCE = "CC-BY"
FILE = Path("offenseval2020_tr") / "offenseval-tr-training-v1.tsv"
NEGATIVE_KEEP = 0.06


def load(datasets_dir: Path) -> ExternalRows:
    """A deterministic sample of NOT-offensive training tweets as negatives."""
    path = Path(datasets_dir) / FILE
    rows = RowCollector(NAME)
    rows.record_file(path, Path(datasets_dir))
    with path.open(encoding="utf-8", newline="") as fh:
        for parts in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(parts) != 3 or parts[2] != "NOT":
                continue
            row_id = f"tr-{parts[0]}"
            if keep_share(row_id, NEGATIVE_KEEP):
                rows.add(placeholders(parts[1]), dict(ALL_NEGATIVE), row_id)
    return rows.rows()
