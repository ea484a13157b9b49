"""The incidents phase compiled: expected counts, Poisson draws and the severity split in one call.

The equation is :func:`sim.submodels.incidents.expected`; the draws are those of the submodel's
docstring (n ~ Poisson(lambda), split into routine, serious and high-risk by two binomials).
"""

from __future__ import annotations

import numpy as np

from ..submodels import incidents as submodel
from . import compiled, kernel

expected = compiled(submodel.expected)
serious_share = compiled(submodel.serious_share)


@kernel
def expected_counts(activity: np.ndarray, readiness: np.ndarray, hybrid: np.ndarray,
                    pair_a: np.ndarray, pair_b: np.ndarray, pair_dialogue: np.ndarray,
                    arms_control: np.ndarray, base_rate: np.ndarray, max_rate: np.ndarray,
                    exponent: np.ndarray, transparency: np.ndarray, months: float) -> np.ndarray:
    """Lambda for every pair and replicate, (P, R), from actor arrays (N, R) and parameters (R,)."""
    P, R = arms_control.shape
    lam = np.empty((P, R))
    for k in range(P):
        a = pair_a[k]
        b = pair_b[k]
        for r in range(R):
            lam[k, r] = expected(base_rate[r], max_rate[r], exponent[r], transparency[r],
                                 activity[a, r], activity[b, r], readiness[a, r] + readiness[b, r],
                                 hybrid[a, r] + hybrid[b, r], pair_dialogue[k, r],
                                 arms_control[k, r], months)
    return lam


@kernel
def split(rng: np.random.Generator, n: np.ndarray, p_serious: np.ndarray, p_high: np.ndarray,
          impulse: np.ndarray, tension_impulse: np.ndarray
          ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Split counts ``n`` (P, R) by severity and add their tension impulses.

    The high-risk binomial and then the serious one are drawn only where there were incidents,
    in row order: the order, and so the stream, of NumPy's ``rng.binomial`` over the hits.
    ``impulse`` (3,) is tension points per routine, serious and high-risk incident. Returns
    (routine, serious, high-risk) counts, the tension impulse with the incidents' added and the
    incident count as float, each (P, R).
    """
    P, R = n.shape
    high = np.zeros((P, R), np.int64)
    for k in range(P):
        for r in range(R):
            if n[k, r] > 0:
                high[k, r] = rng.binomial(n[k, r], p_high[r])
    serious = np.zeros((P, R), np.int64)
    for k in range(P):
        for r in range(R):
            if n[k, r] > 0:
                serious[k, r] = rng.binomial(n[k, r] - high[k, r],
                                             serious_share(p_serious[r], p_high[r]))
    low = n - high - serious
    total = np.empty((P, R))
    out = np.empty((P, R))
    for k in range(P):
        for r in range(R):
            out[k, r] = (tension_impulse[k, r] + impulse[0] * low[k, r]
                         + impulse[1] * serious[k, r] + impulse[2] * high[k, r])
            total[k, r] = n[k, r]
    return low, serious, high, out, total


def draw(rng: np.random.Generator, lam: np.ndarray, p_serious: np.ndarray, p_high: np.ndarray,
         impulse: np.ndarray, tension_impulse: np.ndarray
         ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """N ~ Poisson(lambda) by NumPy (its sampler is twice as fast as Numba's), then :func:`split`.

    A pair and replicate with lambda = 0 draws nothing from the stream.
    """
    return split(rng, rng.poisson(lam), p_serious, p_high, impulse, tension_impulse)
