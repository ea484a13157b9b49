"""Deterrence compiled (Kilgour-Zagare, Schelling): Article 5 belief and the deterrence margin.

The equations are :func:`sim.submodels.deterrence.belief_value`,
:func:`sim.submodels.deterrence.remembered` and :func:`sim.submodels.deterrence.margin_value`.
"""

from __future__ import annotations

import numpy as np

from ..submodels import deterrence
from . import compiled, kernel, larger
from .views import rows_max, rows_sum, weighted

belief_value = compiled(deterrence.belief_value)
remembered = compiled(deterrence.remembered)
margin_value = compiled(deterrence.margin_value)


@kernel
def belief(host: np.ndarray, deployment: np.ndarray, exercises: np.ndarray,
           commitment: np.ndarray, intel_sharing: np.ndarray, military_aid: np.ndarray,
           west: np.ndarray, patrons: np.ndarray, unions: np.ndarray, weights: np.ndarray,
           exercises_ref: np.ndarray, previous: np.ndarray, keep: np.ndarray
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Allied troops hosted, the target Article 5 belief B*_f and the belief after the step.

    Each is (F, R). The challenger reads the patrons' mean commitment, the west's exercise troops,
    and the signals: the mean of the west's largest intelligence sharing, its largest military aid
    and (with a union) the union's cohesion. ``weights`` (5, R) are w_commitment, w_tripwire, w_exercises,
    w_signals, tripwire_troops. The belief after the step keeps the share ``keep`` (R,) of the
    ``previous`` belief (F, R) (:func:`sim.submodels.deterrence.remembered`).
    """
    allied = weighted(host, deployment)
    F, R = allied.shape
    ex_west, _ = rows_sum(exercises, west)
    commit_total, commit_count = rows_sum(commitment, patrons)
    intel = rows_max(intel_sharing, west)
    aid = rows_max(military_aid, west)
    has_unions = unions.any()
    union_total, union_count = rows_sum(commitment, unions)
    commit = np.empty(R)
    signals = np.empty(R)
    for r in range(R):
        commit[r] = commit_total[r] / commit_count if commit_count > 0 else 0.0
        if has_unions:
            signals[r] = (intel[r] + aid[r] + union_total[r] / union_count) / 3.0
        else:
            signals[r] = (intel[r] + aid[r]) / 2.0
    new = np.empty((F, R))
    for f in range(F):
        for r in range(R):
            new[f, r] = belief_value(weights[0, r], weights[1, r], weights[2, r], weights[3, r],
                                     weights[4, r], commit[r], allied[f, r], ex_west[r],
                                     signals[r], exercises_ref[r])
    after = np.empty((F, R))
    for f in range(F):
        for r in range(R):
            after[f, r] = remembered(previous[f, r], new[f, r], keep[r])
    return allied, new, after


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
    has_challenger = challengers.any()
    resolve_c = rows_max(resolve, challengers) if has_challenger else np.zeros(R)
    embolden = np.zeros(R)
    if emboldening:
        total, count = rows_sum(dialogue, west)
        for r in range(R):
            embolden[r] = reassurance[r] * (total[r] / count)
    out = np.empty((F, R))
    for f in range(F):
        row = front[f]
        for r in range(R):
            out[f, r] = margin_value(denial_troops[r], stakes[r], belief_now[f, r],
                                     deployment[row, r], allied[f, r], resolve_c[r],
                                     embolden[r], risk[r])
    shortfall = np.zeros(R)
    count = 0
    for f in range(F):
        if members[f]:
            count += 1
            for r in range(R):
                shortfall[r] += larger(-out[f, r], 0.0)
    if count > 0:
        for r in range(R):
            shortfall[r] = shortfall[r] / count
    return out, shortfall
