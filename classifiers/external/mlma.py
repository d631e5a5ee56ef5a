"""MLMA (Ousidhoum et al., EMNLP 2019; MIT): hateful tweets in French, Arabic and English.

Collected with hate keywords, so nearly every row is hostile. Mapping (rows agreed by
at least two annotators upstream):
- ``normal`` only → negative for every label;
- ``hateful`` with a protected target (origin, gender, sexual orientation, religion,
  disability) → identity_attack = 1;
- ``offensive``/``abusive``/``disrespectful`` aimed directly at an individual → insult = 1;
- anything else (fear-mongering, mixed labels) is skipped: it says nothing reliable.
"""

from __future__ import annotations

import csv
from pathlib import Path

from classifiers.external.rows import ALL_NEGATIVE, ExternalRows, RowCollector, placeholders

NAME = "mlma"
LICENCE = "MIT"
FILES = {
    "fr": Path("mlma_fr_ar_en") / "fr_dataset.csv",
    "ar": Path("mlma_fr_ar_en") / "ar_dataset.csv",
    "en": Path("mlma_fr_ar_en") / "en_dataset_with_stop_words.csv",
}
PROTECTED = {"origin", "gender", "sexual_orientation", "religion", "disability"}
RUDE = {"offensive", "abusive", "disrespectful"}


def _known(row: dict[str, str]) -> dict[str, int] | None:
    hostility = set(row["sentiment"].split("_"))
    if hostility == {"normal"}:
        return dict(ALL_NEGATIVE)
    if "hateful" in hostility and row["target"] in PROTECTED:
        return {"identity_attack": 1}
    if hostility & RUDE and row["directness"] == "direct" and row["group"] == "individual":
        return {"insult": 1}
    return None


def load(datasets_dir: Path) -> ExternalRows:
    """MLMA rows with a clear mapping (see the module docstring)."""
    rows = RowCollector(NAME)
    for lang, rel in FILES.items():
        path = Path(datasets_dir) / rel
        rows.record_file(path, Path(datasets_dir))
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                known = _known(row)
                if known is not None:
                    rows.add(placeholders(row["tweet"]), known, f"{lang}-{row['HITId']}")
    return rows.rows()
