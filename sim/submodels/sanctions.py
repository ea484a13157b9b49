"""Economic sanctions: cost to target and imposer, a lag, and the rally effect.

After Hufbauer, Schott and Elliott (1990/2007, *Economic Sanctions Reconsidered*).

Pressure on each target j from the other bloc's imposers i, by sector k:

    S_jk   = 1 - prod_i (1 - s_ik)                          (union of the imposers' measures)
    L_j    = (1 - o * P_j) * sum_k c_k S_jk(t - lag)        (growth lost by the target, pp/yr)
    L_i   += e_i * c_imp * s_i,energy                          (imposer's own cost, via dependence e_i)
    Y     <- Y * (1 + dt (g - L) / 100)                     (GDP, US$ bn/yr)
    rho_j <- rho_j + r * max(0, dS_j)                       (rally round the flag raises resolve)

o is the offset a full partnership with a third power buys, P_j the target's partnership, e the
imposer's energy dependence on the target's bloc. HSE found sanctions achieved their aims in about a
third of cases (40 of 115) and less against adversaries: here they work through cost, never as a
switch, and the rally effect lets them backfire on resolve. The lagged defence-sector pressure
also cuts the share of procurement the target can field (capability submodel).

Sanctions policy (the decision rules of :data:`sim.kinds.KINDS`), each sector k by partial
adjustment towards

    patron, union   s*_ik = (s_ik0 + rho_i (max(0, dT_i) + max(0, dH_i)) - c_i dL_i / L_s) x kappa_i
    challenger      s*_jk = s_jk0 + rho_j max(0, S_jk - S_jk0)      (counter-sanctions, sector by sector)
                    P*_j  = P_j0 + a_p max(0, S_j - S_j0)            (a partnership to offset them)
    partner         P*_q  = P_q0 + rho_q S_bloc                     (the partner answers its bloc's pressure)

dT and dH are the rises of the imposer's mean perceived threat and of its rivals' hybrid
operations (punishment answers provocation; reciprocity rho), dL the rise of the growth it loses
itself (the pain of sanctions restrains the imposer: Hufbauer-Schott-Elliott's imposer cost),
L_s the pain scale, kappa_i the union's cohesion relative to the start (1 for a patron).
The partnership that covers a target is the larger of its own and its bloc's mean, held in [0, 1].
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from ..scenario.schema import SanctionsModel


def mean_intensity(finance: float, energy: float, defence: float) -> float:
    """The mean of an actor's three sanctions intensities (elementwise)."""
    return (finance + energy + defence) / 3.0


def pressure(s: np.ndarray, west: np.ndarray) -> np.ndarray:
    """Combined pressure on each actor from the other bloc's measures of one sector.

    Args:
        s: sanctions one sector, (N, R) 0-1.
        west: (N,) bool, the west bloc.

    Returns:
        (N, R) pressure, 0-1: 1 - prod over the other bloc's actors i of (1 - s_i).
    """
    out = np.empty_like(s)
    keep = 1.0 - s
    out[~west] = 1.0 - keep[west].prod(axis=0)
    out[west] = 1.0 - keep[~west].prod(axis=0)
    return out


def loss(cost_finance: float, cost_energy: float, cost_defence: float, partner_offset: float,
         imposer_cost: float, finance: float, energy: float, defence: float, own_energy: float,
         dependence: float, partnership: float) -> float:
    """Growth lost to sanctions, pp/yr, for one actor (elementwise): as target plus as imposer.

    ``finance``, ``energy``, ``defence`` are the lagged pressures on it, ``own_energy`` its own
    energy sanctions, ``dependence`` its energy dependence on the other bloc, ``partnership`` the
    cover its bloc's partner gives.
    """
    target = (cost_finance * finance + cost_energy * energy + cost_defence * defence)
    target = target * (1.0 - partner_offset * partnership)
    return target + dependence * imposer_cost * own_energy


def growth_loss(p: SanctionsModel, lagged: tuple[np.ndarray, np.ndarray, np.ndarray],
                own_energy: np.ndarray, dependence: np.ndarray, partnership: np.ndarray
                ) -> np.ndarray:
    """:func:`loss` with ``p``'s costs for every actor, (N, R)."""
    fin, ene, dfc = lagged
    return loss(p.cost_finance, p.cost_energy, p.cost_defence, p.partner_offset, p.imposer_cost,
                fin, ene, dfc, own_energy, dependence, partnership)


def rally(resolve: float, rally_weight: float, pressure: float, previous_pressure: float
          ) -> float:
    """Resolve after the rally round the flag: clip(rho + r max(0, S - S_prev), 0, 1)."""
    return np.minimum(np.maximum(resolve + rally_weight * np.maximum(
        pressure - previous_pressure, 0.0), 0.0), 1.0)


def spending_ceiling(milex: float, max_spending_pct: float, gdp: float) -> float:
    """Spending cut to the fiscal ceiling's share of GDP after GDP moves."""
    return np.minimum(milex, max_spending_pct / 100.0 * gdp)


def gdp_step(gdp: float, growth_pct: float, loss_pct: float, dt_years: float, lo: float,
             hi: float) -> float:
    """GDP after one step of trend growth less what sanctions cost, held in [lo, hi] (elementwise)."""
    return np.minimum(np.maximum(gdp * (1.0 + dt_years * (growth_pct - loss_pct) / 100.0), lo), hi)


def sanction_push(reciprocity: float, threat_rise: float, hybrid_rise: float) -> float:
    """The push rho (max(0, dT) + max(0, dH)): the push of threat and of the rivals' hybrid operations."""
    return reciprocity * (np.maximum(threat_rise, 0.0) + np.maximum(hybrid_rise, 0.0))


def sanction_pain(cost_sensitivity: float, loss: float, loss0: float, pain_scale: float) -> float:
    """The pain c dL / L_s: the pain of the growth an imposer loses, relative to the pain scale."""
    return cost_sensitivity * (loss - loss0) / pain_scale


def sanction_target(base: float, push: float, pain: float, cohesion: float) -> float:
    """An imposer's sector sought: (s_0 + push - pain) x kappa."""
    return (base + push - pain) * cohesion


def counter_target(base: float, reciprocity: float, pressure: float, pressure0: float) -> float:
    """A counter-sanction sought: s_0 + rho max(0, S - S_0), the sector's rise of pressure."""
    return base + reciprocity * np.maximum(pressure - pressure0, 0.0)


def partnership_target(base: float, answer: float, pressure: float, pressure0: float) -> float:
    """The challenger's partnership sought: P_0 + a_p max(0, S - S_0)."""
    return base + answer * np.maximum(pressure - pressure0, 0.0)


def partner_target(base: float, reciprocity: float, bloc_pressure: float) -> float:
    """A partner's partnership sought: P_0 + rho S_bloc."""
    return base + reciprocity * bloc_pressure


def cover(bloc_mean: float, own: float) -> float:
    """The partnership covering a target: the larger of its bloc's mean and its own, in [0, 1]."""
    return np.minimum(np.maximum(np.maximum(bloc_mean, own), 0.0), 1.0)

