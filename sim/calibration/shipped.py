"""The shipped calibration (``sim/calibration/calibrated.yaml``) and reading calibration files.

``calibrated.yaml`` is the output of ``flashpoint calibrate`` with its default settings on the
repository's ``data/`` (seeded: ``tests/test_calibration.py`` reproduces it).
"""

from __future__ import annotations

import functools
from pathlib import Path

import yaml

from ..scenario.errors import ScenarioError
from ..scenario.reading import check_structure, decode, read_bytes

SHIPPED = Path(__file__).resolve().parent / "calibrated.yaml"

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader where PyYAML has it: the shipped file parses in 2.5 ms instead of 23."""


def load_ensemble(path: str | Path | None = None) -> list[dict[str, float]]:
    """The ensemble of a calibration file (plausible parameter sets, best first).

    Raises:
        ScenarioError: the file is missing, unreadable or not a calibration.
    """
    doc = _read(path)
    members = doc.get("ensemble")
    if not isinstance(members, list) or not members or not all(
            isinstance(m, dict) and all(isinstance(v, int | float) for v in m.values())
            for m in members):
        raise ScenarioError(str(path or SHIPPED), "ensemble: must be a list of parameter sets")
    return [{k: float(v) for k, v in m.items()} for m in members]


def ensemble_vary(members: list[dict[str, float]], replicates,
                  actors: set[str]) -> dict[str, list[float]]:
    """``vary`` giving replicate r the ensemble member r mod k (parameter uncertainty).

    ``replicates``: how many (numbered 0 ..), or the replicates' numbers in the experiment, so
    that replicate 4,711 takes the same member in a batch and alone.
    """
    ids = range(replicates) if isinstance(replicates, int) else [int(r) for r in replicates]
    paths = [p for p in members[0] if not p.startswith("actors.") or p.split(".")[1] in actors]
    return {p: [members[r % len(members)][p] for r in ids] for p in paths}


def _read(path: str | Path | None) -> dict:
    file = Path(path) if path is not None else SHIPPED
    text = decode(read_bytes(file), str(file))
    try:
        doc = _parse(text, str(file))
    except yaml.YAMLError:
        raise ScenarioError(str(file), "is not a calibration file (YAML error)") from None
    if not isinstance(doc, dict) or "flashpoint_calibration" not in doc or not isinstance(
            doc.get("best"), dict):
        raise ScenarioError(str(file), "is not a calibration file (flashpoint calibrate writes "
                                       "calibration.yaml)")
    return doc


@functools.lru_cache(maxsize=4)
def _parse(text: str, file: str) -> object:
    """A calibration file's YAML, checked and parsed once for each text (the callers only read it).

    Raises:
        ScenarioError: nesting or (aliases expanded) node counts beyond a scenario's bounds.
    """
    check_structure(text, file)  # an alias bomb is refused before anything is built
    return yaml.load(text, Loader=_LOADER)  # safe: plain data only


def load_calibration(path: str | Path | None = None) -> dict[str, float]:
    """The best values of a calibration file (default: the shipped one), ``{path: value}``.

    Raises:
        ScenarioError: the file is missing, unreadable or not a calibration.
    """
    file = Path(path) if path is not None else SHIPPED
    best = _read(path)["best"]
    if not all(isinstance(k, str) and isinstance(v, int | float) for k, v in best.items()):
        raise ScenarioError(str(file), "best: must map parameter paths to numbers")
    return {k: float(v) for k, v in best.items()}
