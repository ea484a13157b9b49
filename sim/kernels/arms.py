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
from . import compiled, kernel
from .parameters import ArmsValues, SanctionsValues

euler = compiled(richardson.euler)
threat_push = compiled(richardson.threat_push)
pain_drag = compiled(richardson.pain_drag)
grown_grievance = compiled(richardson.grown_grievance)
within_ceiling = compiled(richardson.within_ceiling)
total_drive = compiled(richardson.total_drive)
pledge_drive = compiled(pledges.pledge_drive)
mobilisation_drive = compiled(pledges.mobilisation_drive)
orders = compiled(capability_submodel.orders)
capability_step = compiled(capability_submodel.step)


@kernel
def spending(rivals: np.ndarray, milex: np.ndarray, milex0: np.ndarray, threat: np.ndarray,
             threat0: np.ndarray, pledge_pct: np.ndarray, mobilisation: np.ndarray,
             gdp: np.ndarray, gdp0: np.ndarray, loss: np.ndarray, loss0: np.ndarray,
             grievance: np.ndarray, threat_spending: np.ndarray, cost_sensitivity: np.ndarray,
             reaction: np.ndarray, fatigue: np.ndarray, dt_years: float,
             pressure_defence: np.ndarray, pressure_defence0: np.ndarray, sanctioned: bool,
             arms_values: tuple, sanctions_values: tuple) -> tuple[np.ndarray, np.ndarray]:
    """New spending (US$ bn/yr) and this step's procurement orders (US$ bn), each (N, R).

    Richardson's step (:func:`sim.submodels.richardson.euler`) with the threat push, the pain
    drag, the pledge and mobilisation drives and the grievance grown with GDP, held under the
    fiscal ceiling; then the orders (:func:`sim.submodels.capability.orders`). Actor arrays
    (N, R), ``rivals`` (N, N); ``arms_values`` and ``sanctions_values`` the submodels' values.
    """
    p = ArmsValues(*arms_values)
    sp = SanctionsValues(*sanctions_values)
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
            push = total_drive(
                threat_push(p.threat_coupling[r], threat_spending[i, r], milex0[i, r],
                            threat[i, r], threat0[i, r], p.threat_threshold[r]),
                pledge_drive(p.pledge_rate[r], pledge_pct[i, r], gdp[i, r], milex[i, r]),
                mobilisation_drive(p.mobilisation_rate[r], mobilisation[i, r], p.war_pct_gdp[r],
                                   gdp[i, r], milex[i, r]))
            drag = pain_drag(cost_sensitivity[i, r], loss[i, r], loss0[i, r], milex[i, r])
            x = euler(milex[i, r], rivals_milex[r], reaction[i, r], fatigue[i, r],
                      grown_grievance(grievance[i, r], gdp[i, r], gdp0[i, r]), dt_years, push,
                      drag)
            x = within_ceiling(x, p.max_spending_pct[r], gdp[i, r])
            new[i, r] = x
            order[i, r] = orders(p.procurement_share[r], x, dt_years, sp.procurement_penalty[r],
                                 pressure_defence[i, r], pressure_defence0[i, r], sanctioned)
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
