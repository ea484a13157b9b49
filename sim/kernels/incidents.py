"""The incidents phase compiled: expected counts and the tension impulses.

The equation is :func:`sim.submodels.incidents.expected`. The draws by severity are made on the
counter-based streams (:func:`sim.kernels.streams.incidents_by_severity`).
"""

from __future__ import annotations

import numpy as np

from ..submodels import incidents as submodel
from . import compiled, kernel
from .parameters import IncidentsValues

expected = compiled(submodel.expected)
impulse = compiled(submodel.impulse)
count_of = compiled(submodel.count)


@kernel
def expected_counts(activity: np.ndarray, readiness: np.ndarray, hybrid: np.ndarray,
                    pair_a: np.ndarray, pair_b: np.ndarray, pair_dialogue: np.ndarray,
                    arms_control: np.ndarray, incidents_values: tuple, months: float
                    ) -> np.ndarray:
    """Lambda for every pair and replicate, (P, R), from actor arrays (N, R) and parameters (R,)."""
    p = IncidentsValues(*incidents_values)
    P, R = arms_control.shape
    lam = np.empty((P, R))
    for k in range(P):
        a = pair_a[k]
        b = pair_b[k]
        for r in range(R):
            lam[k, r] = expected(p.base_rate[r], p.max_rate[r], p.activity_exponent[r],
                                 p.transparency[r],
                                 activity[a, r], activity[b, r], readiness[a, r] + readiness[b, r],
                                 hybrid[a, r] + hybrid[b, r], pair_dialogue[k, r],
                                 arms_control[k, r], months)
    return lam


@kernel
def impulses(tension_impulse: np.ndarray, low: np.ndarray, serious: np.ndarray,
             high: np.ndarray, size: tuple[float, float, float]
             ) -> tuple[np.ndarray, np.ndarray]:
    """Tension impulses with this step's incidents added, and the incident counts, each (P, R).

    ``size`` is the tension a routine, serious and high-risk incident adds; the counts are
    returned as real numbers (the state's ``incidents``).
    """
    P, R = tension_impulse.shape
    out = np.empty((P, R))
    count = np.empty((P, R))
    for k in range(P):
        for r in range(R):
            out[k, r] = impulse(tension_impulse[k, r], size[0], size[1], size[2], low[k, r],
                                serious[k, r], high[k, r])
            count[k, r] = count_of(low[k, r], serious[k, r], high[k, r])
    return out, count
