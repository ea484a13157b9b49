"""Arms dynamics after Richardson (1960), *Arms and Insecurity*.

Equation (continuous time, years):

    dx_i/dt = k_i * sum_j y_j  -  a_i * x_i  +  g_i  +  gamma * x_i0 * max(0, T_i - T_i0 - tau)  -  c_i * p_i * x_i

with x_i the actor's military expenditure (US$ bn/yr), y_j the expenditure of the actors it is
paired with across the blocs, k the reaction (1/yr), a the fatigue (1/yr), g the grievance
(US$ bn/yr per yr), T_i its mean perceived threat (threat submodel; T_i0 at the start), gamma the
threat coupling (1/yr), tau the rise of threat a budget ignores (budgets move by punctuations
once a threat commands attention: Jones and Baumgartner 2005; Jones et al. 2009), c_i its cost
sensitivity and p_i its economic pain (pp of growth lost per
year, /100). It is stepped by explicit Euler with dt = months/12, which keeps Richardson's fixed
point x* = (b g + k h)/(a b - k l), y* = (a h + l g)/(a b - k l) exactly, converging when a b > k l
(and dt is small against 1/a) and running away when a b < k l. Spending is then clipped to
[0, max_spending_pct of GDP] (a fiscal ceiling).

``grievance: auto`` sets g_i = (a_i + gamma_i) x_i0 - k_i sum_j y_j0 with gamma_i the trend growth of
GDP, and the grievance then grows with GDP: spending holding its initial share of GDP is the steady
path (the fixed point itself without growth), so the baseline holds its shares and every later change
is the model's response to something.
"""

from __future__ import annotations

import numpy as np


def auto_grievance(milex0: np.ndarray, rivals: np.ndarray, reaction: np.ndarray,
                   fatigue: np.ndarray, growth: np.ndarray | float = 0.0) -> np.ndarray:
    """Grievance that makes the initial spending a Richardson fixed point (in share of GDP).

    With the grievance scaled by GDP as the economy grows (the arms phase), spending that keeps
    its share of GDP, x = x0 Y / Y0, is a steady path when g = (a + gamma) x0 - k sum_j y_j0:
    the growth term gamma x0 keeps pace with trend growth gamma (1/yr); without growth it is
    Richardson's fixed point.

    Args:
        milex0: initial spending, (N, R) US$ bn/yr.
        rivals: (N, N) 0/1 matrix, rivals[i, j] = 1 when j is i's rival.
        reaction: k, (N, R) 1/yr.
        fatigue: a, (N, R) 1/yr.
        growth: gamma, trend GDP growth, (N, R) 1/yr.

    Returns:
        g, (N, R) US$ bn/yr per yr.
    """
    return (fatigue + growth) * milex0 - reaction * (rivals @ milex0)


def step(milex: np.ndarray, rivals: np.ndarray, reaction: np.ndarray, fatigue: np.ndarray,
         grievance: np.ndarray, dt_years: float, threat_push: np.ndarray | float = 0.0,
         pain_drag: np.ndarray | float = 0.0) -> np.ndarray:
    """One Euler step of the Richardson system; returns the new spending (unclipped).

    Args:
        milex: x, (N, R) US$ bn/yr.
        rivals: (N, N) rival matrix.
        reaction: k, (N, R) 1/yr.
        fatigue: a, (N, R) 1/yr.
        grievance: g, (N, R) US$ bn/yr per yr.
        dt_years: step length in years.
        threat_push: extra growth from perceived threat, US$ bn/yr per yr.
        pain_drag: cuts from economic pain, US$ bn/yr per yr.
    """
    return euler(milex, rivals @ milex, reaction, fatigue, grievance, dt_years, threat_push,
                 pain_drag)


def euler(milex: float, rivals_milex: float, reaction: float, fatigue: float, grievance: float,
          dt_years: float, threat_push: float, pain_drag: float) -> float:
    """:func:`step` for one actor given its rivals' total spending (elementwise)."""
    return milex + dt_years * (reaction * rivals_milex - fatigue * milex + grievance
                               + threat_push - pain_drag)


def fixed_point(k: float, l: float, a: float, b: float, g: float, h: float) -> tuple[float, float]:  # noqa: E741
    """Richardson's closed-form equilibrium for two actors (x*, y*); needs a b != k l."""
    det = a * b - k * l
    return (b * g + k * h) / det, (a * h + l * g) / det


def threat_push(coupling: float, threat_spending: float, milex0: float, threat: float,
                threat0: float, threshold: float) -> float:
    """Spending pushed by threat, gamma theta_s x_0 max(0, T - T_0 - tau), US$ bn/yr/yr.

    ``threat_spending`` is the actor's own weight on threat in its budget (doctrine); a rise in
    threat smaller than ``threshold`` (tau) does not move the budget (punctuated equilibrium).
    """
    return coupling * threat_spending * milex0 * np.maximum(threat - threat0 - threshold, 0.0)


def pain_drag(cost_sensitivity: float, loss: float, loss0: float, milex: float) -> float:
    """c_i p_i x_i: spending held back by the rise of the growth lost to sanctions (p in pp/yr / 100)."""
    return cost_sensitivity * (loss - loss0) / 100.0 * milex


def grown_grievance(grievance: float, gdp: float, gdp0: float) -> float:
    """g_i (Y / Y_0): the grievance grows with GDP (budgets are shares of it)."""
    return grievance * (gdp / gdp0)


def within_ceiling(milex: float, max_spending_pct: float, gdp: float) -> float:
    """Spending held in [0, the fiscal ceiling's share of GDP]."""
    return np.minimum(np.maximum(milex, 0.0), max_spending_pct / 100.0 * gdp)


def total_drive(threat: float, pledge: float, mobilisation: float) -> float:
    """The drives added to Richardson's right-hand side: threat push + pledge + mobilisation."""
    return threat + pledge + mobilisation
