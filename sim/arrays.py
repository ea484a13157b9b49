"""Small array helpers for the hot path."""

from __future__ import annotations

import numpy as np


def clamp(x: np.ndarray, lo: float | np.ndarray, hi: float | np.ndarray,
          out: np.ndarray | None = None) -> np.ndarray:
    """``min(max(x, lo), hi)`` elementwise, like ``np.clip`` at a fraction of its overhead.

    With ``out`` (which may be ``x`` itself) the result is written there.
    """
    out = np.maximum(x, lo, out=out)
    return np.minimum(out, hi, out=out)
