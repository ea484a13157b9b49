"""Spending commitments: alliance pledges (a target share of GDP) and war mobilisation.

Richardson's action-reaction (``richardson``) explains how rivals' spending moves together, not why
NATO's frontline allies doubled their shares after 2014: they had pledged to. The Wales Summit
Declaration (September 2014) asked allies below 2 % of GDP to halt the decline and move towards 2 %
within a decade; Latvia and Lithuania went from under 1 % in 2014 to 2 % in 2018-19
(``data/milex_gdp.csv``). A belligerent at war spends on a war footing (Harrison 1998 on war
economies; the belligerents of 1992-2019 in data/milex_gdp.csv: Russia at 5.4 % in 2016, Ukraine
at 3.8-4.1 % while fighting in Donbas). Both enter the Richardson equation as drives towards
a target level:

    pledge        P_i = rho_p max(0, pi_i Y_i / 100 - x_i)           (pi_i pledged % of GDP)
    mobilisation  W_i = rho_m mu_i max(0, m Y_i / 100 - x_i)        (mu_i 0-1 mobilisation)

with Y_i GDP, x_i spending (US$ bn/yr), rho_p and rho_m closing rates (1/yr) and m the war-footing
share of GDP. Against Richardson's fatigue a x the pledge settles at (a x_0 + rho_p pi Y) / (a +
rho_p): with a = 0.2 and rho_p = 1 a gap of 1 pp closes to 0.17 pp.
"""

from __future__ import annotations

import numpy as np


def pledge_drive(rate: float | np.ndarray, pledge_pct: np.ndarray, gdp: np.ndarray,
                 milex: np.ndarray) -> np.ndarray:
    """Spending growth towards a pledged share of GDP, US$ bn/yr per yr, (N, R)."""
    return rate * np.maximum(0.0, pledge_pct / 100.0 * gdp - milex)


def mobilisation_drive(rate: float | np.ndarray, mobilisation: np.ndarray,
                       war_pct: float | np.ndarray, gdp: np.ndarray, milex: np.ndarray
                       ) -> np.ndarray:
    """Spending growth of a mobilising belligerent towards a war footing, (N, R)."""
    return rate * mobilisation * np.maximum(0.0, war_pct / 100.0 * gdp - milex)
