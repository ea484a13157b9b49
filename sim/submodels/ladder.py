"""Escalation ladder: discrete rungs per pair with thresholds and hysteresis.

After Kahn (1965, *On Escalation*), condensed to seven rungs: 0 cooperation, 1 competition,
2 diplomatic crisis, 3 military posturing, 4 confrontation with incidents, 5 limited conflict,
6 major war. With thresholds theta_1 < ... < theta_6 on tension tau (0-100) and hysteresis h:

    r <- r + 1   if r < 4 and tau >= theta_(r+1)
    r <- r - 1   if r > 0 and tau <  theta_r - h

at most one rung a step (escalation takes time; Kahn's "ladder"). Miscalculation (Schelling 1960,
"the threat that leaves something to chance"): a high-risk incident at rung >= 3 moves the pair
one rung up with probability q, again at most to rung 4; tension is then raised to that rung's
threshold, so a rung is never held below its entry threshold minus the hysteresis. Rungs 5 and 6,
armed conflict, are entered by decision (``sim/submodels/decision.py``).
"""

from __future__ import annotations

import numpy as np

RUNGS = (
    "cooperation",
    "competition",
    "diplomatic crisis",
    "military posturing",
    "confrontation with incidents",
    "limited conflict",
    "major war",
)


def initial_rung(tension: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """Rung consistent with a tension level: the number of thresholds at or below it."""
    return np.searchsorted(thresholds, tension, side="right").astype(np.int8)


def rung_step(rung: int, tension: float, theta_up: float, theta_here: float, hysteresis: float,
              highest: int) -> int:
    """One pair's new rung: up past theta_(r+1), down below theta_r - h, never both (elementwise).

    ``theta_up`` and ``theta_here`` are the thresholds of the rung above and of the pair's own
    rung. The compiled ladder (:mod:`sim.kernels.escalation`) calls it on scalars.
    """
    up = (tension >= theta_up) & (rung < highest)
    down = (tension < theta_here - hysteresis) & (rung <= highest)
    return rung + up - (down > up)  # down > up: down and not up, for arrays and scalars


def step(rung: np.ndarray, tension: np.ndarray, thresholds: np.ndarray, hysteresis: float,
         highest: int = 6) -> np.ndarray:
    """Move each pair at most one rung; ``thresholds`` has 8 entries: -inf, theta_1..6, +inf.

    Tension moves a pair up to rung ``highest`` at most and down from it; the rungs above are
    entered and left by decision only.
    """
    r = rung.astype(np.intp)
    return rung_step(r, tension, thresholds[r + 1], thresholds[r], hysteresis,
                     highest).astype(np.int8)


def tips(rung: int, high_risk: float, prob: float, u: float, highest: int) -> bool:
    """Whether a pair's high-risk incidents tip it one rung up (elementwise).

    With q the chance that one high-risk incident is misread, n incidents tip a pair on rung 3
    or above (below ``highest``) when u < 1 - (1 - q)^n, u a uniform draw. The compiled ladder
    (:mod:`sim.kernels.escalation`) calls it on scalars, with n as a real number (``pow``).
    """
    p_any = 1.0 - (1.0 - prob) ** high_risk
    return (rung >= 3) & (rung < highest) & (u < p_any)


def miscalculate(rung: np.ndarray, tension: np.ndarray, high_risk: np.ndarray,
                 thresholds: np.ndarray, prob: float | np.ndarray, u: np.ndarray,
                 highest: int = 6) -> tuple[np.ndarray, np.ndarray]:
    """Apply miscalculation jumps (never above rung ``highest``); ``u`` are uniforms.

    A pair tipped (:func:`tips`) moves one rung up, its tension raised to that rung's threshold.
    """
    jump = tips(rung, high_risk.astype(float), prob, u, highest)
    new = rung + jump.astype(np.int8)
    floor = thresholds[new.astype(np.intp)]
    return new, np.where(jump, np.maximum(tension, floor), tension)
