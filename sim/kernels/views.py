"""What the actors perceive, compiled: means over arcs, pairs and rivals, activity and pressure.

Also the bloc's worst sanctions pressure and the sanctions pressure from the other bloc.

The equations are :func:`sim.submodels.incidents.activity` and
:func:`sim.submodels.sanctions.mean_intensity`; the weights are the topology's matrices.
"""

from __future__ import annotations

import numba
import numpy as np

from ..submodels import incidents, sanctions, tension
from ..submodels import threat as threat_submodel
from . import OPTIONS, compiled, kernel, larger
from .parameters import ThreatValues

activity_value = compiled(incidents.activity)
read_activity_value = compiled(threat_submodel.read_activity)
mean_intensity = compiled(sanctions.mean_intensity)
pair_average = compiled(tension.pair_mean)


@kernel
def weighted(weights: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``weights @ x`` for a sparse (M, K) weight matrix and x (K, R), summing in column order."""
    M, K = weights.shape
    R = x.shape[1]
    out = np.zeros((M, R))
    for m in range(M):
        for k in range(K):
            w = weights[m, k]
            if w != 0.0:
                for r in range(R):
                    out[m, r] += w * x[k, r]
    return out


@numba.njit(**OPTIONS)  # a loop, called once a kernel call: not inlined
def rows_sum(x: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, int]:
    """Sum over the selected rows of x (N, R) for every replicate, (R,), and how many rows.

    Row by row, each a contiguous pass over the replicates (the rows' order is the sum's order).
    """
    R = x.shape[1]
    total = np.zeros(R)
    count = 0
    for i in range(rows.shape[0]):
        if rows[i]:
            count += 1
            for r in range(R):
                total[r] += x[i, r]
    return total, count


@numba.njit(**OPTIONS)
def rows_max(x: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Largest value over the selected rows of x (N, R) for every replicate, (R,)."""
    R = x.shape[1]
    top = np.full(R, -np.inf)
    for i in range(rows.shape[0]):
        if rows[i]:
            for r in range(R):
                top[r] = larger(top[r], x[i, r])
    return top


@kernel
def bloc_max(x: np.ndarray, west: np.ndarray) -> np.ndarray:
    """Each actor's bloc's largest value of ``x`` (N, R)."""
    N, R = x.shape
    top_west = np.full(R, -np.inf)
    top_east = np.full(R, -np.inf)
    for i in range(N):  # row by row: contiguous passes over the replicates
        top = top_west if west[i] else top_east
        for r in range(R):
            top[r] = larger(top[r], x[i, r])
    out = np.empty((N, R))
    for i in range(N):
        top = top_west if west[i] else top_east
        for r in range(R):
            out[i, r] = top[r]
    return out


@kernel
def activity(exercises: np.ndarray, deployment: np.ndarray, threat: tuple, read: bool
             ) -> np.ndarray:
    """Military activity u_i of every actor (N, R); ``threat`` the threat submodel's values.

    With ``read``, the activity as a challenger reads it in the deterrence reading
    (:func:`sim.submodels.threat.read_activity`: the deployment at the defensive discount).
    """
    p = ThreatValues(*threat)
    N, R = exercises.shape
    out = np.empty((N, R))
    for i in range(N):
        for r in range(R):
            if read:
                out[i, r] = read_activity_value(exercises[i, r], deployment[i, r],
                                                p.exercises_ref[r], p.forces_ref[r],
                                                p.defensive_discount[r])
            else:
                out[i, r] = activity_value(exercises[i, r], deployment[i, r], p.exercises_ref[r],
                                           p.forces_ref[r])
    return out


@numba.njit(**OPTIONS)  # called three times a kernel call: not inlined
def pressure(sanctions_sector: np.ndarray, west: np.ndarray, out: np.ndarray) -> None:
    """Pressure on every actor from the other bloc's sanctions of one sector, into ``out`` (N, R).

    :func:`sim.submodels.sanctions.pressure`'s product 1 - prod_i (1 - s_i) as a loop (the
    submodel's version takes whole rows); ``tests/test_kernels.py`` checks the two agree bit for
    bit.
    """
    N, R = sanctions_sector.shape
    keep_west = np.ones(R)
    keep_east = np.ones(R)
    for i in range(N):
        for r in range(R):
            if west[i]:
                keep_west[r] = keep_west[r] * (1.0 - sanctions_sector[i, r])
            else:
                keep_east[r] = keep_east[r] * (1.0 - sanctions_sector[i, r])
    for i in range(N):
        for r in range(R):
            out[i, r] = 1.0 - (keep_east[r] if west[i] else keep_west[r])


@kernel
def pressures(finance: np.ndarray, energy: np.ndarray, defence: np.ndarray, west: np.ndarray
              ) -> tuple[np.ndarray, np.ndarray]:
    """The pressure of each sector, stacked (3, N, R), and their mean (N, R).

    The sectors in order finance, energy, defence, in one array: what the sanctions lag delays,
    with no copy. Each sector is written in place (a slice assignment of whole arrays took Numba
    4.5 s more to compile).
    """
    N, R = finance.shape
    sectors = np.empty((3, N, R))
    pressure(finance, west, sectors[0])
    pressure(energy, west, sectors[1])
    pressure(defence, west, sectors[2])
    mean = np.empty((N, R))
    for i in range(N):
        for r in range(R):
            mean[i, r] = mean_intensity(sectors[0, i, r], sectors[1, i, r], sectors[2, i, r])
    return sectors, mean


@kernel
def pair_mean(x: np.ndarray, pair_a: np.ndarray, pair_b: np.ndarray) -> np.ndarray:
    """The mean of an actor quantity over each pair's two actors, (P, R)."""
    P = pair_a.shape[0]
    R = x.shape[1]
    out = np.empty((P, R))
    for k in range(P):
        for r in range(R):
            out[k, r] = pair_average(x[pair_a[k], r], x[pair_b[k], r])
    return out
