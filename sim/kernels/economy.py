"""Sanctions and the economy compiled (Hufbauer-Schott-Elliott): growth lost, rally, GDP.

The equations are :mod:`sim.submodels.sanctions`'s ``loss``, ``rally`` and ``gdp_step``.
"""

from __future__ import annotations

import numpy as np

from ..submodels import sanctions
from . import compiled, kernel, larger, smaller
from .views import weighted

loss = compiled(sanctions.loss)
rally = compiled(sanctions.rally)
gdp_step = compiled(sanctions.gdp_step)


@kernel
def growth_loss(bloc_mean: np.ndarray, partnership: np.ndarray, lagged: np.ndarray,
                own_energy: np.ndarray, dependence: np.ndarray, costs: np.ndarray) -> np.ndarray:
    """Growth each actor loses to sanctions, pp/yr, (N, R).

    A partnership counts for the whole bloc (the larger of the bloc's mean and the actor's own,
    held in [0, 1]); ``lagged`` (3, N, R) is the lagged pressure by sector, ``costs`` (5, R) the
    sanctions submodel's cost_finance, cost_energy, cost_defence, partner_offset, imposer_cost.
    """
    cover = weighted(bloc_mean, partnership)
    N, R = partnership.shape
    out = np.empty((N, R))
    for i in range(N):
        for r in range(R):
            c = smaller(larger(larger(cover[i, r], partnership[i, r]), 0.0), 1.0)
            out[i, r] = loss(costs[0, r], costs[1, r], costs[2, r], costs[3, r], costs[4, r],
                             lagged[0, i, r], lagged[1, i, r], lagged[2, i, r], own_energy[i, r],
                             dependence[i, r], c)
    return out


@kernel
def resolve(resolve_now: np.ndarray, rally_weight: np.ndarray, pressure: np.ndarray,
            previous_pressure: np.ndarray) -> np.ndarray:
    """Resolve after the rally round the flag, (N, R)."""
    N, R = resolve_now.shape
    out = np.empty((N, R))
    for i in range(N):
        for r in range(R):
            out[i, r] = rally(resolve_now[i, r], rally_weight[r],
                              larger(pressure[i, r] - previous_pressure[i, r], 0.0))
    return out


@kernel
def economy(gdp: np.ndarray, growth_pct: np.ndarray, loss_pct: np.ndarray, dt_years: float,
            lo: float, hi: float, milex: np.ndarray, max_spending_pct: np.ndarray, ceiling: bool
            ) -> np.ndarray:
    """GDP after the step, (N, R); with ``ceiling`` spending is cut in place to the fiscal ceiling."""
    N, R = gdp.shape
    out = np.empty((N, R))
    for i in range(N):
        for r in range(R):
            y = gdp_step(gdp[i, r], growth_pct[i, r], loss_pct[i, r], dt_years, lo, hi)
            out[i, r] = y
            if ceiling:
                milex[i, r] = smaller(milex[i, r], max_spending_pct[r] / 100.0 * y)
    return out
