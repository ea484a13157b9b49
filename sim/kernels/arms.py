"""The arms phase compiled: Richardson spending and the perpetual-inventory capability stock.

Spending answers rivals, threat, pledges, mobilisation and the pain of sanctions.

The equations are :mod:`sim.submodels.richardson`, :mod:`sim.submodels.pledges` and
:mod:`sim.submodels.capability`; the kernels evaluate them on scalars for every actor and
replicate.
"""

from __future__ import annotations

import numpy as np

from ..submodels import capability as capability_submodel
from ..submodels import pledges, richardson
from . import compiled, kernel, larger, smaller

euler = compiled(richardson.euler)
pledge_drive = compiled(pledges.pledge_drive)
mobilisation_drive = compiled(pledges.mobilisation_drive)
capability_step = compiled(capability_submodel.step)


@kernel
def spending(rivals: np.ndarray, milex: np.ndarray, milex0: np.ndarray, threat: np.ndarray,
             threat0: np.ndarray, pledge_pct: np.ndarray, mobilisation: np.ndarray,
             gdp: np.ndarray, gdp0: np.ndarray, loss: np.ndarray, loss0: np.ndarray,
             grievance: np.ndarray, threat_spending: np.ndarray, cost_sensitivity: np.ndarray,
             reaction: np.ndarray, fatigue: np.ndarray, threat_coupling: np.ndarray,
             pledge_rate: np.ndarray, mobilisation_rate: np.ndarray, war_pct: np.ndarray,
             max_spending_pct: np.ndarray, procurement_share: np.ndarray, dt_years: float,
             penalty: np.ndarray, pressure_defence: np.ndarray, pressure_defence0: np.ndarray,
             sanctioned: bool) -> tuple[np.ndarray, np.ndarray]:
    """New spending (US$ bn/yr) and this step's procurement orders (US$ bn), each (N, R).

    The threat push is the threat coupling x the actor's threat spending x its initial spending
    x the rise of its mean perceived threat; the pain drag its cost sensitivity x the rise of the
    growth it loses (pp/yr) / 100 x spending; the grievance grows with GDP (budgets are shares of
    it). Spending is held in [0, the fiscal ceiling x GDP]; orders are the procurement share of
    spending over the step, cut by ``penalty`` x the rise of the lagged defence-sector sanctions
    pressure when ``sanctioned``. Actor arrays (N, R), parameters (R,), ``rivals`` (N, N).
    """
    N, R = milex.shape
    new = np.empty((N, R))
    order = np.empty((N, R))
    rivals_milex = np.zeros(R)
    for i in range(N):
        rivals_milex[:] = 0.0
        for j in range(N):
            if rivals[i, j] != 0.0:
                for r in range(R):
                    rivals_milex[r] += rivals[i, j] * milex[j, r]
        for r in range(R):
            push = (threat_coupling[r] * threat_spending[i, r] * milex0[i, r]
                    * larger(threat[i, r] - threat0[i, r], 0.0))
            push = (push + pledge_drive(pledge_rate[r], pledge_pct[i, r], gdp[i, r], milex[i, r])
                    + mobilisation_drive(mobilisation_rate[r], mobilisation[i, r], war_pct[r],
                                         gdp[i, r], milex[i, r]))
            drag = cost_sensitivity[i, r] * (loss[i, r] - loss0[i, r]) / 100.0 * milex[i, r]
            x = euler(milex[i, r], rivals_milex[r], reaction[i, r], fatigue[i, r],
                      grievance[i, r] * (gdp[i, r] / gdp0[i, r]), dt_years, push, drag)
            x = smaller(larger(x, 0.0), max_spending_pct[r] / 100.0 * gdp[i, r])
            new[i, r] = x
            o = procurement_share[r] * x * dt_years
            if sanctioned:
                o = o * (1.0 - penalty[r] * larger(
                    pressure_defence[i, r] - pressure_defence0[i, r], 0.0))
            order[i, r] = o
    return new, order


@kernel
def stock(capability: np.ndarray, strategic: np.ndarray, delivered: np.ndarray,
          reference: np.ndarray, strategic_share: np.ndarray, depreciation: np.ndarray,
          dt_years: float) -> tuple[np.ndarray, np.ndarray]:
    """The capability stock and strategic index after this step's deliveries, each (N, R)."""
    N, R = capability.shape
    new_capability = np.empty((N, R))
    new_strategic = np.empty((N, R))
    for i in range(N):
        for r in range(R):
            new_capability[i, r], new_strategic[i, r] = capability_step(
                capability[i, r], strategic[i, r], delivered[i, r], reference[i, r],
                strategic_share[i, r], depreciation[r], dt_years)
    return new_capability, new_strategic
