"""EDOS (Explainable Detection of Online Sexism, SemEval-2023 Task 10; CC0), English.

- identity_attack: known for every row (sexist = 1, not sexist = 0);
- threat: positive for vector 1.1 (threats of harm), otherwise unknown;
- incitement: positive for vector 1.2 (incitement and encouragement of harm), otherwise unknown;
- insult, sexual_harassment: unknown (a not-sexist post can still insult someone else).
Not-sexist rows are subsampled deterministically to keep encoding time reasonable.
"""

from __future__ import annotations

import csv
from pathlib import Path

from classifiers.external.rows import ExternalRows, RowCollector, keep_share, placeholders

NAME = "edos"
LICENCE = "CC0-1.0"
FILE = Path("edos") / "edos_train_dev.csv"
NEGATIVE_KEEP = 0.35  # share of not-sexist rows kept


def load(datasets_dir: Path) -> ExternalRows:
    """EDOS train+dev rows mapped to Kalkan labels (see the module docstring)."""
    path = Path(datasets_dir) / FILE
    rows = RowCollector(NAME)
    rows.record_file(path, Path(datasets_dir))
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            sexist = row["label_sexist"] == "sexist"
            if not sexist and not keep_share(row["rewire_id"], NEGATIVE_KEEP):
                continue
            known = {"identity_attack": int(sexist)}
            if row["label_vector"].startswith("1.1"):
                known["threat"] = 1
            if row["label_vector"].startswith("1.2"):
                known["incitement"] = 1
            rows.add(placeholders(row["text"]), known, row["rewire_id"])
    return rows.rows()
