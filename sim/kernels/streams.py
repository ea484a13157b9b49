"""The counter-based streams compiled: Philox uniforms, incidents by severity, a block of uniforms.

The equations are :mod:`sim.submodels.streams`'; every draw is a pure function of the key (the
root seed), the replicate's number in the experiment, the stream, the step and the draw's index,
so a kernel may draw in any order, and only where a draw is needed.
"""

from __future__ import annotations

import numba
import numpy as np
from numba.core.extending import overload

from ..submodels import streams as submodel
from . import OPTIONS, compiled, kernel
from .parameters import IncidentsValues

# The submodel's helpers as compiled code sees them where the compiled equations call them
# (``uniform`` calls ``philox4x32``), inlined: as calls they kept the replicate loop from being
# vectorised (incidents at R = 10,000 and 7 pairs: 3.7 -> 1.7 ms a step). Not cached on their
# own: a second cached compilation of the same function would share its cache entry with these.
HELPER_OPTIONS = {k: v for k, v in OPTIONS.items() if k != "cache"}


@overload(submodel.philox4x32, jit_options=HELPER_OPTIONS, inline="always")
def _philox4x32(c0, c1, c2, c3, k0, k1):  # unannotated: Numba compares it with the impl's
    return submodel.philox4x32


@overload(submodel.words_to_uniform, jit_options=HELPER_OPTIONS, inline="always")
def _words_to_uniform(a, b):
    return submodel.words_to_uniform


uniform = compiled(submodel.uniform)
poisson_inverse = compiled(submodel.poisson_inverse)
poisson_normal = compiled(submodel.poisson_normal)
severity = compiled(submodel.severity)

POISSON_INVERSION_MEAN = submodel.POISSON_INVERSION_MEAN


@kernel
def incidents_by_severity(k0: np.uint64, k1: np.uint64, replicates: np.ndarray,
                          streams: np.ndarray, step: np.uint64, lam: np.ndarray,
                          incidents_values: tuple
                          ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Incidents (routine, serious, high-risk), each (P, R), for pair streams ``streams`` (P,).

    Pair k, replicate r: the count is Poisson(lam[k, r]) by inversion of uniform 0 of stream
    ``streams[k]`` (by the normal approximation from uniforms 0 and 1 past
    ``POISSON_INVERSION_MEAN``); incident i's severity comes from the next uniform
    (:func:`sim.submodels.streams.severity`). ``replicates`` (R,) are the replicates' numbers in
    the experiment; ``incidents_values`` the incidents submodel's values (its severity shares).
    """
    p = IncidentsValues(*incidents_values)
    P, R = lam.shape
    routine = np.zeros((P, R), dtype=np.int64)
    serious = np.zeros((P, R), dtype=np.int64)
    high = np.zeros((P, R), dtype=np.int64)
    first = np.empty(R)
    second = np.empty(R)
    zero = np.uint64(0)
    for k in range(P):
        stream = streams[k]
        # uniforms 0 and 1 of every replicate from one Philox block each: a loop with no branch,
        # which the compiler vectorises
        for r in range(R):
            w0, w1, w2, w3 = submodel.philox4x32(zero, step, stream, replicates[r], k0, k1)
            first[r] = submodel.words_to_uniform(w0, w1)
            second[r] = submodel.words_to_uniform(w2, w3)
        for r in range(R):
            rate = lam[k, r]
            if not rate > 0.0:
                continue
            if rate <= POISSON_INVERSION_MEAN:
                n = poisson_inverse(first[r], rate)
                next_index = 1
            else:
                n = poisson_normal(first[r], second[r], rate)
                next_index = 2
            for i in range(n):
                index = next_index + i
                u = second[r] if index == 1 else uniform(k0, k1, replicates[r], stream, step,
                                                         np.uint64(index))
                kind = severity(u, p.p_high_risk[r], p.p_serious[r])
                if kind == 2:
                    high[k, r] += 1
                elif kind == 1:
                    serious[k, r] += 1
                else:
                    routine[k, r] += 1
    return routine, serious, high


@numba.njit(**OPTIONS)  # not a kernel of the step (no run calls it): the tests' reference
def uniforms(k0: np.uint64, k1: np.uint64, replicates: np.ndarray, stream: np.uint64,
             step: np.uint64, count: int) -> np.ndarray:
    """Uniforms 0 .. count-1 of ``stream`` at ``step`` for each replicate: (count, R)."""
    R = replicates.shape[0]
    out = np.empty((count, R))
    for j in range(count):
        for r in range(R):
            out[j, r] = uniform(k0, k1, replicates[r], stream, step, np.uint64(j))
    return out


@numba.njit(**OPTIONS)  # not a kernel of the step (no run calls it): compiled when a test does
def philox_block(c0: np.uint64, c1: np.uint64, c2: np.uint64, c3: np.uint64, k0: np.uint64,
                 k1: np.uint64) -> tuple[np.uint64, np.uint64, np.uint64, np.uint64]:
    """One Philox4x32-10 block as the kernels compute it (for the known-answer tests)."""
    return submodel.philox4x32(c0, c1, c2, c3, k0, k1)


@numba.njit(**OPTIONS)  # called once a run, where a calibration draws its unfitted constants
def keyed_uniforms(seeds: np.ndarray, replicates: np.ndarray, stream_ids: np.ndarray,
                   step: np.uint64) -> np.ndarray:
    """Uniform 0 of each stream at ``step`` for each (seed, replicate) pair: (streams, n).

    Each column has its own key (the key of ``seeds[r]``), unlike the run's draws, which share
    the run's: a posterior member's draw is keyed by the seed of the fit's batch that accepted it.
    """
    n = replicates.shape[0]
    out = np.empty((stream_ids.shape[0], n))
    mask = np.uint64(0xFFFFFFFF)
    for r in range(n):
        k0 = seeds[r] & mask
        k1 = seeds[r] >> np.uint64(32)
        for j in range(stream_ids.shape[0]):
            out[j, r] = uniform(k0, k1, replicates[r], stream_ids[j], step, np.uint64(0))
    return out
