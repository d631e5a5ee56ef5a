"""Template expansion: seeded fills, slot values, and a split by template without leakage."""

from __future__ import annotations

import json
import random
import re
from collections import defaultdict
from pathlib import Path

from classifiers.base import LABELS
from classifiers.corpus.expand import (
    KINDS,
    NEGATIVE_TYPES,
    SLOT_RE,
    TEMPLATES_DIR,
    assign_splits,
    expand,
    fill,
    load_templates,
)
from classifiers.corpus.slots import slot_values

MINI = Path(__file__).parent / "data" / "templates"


def test_expansion_is_deterministic_and_fills_every_slot() -> None:
    templates = load_templates(MINI)
    first, second = expand(templates, seed=13), expand(templates, seed=13)
    assert first == second
    assert all(not SLOT_RE.search(e.text) for e in first)
    per_template = defaultdict(set)
    for e in first:
        per_template[e.template].add(e.text)
    slotted = [t for t in templates if SLOT_RE.search(t.text)]
    assert slotted and all(len(per_template[t.template]) == 3 for t in slotted)
    assert expand(templates, seed=14) != first  # the seed matters


def test_latin_script_templates_get_fills_of_their_own_language_and_script() -> None:
    """A Ukrainian post in Latin letters about "{first}" must not get Russian or Kazakh
    names: the classifier would learn the language of a name instead of the post."""
    for lang in ("ru", "kk", "uk"):
        latin, native = slot_values(lang, latin=True), slot_values(lang, latin=False)
        assert all(v.isascii() or lang == "kk" for v in latin["first"]), lang
        assert not set(latin["first"]) & set(native["first"]), lang
    uk_names = set(slot_values("uk", latin=True)["first"])
    assert not uk_names & set(slot_values("ru", latin=True)["first"])
    rng = random.Random(7)
    filled = {fill("{first}, pryvit!", "uk", rng).split(",")[0] for _ in range(40)}
    assert filled <= uk_names and len(filled) > 1
    assert fill("{first}, привіт!", "uk", rng).split(",")[0] in slot_values("uk", False)["first"]


def test_split_is_by_template_without_leakage() -> None:
    examples = expand(load_templates(MINI))
    split_of = defaultdict(set)
    for e in examples:
        split_of[e.template].add(e.split)
    assert all(len(s) == 1 for s in split_of.values())
    train_texts = {e.text for e in examples if e.split == "train"}
    assert not train_texts & {e.text for e in examples if e.split == "dev"}


def test_every_language_and_label_has_dev_positives() -> None:
    examples = expand(load_templates(MINI))
    dev_pos = {(e.lang, lab) for e in examples if e.split == "dev" for lab in e.labels}
    for lang in ("ru", "kk", "en"):
        for lab in LABELS:
            assert (lang, lab) in dev_pos, (lang, lab)


def test_split_of_a_template_does_not_depend_on_file_order(tmp_path: Path) -> None:
    lines = (MINI / "mini.jsonl").read_text(encoding="utf-8").splitlines()
    (tmp_path / "x.jsonl").write_text("\n".join(reversed(lines)) + "\n", encoding="utf-8")
    assert assign_splits(load_templates(tmp_path)) == assign_splits(load_templates(MINI))


def test_malformed_lines_are_skipped(tmp_path: Path) -> None:
    good = {"template": "en-x-001", "lang": "en", "text": "hi {first}", "labels": []}
    (tmp_path / "en.jsonl").write_text("{not json\n" + json.dumps(good) + "\n", encoding="utf-8")
    templates = load_templates(tmp_path)
    assert [t.template for t in templates] == ["en-x-001"]
    assert templates[0].kind == "benign"


def test_shipped_corpus_lines_are_well_formed() -> None:
    """The loader forgives bad lines (a user's corpus must not crash training), so the
    shipped corpus is checked strictly here: a typo in a label would otherwise silently
    turn a threat into a negative example."""
    ids: set[str] = set()
    for path in sorted(TEMPLATES_DIR.glob("*.jsonl")):
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            where = f"{path.name}:{lineno}"
            row = json.loads(line)
            assert row["lang"] == path.stem, where
            assert row["template"].startswith(f"{path.stem}-"), where
            assert row["template"] not in ids, f"{where}: duplicate id {row['template']}"
            ids.add(row["template"])
            assert set(row["labels"]) <= set(LABELS), where
            assert row["kind"] in KINDS, where
            assert (row["kind"] == "positive") == bool(row["labels"]), where
            if row["kind"] == "hard_negative":
                assert row.get("negative_type") in NEGATIVE_TYPES, where
            slots = re.findall(r"\{[^{}]*\}", row["text"])
            assert all(SLOT_RE.fullmatch(s) for s in slots), f"{where}: unknown slot {slots}"


def test_adding_templates_never_moves_existing_ones(tmp_path: Path) -> None:
    """Dev figures of two corpus versions are comparable on the templates they share."""
    before = assign_splits(load_templates(MINI))
    lines = (MINI / "mini.jsonl").read_text(encoding="utf-8").splitlines()
    extra = [
        json.dumps({"template": f"en-new-{i:03d}", "lang": "en", "text": f"post {i}", "labels": []})
        for i in range(40)
    ]
    (tmp_path / "mini.jsonl").write_text("\n".join(lines + extra) + "\n", encoding="utf-8")
    after = assign_splits(load_templates(tmp_path))
    assert {t: after[t] for t in before} == before


def test_the_five_folds_give_every_template_a_turn_in_dev() -> None:
    templates = load_templates(MINI)
    folds = [assign_splits(templates, dev_fold=k) for k in range(5)]
    for tpl in templates:
        assert any(f[tpl.template] == "dev" for f in folds), tpl.template
    assert folds[0] == assign_splits(templates)  # the shipped model's split is fold 0
