"""Third-party training sets: each loader's label mapping, masks, hashes and errors.

Small files in each data set's exact upstream format are written into a temporary
folder, so these tests run without ../shared; one test reads the real folder when present.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from classifiers.base import LABELS
from classifiers.external import DATASETS, licences, load_external
from classifiers.external.rows import keep_share

SHARED = Path(__file__).resolve().parents[3] / "shared" / "datasets"


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


def _known(rows, text: str) -> dict[str, int]:
    i = rows.texts.index(text)
    return {lab: int(rows.y[i, j]) for j, lab in enumerate(LABELS) if rows.mask[i, j]}


@pytest.fixture
def datasets(tmp_path: Path) -> Path:
    root = tmp_path / "datasets"
    _write_csv(
        root / "edos" / "edos_train_dev.csv",
        ["rewire_id", "text", "label_sexist", "label_category", "label_vector", "split"],
        [
            ["e1", "[USER] women should be hurt", "sexist", "1. threats", "1.1 threats", "train"],
            ["e2", "go harass her [URL]", "sexist", "1. threats", "1.2 incitement", "train"],
            ["e3", "women cannot drive", "sexist", "2. derogation", "2.1 descriptive", "dev"],
        ]
        + [
            [f"n{i}", f"nice weather {i}", "not sexist", "none", "none", "train"] for i in range(40)
        ],
    )
    header = ["HITId", "tweet", "sentiment", "directness", "annotator_sentiment", "target", "group"]
    for lang in ("fr", "ar"):
        _write_csv(
            root / "mlma_fr_ar_en" / f"{lang}_dataset.csv",
            header,
            [
                [
                    "1",
                    f"{lang} hateful about migrants",
                    "hateful",
                    "indirect",
                    "anger",
                    "origin",
                    "immigrants",
                ],
                ["2", f"{lang} you idiot", "offensive", "direct", "anger", "other", "individual"],
                [
                    "3",
                    f"{lang} ordinary tweet",
                    "normal",
                    "indirect",
                    "indifference",
                    "other",
                    "other",
                ],
                ["4", f"{lang} scary tweet", "fearful", "indirect", "fear", "origin", "other"],
            ],
        )
    _write_csv(
        root / "mlma_fr_ar_en" / "en_dataset_with_stop_words.csv",
        header,
        [
            [
                "1",
                "en hateful about women",
                "hateful_offensive",
                "direct",
                "anger",
                "gender",
                "women",
            ]
        ],
    )
    osact = root / "osact4_offenseval2020_ar"
    osact.mkdir(parents=True)
    clean = "\n".join(f"تغريدة عادية {i}\tNOT_OFF\tNOT_HS" for i in range(60))
    (osact / "OSACT2020-sharedTask-train.txt").write_text(
        "@USER كراهية ضد جماعة\tOFF\tHS\nشتيمة URL<LF>سطر\tOFF\tNOT_HS\n"
        + clean
        + "\nbroken line\n",
        encoding="utf-8",
    )
    (osact / "OSACT2020-sharedTask-dev.txt").write_text("", encoding="utf-8")
    cats = ["homophobia", "obscene", "insult", "racism", "misogyny", "xenophobia"]
    _write_csv(
        root / "told_br" / "ToLD-BR.csv",
        ["text", *cats],
        [
            ["racista nojento", "0.0", "0.0", "2.0", "3.0", "0.0", "0.0"],
            ["que porra de jogo", "0.0", "3.0", "0.0", "0.0", "0.0", "0.0"],
            ["um voto só", "0.0", "0.0", "1.0", "0.0", "0.0", "0.0"],
        ]
        + [[f"bom dia {i}", "0.0", "0.0", "0.0", "0.0", "0.0", "0.0"] for i in range(60)],
    )
    tr = root / "offenseval2020_tr" / "offenseval-tr-training-v1.tsv"
    tr.parent.mkdir(parents=True)
    tr.write_text(
        "".join(f'{i}\tgüzel bir gün "{i}"\tNOT\n' for i in range(200)) + "999\tküfür\tOFF\n",
        encoding="utf-8",
    )
    return root


def test_every_loader_maps_labels_with_masks(datasets: Path) -> None:
    rows = load_external(datasets)
    assert set(rows.counts) == set(DATASETS)
    assert rows.y.shape == rows.mask.shape == (len(rows), len(LABELS))
    assert not (rows.y.astype(bool) & ~rows.mask).any(), "a positive must be a known label"
    # EDOS: sexist -> identity_attack; 1.1 threat, 1.2 incitement; placeholders unified
    assert _known(rows, "@user women should be hurt") == {"identity_attack": 1, "threat": 1}
    assert _known(rows, "go harass her http://link") == {"identity_attack": 1, "incitement": 1}
    assert _known(rows, "women cannot drive") == {"identity_attack": 1}
    # MLMA: hateful + protected target, direct insult to an individual, normal; fearful skipped
    assert _known(rows, "fr hateful about migrants") == {"identity_attack": 1}
    assert _known(rows, "ar you idiot") == {"insult": 1}
    assert _known(rows, "fr ordinary tweet") == dict.fromkeys(LABELS, 0)
    assert "fr scary tweet" not in rows.texts
    # OSACT: HS -> identity_attack, OFF alone -> identity_attack 0 only; bad lines ignored
    assert _known(rows, "@user كراهية ضد جماعة") == {"identity_attack": 1}
    assert _known(rows, "شتيمة http://link سطر") == {"identity_attack": 0}
    assert "broken line" not in rows.texts
    # ToLD-Br: two votes needed; profanity alone is neither insult nor identity attack
    assert _known(rows, "racista nojento")["identity_attack"] == 1
    assert _known(rows, "que porra de jogo") == {"insult": 0, "identity_attack": 0}
    assert "um voto só" not in rows.texts
    # OffensEval-TR: only NOT rows, as all-negative, quotes kept verbatim
    assert "küfür" not in rows.texts
    tr_rows = [t for t in rows.texts if t.startswith("güzel")]
    assert tr_rows and all(_known(rows, t) == dict.fromkeys(LABELS, 0) for t in tr_rows)


def test_loading_is_deterministic_and_hashes_the_files(datasets: Path) -> None:
    one, two = load_external(datasets), load_external(datasets)
    assert one.texts == two.texts and np.array_equal(one.y, two.y)
    assert "edos/edos_train_dev.csv" in one.sources
    assert all(len(h) == 64 for h in one.sources.values())
    assert set(licences()) == set(DATASETS)


def test_subsampling_is_stable_and_proportional() -> None:
    kept = [keep_share(f"row-{i}", 0.25) for i in range(4000)]
    assert kept == [keep_share(f"row-{i}", 0.25) for i in range(4000)]
    assert 0.2 < sum(kept) / len(kept) < 0.3


def test_missing_or_unknown_data_set_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="data set 'edos' not found"):
        load_external(tmp_path, ["edos"])
    with pytest.raises(ValueError, match="unknown data set"):
        load_external(tmp_path, ["hatecheck"])


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/datasets is not beside this checkout")
def test_real_data_sets_load() -> None:
    rows = load_external(SHARED)
    assert all(n > 500 for n in rows.counts.values()), rows.counts
    assert rows.y[:, LABELS.index("identity_attack")].sum() > 1000
