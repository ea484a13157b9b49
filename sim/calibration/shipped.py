"""The shipped calibration (``sim/calibration/calibrated.yaml``) and reading calibration files.

``calibrated.yaml`` is the output of ``flashpoint calibrate`` with its default settings on the
repository's ``data/`` (seeded: ``tests/test_calibration.py`` reproduces it).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from ..scenario.errors import ScenarioError
from ..scenario.loader import decode, read_bytes

SHIPPED = Path(__file__).resolve().parent / "calibrated.yaml"


def load_calibration(path: str | Path | None = None) -> dict[str, float]:
    """The best values of a calibration file (default: the shipped one), ``{path: value}``.

    Raises:
        ScenarioError: the file is missing, unreadable or not a calibration.
    """
    file = Path(path) if path is not None else SHIPPED
    text = decode(read_bytes(file), str(file))
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError:
        raise ScenarioError(str(file), "is not a calibration file (YAML error)") from None
    if not isinstance(doc, dict) or "flashpoint_calibration" not in doc or not isinstance(
            doc.get("best"), dict):
        raise ScenarioError(str(file), "is not a calibration file (flashpoint calibrate writes "
                                       "calibration.yaml)")
    best = doc["best"]
    if not all(isinstance(k, str) and isinstance(v, int | float) for k, v in best.items()):
        raise ScenarioError(str(file), "best: must map parameter paths to numbers")
    return {k: float(v) for k, v in best.items()}
