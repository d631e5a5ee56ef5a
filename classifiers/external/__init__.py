"""Third-party training data that the licences allow (see ../shared/datasets/README.md).

Each module maps one data set onto Kalkan's labels with per-row label masks and records
the SHA-256 of the files it read. Only sets whose licence allows redistributing a model
trained on them are listed here; the functional test suites (HateCheck, MHC) and the
non-commercial/research-only sets are never loaded for training.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType

from classifiers.external import edos, mlma, offenseval_tr, osact, told
from classifiers.external.rows import ExternalRows, sha256_file

__all__ = ["DATASETS", "ExternalRows", "licences", "load_external", "sha256_file"]

_MODULES: tuple[ModuleType, ...] = (edos, mlma, osact, told, offenseval_tr)

#: Data set name -> loader(datasets_dir) -> ExternalRows.
DATASETS: dict[str, Callable[[Path], ExternalRows]] = {m.NAME: m.load for m in _MODULES}


def licences() -> dict[str, str]:
    """Data set name -> licence, for the artefact metadata and the model card."""
    return {m.NAME: m.LICENCE for m in _MODULES}


def load_external(datasets_dir: Path, names: Iterable[str] | None = None) -> ExternalRows:
    """Load the named data sets (all of them by default) that exist under ``datasets_dir``.

    A missing data set is an error naming it: training must not silently change data.
    """
    chosen = list(DATASETS) if names is None else list(names)
    unknown = [n for n in chosen if n not in DATASETS]
    if unknown:
        raise ValueError(f"unknown data set(s) {unknown}; known: {sorted(DATASETS)}")
    combined = ExternalRows()
    for name in chosen:
        try:
            combined.extend(DATASETS[name](Path(datasets_dir)))
        except FileNotFoundError as exc:
            raise FileNotFoundError(
                f"data set {name!r} not found under {datasets_dir} ({exc.filename}); "
                "pass --datasets pointing at the shared datasets folder"
            ) from exc
    return combined
