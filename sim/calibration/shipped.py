"""The shipped calibration (``sim/calibration/calibrated.yaml``) and reading calibration files.

``calibrated.yaml`` is the output of ``flashpoint calibrate`` with its default settings on the
repository's ``data/`` (seeded: ``tests/test_calibration.py`` reproduces it).
"""

from __future__ import annotations

import functools
import math
from pathlib import Path

import numpy as np
import yaml

from ..scenario.errors import ScenarioError
from ..scenario.reading import check_structure, decode, read_bytes

SHIPPED = Path(__file__).resolve().parent / "calibrated.yaml"

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader where PyYAML has it: the shipped file parses in 2.5 ms instead of 23."""


MAX_MEMBERS = 100_000
"""The most ensemble members a calibration file may hold."""


def load_ensemble(path: str | Path | None = None) -> list[dict[str, float]]:
    """The ensemble of a calibration file (plausible parameter sets; a posterior's draws).

    Two layouts: a list of ``{path: value}`` (a handful of members), or ``paths`` (the columns)
    and ``members``, a block of whitespace-separated numbers, one member a line (a posterior's
    thousand draws parse in milliseconds).

    Raises:
        ScenarioError: the file is missing, unreadable or not a calibration.
    """
    file = str(path or SHIPPED)
    members = _read(path).get("ensemble")
    if isinstance(members, dict):
        paths, table = members.get("paths"), _table(members.get("members"), float, file,
                                                    "ensemble.members")
        if not isinstance(paths, list) or not paths or not all(isinstance(p, str)
                                                               for p in paths) \
                or table.shape[1] != len(paths):
            raise ScenarioError(file, "ensemble: paths must name each column of members")
        return [dict(zip(paths, map(float, row), strict=True)) for row in table]
    if not isinstance(members, list) or not members or len(members) > MAX_MEMBERS or not all(
            isinstance(m, dict) and all(isinstance(v, int | float) and math.isfinite(v)
                                        for v in m.values())
            for m in members):
        raise ScenarioError(file, "ensemble: must be a list of parameter sets")
    return [{k: float(v) for k, v in m.items()} for m in members]


def load_draws(path: str | Path | None = None) -> list[tuple[int, int]] | None:
    """Each member's (seed, replicate) of its unfitted constants' draw, or None.

    A posterior fitted with every other constant drawn from its prior (``flashpoint calibrate
    --method abc``) keeps, for each member, where its accepted simulation drew them
    (:func:`sim.calibration.priors.draw`); a calibrated run draws them again from there.

    Raises:
        ScenarioError: the draws are malformed or not one a member.
    """
    file = str(path or SHIPPED)
    members = _read(path).get("ensemble")
    if not isinstance(members, dict) or members.get("draws") is None:
        return None
    table = _table(members["draws"], np.int64, file, "ensemble.draws")
    count = len(str(members.get("members", "")).strip().splitlines())  # load_ensemble checks them
    if table.shape[1] != 2 or len(table) != count or (table < 0).any():
        raise ScenarioError(file, "ensemble.draws: one 'seed replicate' line a member, "
                                  "whole numbers >= 0")
    return [(int(a), int(b)) for a, b in table]


def _table(text: object, dtype, file: str, field: str) -> np.ndarray:
    """A block of whitespace-separated numbers, one row a line, checked (finite, rectangular)."""
    if not isinstance(text, str):
        raise ScenarioError(file, f"{field}: must be a block of numbers, one member a line")
    lines = [line.split() for line in text.strip().splitlines()]
    if not lines or len(lines) > MAX_MEMBERS or len({len(line) for line in lines}) != 1:
        raise ScenarioError(file, f"{field}: every line must hold the same count of numbers "
                                  f"(at most {MAX_MEMBERS:,} lines)")
    try:
        table = np.array(lines, dtype=dtype)
    except (ValueError, OverflowError):
        raise ScenarioError(file, f"{field}: holds something that is not a number") from None
    if table.dtype.kind == "f" and not np.isfinite(table).all():
        raise ScenarioError(file, f"{field}: numbers must be finite (no NaN or inf)")
    return table


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
