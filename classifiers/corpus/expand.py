"""Expand corpus templates into labelled examples and split them train/dev by template.

Each template line (see ANNOTATION_GUIDE.md) becomes ``fills`` examples whose slots
({name}, {phone}, ...) hold fictional values chosen by a seeded generator, so the same
templates always give the same examples. The split is decided per template, never per
example, so that near-duplicate fills of one template cannot leak from train into dev.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from classifiers.base import LABELS
from classifiers.corpus.slots import slot_values

logger = logging.getLogger(__name__)

TEMPLATES_DIR = Path(__file__).parent / "templates"
SLOT_RE = re.compile(r"\{(name|first|city|venue|date|phone|address|handle)\}")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
#: ids whose hash is ``dev_fold`` mod 5 go to dev (~80/20); folds 1-4 serve cross-validation
FOLDS = 5
#: what a template is (ANNOTATION_GUIDE.md, "Line format")
KINDS = ("positive", "hard_negative", "benign")
#: the kinds of hard negative the guide defines; the evaluation reports each separately
NEGATIVE_TYPES = (
    "news",
    "counter_speech",
    "reclaimed",
    "benign_gathering",
    "idiom",
    "criticism",
    "support",
    "negation",
    "quote_report",
    "non_protected",
    "profanity",
    "question",
    "identity_positive",
)


@dataclass(frozen=True, slots=True)
class Template:
    """One hand-written post with slots, its labels and its kind."""

    template: str
    lang: str
    text: str
    labels: tuple[str, ...]
    kind: str
    negative_type: str | None = None


@dataclass(frozen=True, slots=True)
class Example:
    """One expanded, labelled post ready for training or evaluation."""

    text: str
    lang: str
    labels: tuple[str, ...]
    template: str
    kind: str
    negative_type: str | None
    split: str


def _stable_hash(value: str) -> int:
    """A process-independent 64-bit hash (Python's hash() is salted per run)."""
    return int.from_bytes(hashlib.sha256(value.encode("utf-8")).digest()[:8], "big")


def load_templates(corpus_dir: Path = TEMPLATES_DIR) -> list[Template]:
    """Read every ``*.jsonl`` template file; malformed lines are skipped with a warning."""
    templates: dict[str, Template] = {}
    for path in sorted(Path(corpus_dir).glob("*.jsonl")):
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                labels = tuple(lab for lab in LABELS if lab in set(row.get("labels") or []))
                tpl = Template(
                    template=str(row["template"]),
                    lang=str(row["lang"]),
                    text=str(row["text"]),
                    labels=labels,
                    kind=str(row.get("kind") or ("positive" if labels else "benign")),
                    negative_type=row.get("negative_type"),
                )
            except (ValueError, KeyError, TypeError) as exc:
                logger.warning("skipping %s:%d: %s", path.name, lineno, exc)
                continue
            if tpl.template in templates:
                logger.warning("duplicate template id %s in %s", tpl.template, path.name)
                continue
            templates[tpl.template] = tpl
    return list(templates.values())


def assign_splits(templates: Iterable[Template], *, dev_fold: int = 0) -> dict[str, str]:
    """Map template id -> "train"/"dev": dev when the id's SHA-256 falls in one fifth
    (``dev_fold``; the shipped model uses fold 0, `kalkan eval --cv` all five).

    The split of a template depends on its id alone, so adding templates never moves an
    existing one between train and dev (a rank within a group would): dev figures of two
    corpus versions can be compared on the templates they share. A language x label with
    positives but none in dev gets one moved there (_ensure_dev_positives).
    """
    listed = list(templates)
    splits = {
        tpl.template: "dev" if _stable_hash(tpl.template) % FOLDS == dev_fold else "train"
        for tpl in listed
    }
    _ensure_dev_positives(listed, splits)
    return splits


def _ensure_dev_positives(templates: list[Template], splits: dict[str, str]) -> None:
    """Move one template to dev for any language x label with positives but none in dev."""
    by_key: dict[tuple[str, str], list[Template]] = defaultdict(list)
    for tpl in templates:
        for label in tpl.labels:
            by_key[(tpl.lang, label)].append(tpl)
    for key in sorted(by_key):
        group = by_key[key]
        if len(group) >= 2 and all(splits[t.template] == "train" for t in group):
            pick = min(group, key=lambda t: (_stable_hash(t.template), t.template))
            splits[pick.template] = "dev"


def fill(text: str, lang: str, rng: random.Random) -> str:
    """Replace every slot in ``text`` with a fictional value for the language and script."""
    values = slot_values(lang, latin=lang in ("ru", "kk", "uk") and not _CYRILLIC.search(text))
    return SLOT_RE.sub(lambda m: rng.choice(values[m.group(1)]), text)


def expand(
    templates: Iterable[Template], *, fills: int = 3, seed: int = 13, dev_fold: int = 0
) -> list[Example]:
    """Expand templates into examples: ``fills`` seeded fills each (1 if it has no slot)."""
    templates = list(templates)
    splits = assign_splits(templates, dev_fold=dev_fold)
    examples: list[Example] = []
    for tpl in templates:
        rng = random.Random(_stable_hash(f"{seed}:{tpl.template}"))  # noqa: S311 (not crypto)
        n = fills if SLOT_RE.search(tpl.text) else 1
        seen: set[str] = set()
        for _ in range(n * 3):
            text = fill(tpl.text, tpl.lang, rng)
            if text in seen:
                continue
            seen.add(text)
            examples.append(
                Example(
                    text,
                    tpl.lang,
                    tpl.labels,
                    tpl.template,
                    tpl.kind,
                    tpl.negative_type,
                    splits[tpl.template],
                )
            )
            if len(seen) >= n:
                break
    return examples


def load_corpus(
    corpus_dir: Path = TEMPLATES_DIR, *, fills: int = 3, seed: int = 13, dev_fold: int = 0
) -> list[Example]:
    """Load and expand the whole template corpus in one call."""
    return expand(load_templates(corpus_dir), fills=fills, seed=seed, dev_fold=dev_fold)
