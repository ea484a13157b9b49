"""The recorder's running outcomes, compiled: one pass a step instead of a dozen NumPy calls.

What :class:`sim.engine.recorder.Recorder` keeps of every replicate as the run goes: the peak of
the tension index and of each pair's tension, each pair's highest rung and the step it first
reached each rung, the steps each pair spends on each rung, its incidents, and each frontline
state's lowest deterrence margin. As NumPy calls this was 3 running extremes, 7 rung comparisons
and additions and 2 more updates a step: about 40 us of call overhead at R = 1, and 14 passes
over the (P, R) rungs at R = 10,000.

The extremes follow ``np.maximum``/``np.minimum``: NaN wins (the run's finiteness check then
reports it); the rung counts are uint16 and wrap as NumPy's ``+=`` does.

Checks for the event log of the first replicates: which switches are on (and whether any
flipped), whether any incident or protest happened there, whether any rung changed. Most steps
log nothing, and finding that out took about 35 us of NumPy calls a step.
"""

from __future__ import annotations

import numba
import numpy as np

from . import OPTIONS, kernel


@numba.njit(**OPTIONS, inline="always")
def _max(a: float, b: float) -> float:
    """``np.maximum(a, b)``: the larger, NaN if either is NaN."""
    return a if (a >= b or a != a) else b


@numba.njit(**OPTIONS, inline="always")
def _min(a: float, b: float) -> float:
    """``np.minimum(a, b)``: the smaller, NaN if either is NaN."""
    return a if (a <= b or a != a) else b


@kernel
def outcomes_step(peak_index: np.ndarray, index: np.ndarray, peak_pair: np.ndarray,
                  tension: np.ndarray, max_rung: np.ndarray, rung: np.ndarray,
                  rung_steps: np.ndarray, incident_total: np.ndarray, incidents: np.ndarray,
                  min_margin: np.ndarray, margin: np.ndarray, count: bool,
                  first_step: np.ndarray, step: int) -> None:
    """Update the running outcomes in place with this step's state.

    Args:
        peak_index: the tension index's running peak, (R,).
        index: the tension index now, (R,).
        peak_pair: each pair's running peak tension, (P, R).
        tension: each pair's tension now, (P, R).
        max_rung: each pair's highest rung so far, (P, R) int8.
        rung: each pair's rung now, (P, R) int8.
        rung_steps: steps each pair has spent on each rung, (P, K, R) uint16.
        incident_total: each pair's incidents so far, (P, R).
        incidents: each pair's incidents this step, (P, R).
        min_margin: each frontline state's lowest deterrence margin so far, (F, R) (F may be 0).
        margin: each frontline state's deterrence margin now, (F, R).
        count: whether this step counts towards the rung steps and incidents (every step but
            the starting state).
        first_step: the step at which each pair first stood on each rung or higher, -1 for
            not yet, (P, K, R) int32: set here when a pair passes its highest rung so far.
        step: this step's number (0: the starting state).
    """
    R = index.shape[0]
    for r in range(R):
        peak_index[r] = _max(peak_index[r], index[r])
    P = tension.shape[0]
    for p in range(P):  # one contiguous pass an array: loops LLVM vectorises
        for r in range(R):
            peak_pair[p, r] = _max(peak_pair[p, r], tension[p, r])
        for r in range(R):  # a new highest rung is rare: the branch is well predicted
            now = rung[p, r]
            before = max_rung[p, r]
            if now > before:
                max_rung[p, r] = now
                for k in range(before + 1, now + 1):
                    first_step[p, k, r] = step
    if count:
        for p in range(P):
            for k in range(rung_steps.shape[1]):  # as NumPy's rung_steps[:, k] += rung == k
                for r in range(R):
                    rung_steps[p, k, r] += np.uint16(rung[p, r] == k)
            for r in range(R):
                incident_total[p, r] += incidents[p, r]
    for f in range(min_margin.shape[0]):
        for r in range(R):
            min_margin[f, r] = _min(min_margin[f, r], margin[f, r])


@kernel
def switch_states(values: tuple, previous: np.ndarray, out: np.ndarray) -> bool:
    """Which switches are on (value >= 0.5) for each actor and logged replicate; any change?

    Args:
        values: the switch variables, K arrays (N, R).
        previous: the states at the last step, (K, N, E) bool (E <= R: the logged replicates).
        out: written with the states now, (K, N, E) bool.

    Returns:
        Whether any state differs from ``previous``.
    """
    changed = False
    K, N, E = out.shape
    for k in range(K):
        x = values[k]
        for i in range(N):
            for r in range(E):
                on = x[i, r] >= 0.5
                out[k, i, r] = on
                if on != previous[k, i, r]:
                    changed = True
    return changed


@kernel
def any_in_first_columns(arrays: tuple, columns: int) -> bool:
    """Whether any of ``arrays`` (each (P, R)) is nonzero in its first ``columns`` columns."""
    for a in arrays:
        for p in range(a.shape[0]):
            for r in range(min(columns, a.shape[1])):
                if a[p, r] != 0:
                    return True
    return False


@kernel
def any_change_in_first_columns(old: np.ndarray, new: np.ndarray, columns: int) -> bool:
    """Whether ``old`` and ``new`` (each (P, R)) differ anywhere in their first ``columns``."""
    for p in range(old.shape[0]):
        for r in range(min(columns, old.shape[1])):
            if old[p, r] != new[p, r]:
                return True
    return False
