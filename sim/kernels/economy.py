"""Sanctions and the economy compiled (Hufbauer-Schott-Elliott): growth lost, rally, GDP.

The equations are :mod:`sim.submodels.sanctions`'s ``loss``, ``rally`` and ``gdp_step``.
"""

from __future__ import annotations

import numpy as np

from ..submodels import sanctions
from . import compiled, kernel
from .parameters import ArmsValues, SanctionsValues
from .views import weighted

loss = compiled(sanctions.loss)
rally = compiled(sanctions.rally)
gdp_step = compiled(sanctions.gdp_step)
cover_of = compiled(sanctions.cover)
spending_ceiling = compiled(sanctions.spending_ceiling)


@kernel
def growth_loss(bloc_mean: np.ndarray, partnership: np.ndarray, lagged: np.ndarray,
                own_energy: np.ndarray, dependence: np.ndarray, sanctions_values: tuple
                ) -> np.ndarray:
    """Growth each actor loses to sanctions, pp/yr (N, R).

    A partnership counts for the whole bloc (:func:`sim.submodels.sanctions.cover`); ``lagged``
    (3, N, R) is the lagged pressure by sector, ``sanctions_values`` the sanctions submodel's
    values (:class:`SanctionsValues`).
    """
    p = SanctionsValues(*sanctions_values)
    cover = weighted(bloc_mean, partnership)
    N, R = partnership.shape
    out = np.empty((N, R))
    for i in range(N):
        for r in range(R):
            c = cover_of(cover[i, r], partnership[i, r])
            out[i, r] = loss(p.cost_finance[r], p.cost_energy[r], p.cost_defence[r],
                             p.partner_offset[r], p.imposer_cost[r], lagged[0, i, r],
                             lagged[1, i, r], lagged[2, i, r], own_energy[i, r],
                             dependence[i, r], c)
    return out


@kernel
def resolve(resolve_now: np.ndarray, pressure: np.ndarray, previous_pressure: np.ndarray,
            sanctions_values: tuple) -> np.ndarray:
    """Resolve after the rally round the flag (:func:`sim.submodels.sanctions.rally`), (N, R)."""
    p = SanctionsValues(*sanctions_values)
    N, R = resolve_now.shape
    out = np.empty((N, R))
    for i in range(N):
        for r in range(R):
            out[i, r] = rally(resolve_now[i, r], p.rally[r], pressure[i, r],
                              previous_pressure[i, r])
    return out


@kernel
def economy(gdp: np.ndarray, growth_pct: np.ndarray, loss_pct: np.ndarray, dt_years: float,
            lo: float, hi: float, milex: np.ndarray, arms_values: tuple, ceiling: bool
            ) -> np.ndarray:
    """GDP after the step, (N, R); with ``ceiling`` spending is cut in place to the fiscal ceiling."""
    p = ArmsValues(*arms_values)
    N, R = gdp.shape
    out = np.empty((N, R))
    for i in range(N):
        for r in range(R):
            y = gdp_step(gdp[i, r], growth_pct[i, r], loss_pct[i, r], dt_years, lo, hi)
            out[i, r] = y
            if ceiling:
                milex[i, r] = spending_ceiling(milex[i, r], p.max_spending_pct[r], y)
    return out
