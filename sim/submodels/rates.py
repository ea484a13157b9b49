"""Monthly rates over a time step: discrete compounding.

Behavioural rates are declared per month so that a scenario's time step (1-12 months) does not
change their meaning. Over a step of dt_m months a partial adjustment at monthly rate r closes the
share

    s(r, dt_m) = 1 - (1 - r)^dt_m

of a gap (Nerlove 1958's partial adjustment compounded monthly), and a memory of monthly weight
mu keeps the share mu^dt_m of the old value (exponential smoothing; Jervis 1976 on the
persistence of images). At dt_m = 1 both are the monthly values.
"""

from __future__ import annotations

import numpy as np


def share_per_step(rate: float | np.ndarray, months: float) -> float | np.ndarray:
    """The share of a gap closed in a step of ``months`` months at ``rate`` a month: 1 - (1 - r)^m."""
    return 1.0 - (1.0 - rate) ** months


def kept_per_step(memory: float | np.ndarray, months: float) -> float | np.ndarray:
    """The share kept over a step of ``months`` months with ``memory`` a month: memory^months."""
    return memory ** months
