"""Deterrence compiled (Kilgour-Zagare, Schelling): Article 5 belief and the deterrence margin.

The equations are :func:`sim.submodels.deterrence.belief_value` and
:func:`sim.submodels.deterrence.margin_value`.
"""

from __future__ import annotations

import numpy as np

from ..submodels import deterrence
from . import compiled, kernel
from .views import weighted

belief_value = compiled(deterrence.belief_value)
margin_value = compiled(deterrence.margin_value)


@compiled
def _rows_sum(x: np.ndarray, rows: np.ndarray, r: int) -> tuple[float, int]:
    total = 0.0
    count = 0
    for i in range(rows.shape[0]):
        if rows[i]:
            total += x[i, r]
            count += 1
    return total, count


@compiled
def _rows_max(x: np.ndarray, rows: np.ndarray, r: int) -> float:
    top = -np.inf
    for i in range(rows.shape[0]):
        if rows[i]:
            top = max(top, x[i, r])
    return top


@kernel
def belief(host: np.ndarray, deployment: np.ndarray, exercises: np.ndarray,
           commitment: np.ndarray, intel_sharing: np.ndarray, military_aid: np.ndarray,
           west: np.ndarray, patrons: np.ndarray, unions: np.ndarray, weights: np.ndarray,
           exercises_ref: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Allied troops hosted and the target Article 5 belief B*_f, each (F, R).

    The challenger reads the patrons' mean commitment, the west's exercise troops, and the signals:
    the mean of the west's largest intelligence sharing, its largest military aid and (with a
    union) the union's cohesion. ``weights`` (5, R) are w_commitment, w_tripwire, w_exercises,
    w_signals, tripwire_troops.
    """
    allied = weighted(host, deployment)
    F, R = allied.shape
    has_unions = unions.any()
    new = np.empty((F, R))
    for r in range(R):
        ex_west, _ = _rows_sum(exercises, west, r)
        total, count = _rows_sum(commitment, patrons, r)
        commit = total / count if count > 0 else 0.0
        signals = _rows_max(intel_sharing, west, r) + _rows_max(military_aid, west, r)
        if has_unions:
            total, count = _rows_sum(commitment, unions, r)
            signals = (signals + total / count) / 3.0
        else:
            signals = signals / 2.0
        for f in range(F):
            new[f, r] = belief_value(weights[0, r], weights[1, r], weights[2, r], weights[3, r],
                                     weights[4, r], commit, allied[f, r], ex_west, signals,
                                     exercises_ref[r])
    return allied, new


@kernel
def margin(belief_now: np.ndarray, deployment: np.ndarray, allied: np.ndarray,
           front: np.ndarray, resolve: np.ndarray, challengers: np.ndarray, dialogue: np.ndarray,
           west: np.ndarray, emboldening: bool, reassurance: np.ndarray, risk: np.ndarray,
           denial_troops: np.ndarray, stakes: np.ndarray, members: np.ndarray
           ) -> tuple[np.ndarray, np.ndarray]:
    """Deterrence margin of each frontline state (F, R) and the members' mean shortfall (R,).

    The challenger's resolve is its most resolute challenger's; with ``emboldening`` (the
    deterrence reading) the west's mean dialogue times ``reassurance`` raises its stakes; ``risk``
    (R,) is its risk attitude factor; ``front`` (F,) the frontline states' rows.
    """
    F, R = belief_now.shape
    out = np.empty((F, R))
    shortfall = np.zeros(R)
    has_challenger = challengers.any()
    for r in range(R):
        resolve_c = _rows_max(resolve, challengers, r) if has_challenger else 0.0
        embolden = 0.0
        if emboldening:
            total, count = _rows_sum(dialogue, west, r)
            embolden = reassurance[r] * (total / count)
        total = 0.0
        count = 0
        for f in range(F):
            m = margin_value(denial_troops[r], stakes[r], belief_now[f, r],
                             deployment[front[f], r], allied[f, r], resolve_c, embolden, risk[r])
            out[f, r] = m
            if members[f]:
                total += max(-m, 0.0)
                count += 1
        shortfall[r] = total / count if count > 0 else 0.0
    return out, shortfall
