"""The incidents phase compiled: expected counts, the draws by severity, the tension impulses.

The equation is :func:`sim.submodels.incidents.expected`; the draws are
:func:`sim.submodels.incidents.draw`'s, made inside one compiled loop with NumPy's own samplers
ported (:mod:`sim.kernels.sampling`), so that they are NumPy's values from the same stream.
Where a mean falls outside the ported branches (lambda >= 10 in a step, or a binomial mean above
30), :func:`draw` leaves that part to NumPy, at the same point of the stream.
"""

from __future__ import annotations

import numpy as np

from ..submodels import incidents as submodel
from . import compiled, kernel, larger
from .sampling import (
    POISSON_SMALL_MEAN,
    binomial_by_inversion,
    binomial_small,
    poisson_small,
    uniform_source,
)

expected = compiled(submodel.expected)

DRAWN_NOTHING, DRAWN_COUNTS, DRAWN_ALL = 0, 1, 2
"""How far :func:`counts_by_severity` drew: nothing, the counts only, counts and severities."""


@kernel
def counts_by_severity(source: tuple[int, int], lam: np.ndarray, p_serious: np.ndarray,
                       p_high: np.ndarray
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Incidents by severity, each (P, R), and how far it drew (``DRAWN_*``).

    The order of the draws is :func:`sim.submodels.incidents.draw`'s: a Poisson count for every
    pair and replicate in array order, then the high-risk binomials of those with incidents,
    then their serious binomials. Every mean is checked before the draws it governs: with a
    lambda outside [0, 10) nothing is drawn; with a binomial outside NumPy's inversion branch
    (or a share outside [0, 1]) the counts are drawn and returned as the first array
    (``DRAWN_COUNTS``), the split left to :func:`sim.submodels.incidents.split`. ``source`` is
    the generator's :func:`~sim.kernels.sampling.uniform_source`.
    """
    P, R = lam.shape
    count = np.zeros((P, R), dtype=np.int64)
    serious = np.zeros((P, R), dtype=np.int64)
    high = np.zeros((P, R), dtype=np.int64)
    for k in range(P):
        for r in range(R):
            if not (0.0 <= lam[k, r] < POISSON_SMALL_MEAN):
                return count, serious, high, DRAWN_NOTHING
    hits = 0
    for k in range(P):
        for r in range(R):
            count[k, r] = poisson_small(source, lam[k, r])
            if count[k, r]:
                hits += 1
    if hits == 0:
        return count, serious, high, DRAWN_ALL
    share = np.empty(R)  # the serious share among incidents that are not high-risk
    for r in range(R):
        share[r] = p_serious[r] / larger(1.0 - p_high[r], 1e-12)
    for k in range(P):
        for r in range(R):
            n = count[k, r]
            if n and not (binomial_by_inversion(n, p_high[r])
                          and binomial_by_inversion(n, share[r])):
                return count, serious, high, DRAWN_COUNTS
    for k in range(P):
        for r in range(R):
            if count[k, r]:
                high[k, r] = binomial_small(source, count[k, r], p_high[r])
    for k in range(P):
        for r in range(R):
            if count[k, r]:
                serious[k, r] = binomial_small(source, count[k, r] - high[k, r], share[r])
                count[k, r] -= high[k, r] + serious[k, r]
    return count, serious, high, DRAWN_ALL


def draw(rng: np.random.Generator, lam: np.ndarray, p_serious: np.ndarray, p_high: np.ndarray
         ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`sim.submodels.incidents.draw` compiled: the same values, the same stream after.

    ``p_serious`` and ``p_high`` are (R,) arrays (:func:`sim.kernels.per_replicate`).
    """
    routine, serious, high, drawn = counts_by_severity(uniform_source(rng), lam, p_serious,
                                                       p_high)
    if drawn == DRAWN_ALL:
        return routine, serious, high
    if drawn == DRAWN_COUNTS:
        return submodel.split(rng, routine, p_serious, p_high)
    return submodel.draw(rng, lam, p_serious, p_high)


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
            out[k, r] = (tension_impulse[k, r] + size[0] * low[k, r] + size[1] * serious[k, r]
                         + size[2] * high[k, r])
            count[k, r] = low[k, r] + serious[k, r] + high[k, r]
    return out, count
