"""Diplomacy: dialogue and confidence building, arms control, protest.

Dialogue G_i is a posture set by each actor's decision rule (see sim.agents); this module holds
the pair-level mechanisms. Following the confidence-building literature (Holst 1983, "Confidence-
building measures: a conceptual framework", *Survival* 25:1) dialogue and transparency lower
incident rates (incidents submodel) and tension (tension submodel). Here:

    dialogue target  G*_i = G_i0 + d * tau_bar_i * 2 (c(T_i) - c(T_i0)),  c(T) = max(0, T/100 - 0.5)
                     (seek talks as a crisis deepens, if trusted; G_i0 already holds the start's)
                     in the deterrence reading cut to clip(G*_i - k_g max(0, dT_i), 0, 1): talks
                     under a rising threat read as weakness (``dialogue_cut``)
    arms control     A_p <- clip(A_p + dt_m * (b G_p (1 - A_p) - e * max(0, tau_p - tau_e) / s * A_p), 0, 1)
    protest          when T_ij rises by more than q in a step, i protests: tau_p += pi
                     (each side's protest adds pi to the pair's tension impulse)

(tau_bar is the actor's mean trust, T its mean tension, b the rebuild rate, e the erosion rate,
tau_e the tension above which regimes erode and s the span over which erosion reaches e.)
Regimes erode when tension stays high -
the INF and CFE treaties lapsed in exactly such years (data/events.csv) - and rebuild slowly with
dialogue. A protest is a costly signal of displeasure that adds a little tension (Fearon 1997,
"Signaling foreign policy interests").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from ..scenario.schema import DiplomacyModel


def dialogue_target(base: np.ndarray, drive: float, trust: np.ndarray, tension: np.ndarray,
                    tension0: np.ndarray | float = 50.0) -> np.ndarray:
    """Dialogue an actor seeks, 0-1, (R,); tension 0-100, ``tension0`` its level at the start."""
    crisis = np.maximum(0.0, tension / 100.0 - 0.5) - np.maximum(0.0, tension0 / 100.0 - 0.5)
    return np.minimum(np.maximum(base + drive * trust * 2.0 * crisis, 0.0), 1.0)


def arms_control_value(ac: float, dlg: float, tension: float, decay: float, tension_lo: float,
                       span: float, rebuild: float, months: float) -> float:
    """A pair's arms-control regime after one step, 0-1 (elementwise)."""
    erode = decay * np.maximum(0.0, tension - tension_lo) / span
    d = rebuild * dlg * (1.0 - ac) - erode * ac
    return np.minimum(np.maximum(ac + months * d, 0.0), 1.0)


def arms_control(ac: np.ndarray, dlg: np.ndarray, tension: np.ndarray, p: DiplomacyModel,
                 months: float) -> np.ndarray:
    """Erode or rebuild each pair's arms-control regime, (P, R)."""
    return arms_control_value(ac, dlg, tension, p.arms_control_decay, p.arms_control_tension,
                              p.arms_control_span, p.arms_control_rebuild, months)


def protests(threat_rise: np.ndarray, threshold: float) -> np.ndarray:
    """Which arcs protest this step (bool, (arcs, R))."""
    return threat_rise > threshold


def dialogue_under_threat(target: float, cut: float, threat_rise: float) -> float:
    """Dialogue sought in the deterrence reading: clip(G* - k_g max(0, dT), 0, 1)."""
    return np.minimum(np.maximum(target - cut * np.maximum(threat_rise, 0.0), 0.0), 1.0)


def protest_impulse(impulse: float, size: float, protest_ab: bool, protest_ba: bool) -> float:
    """A pair's tension impulse with its protests added: I + pi (protest_ab + protest_ba)."""
    return impulse + size * (1.0 * protest_ab + 1.0 * protest_ba)
