"""Modernization: a perpetual-inventory capability stock with a procurement lag.

Perpetual inventory method (Goldsmith 1951; OECD *Measuring Capital*, 2009), applied to military
equipment as in the SIPRI/Correlates-of-War literature on military capital:

    I_t   = s_p * x_t * dt * (1 - pi * S_def(t - L_s))          (procurement ordered, US$ bn)
    K_t+1 = (1 - delta * dt) * K_t + I_(t - L)                  (stock, US$ bn)
    Z_t+1 = Z_t + dt * (sigma * I_(t - L) / (K_0 dt) - delta * Z_t)   (strategic index, 0-1)

with s_p the procurement share of spending, L the procurement lag (months -> steps), delta the
depreciation rate, pi the share of procurement lost to defence-sector sanctions (lagged pressure
S_def) and sigma the share of procurement that goes to strategic systems: missile defence for the
west, hypersonic and air-defence systems for the east. In steady state K* = s_p x / delta and the
strategic index Z* = sigma (so a default ``strategic`` equals ``strategic_share``).
"""

from __future__ import annotations

import numpy as np


def steady_stock(milex: np.ndarray, procurement_share: float | np.ndarray,
                 depreciation: float | np.ndarray) -> np.ndarray:
    """Steady-state stock K* = s_p x / delta (US$ bn) for spending x (US$ bn/yr)."""
    return procurement_share * milex / np.maximum(depreciation, 1e-9)


def step(cap: np.ndarray, strat: np.ndarray, delivered: np.ndarray, cap0: np.ndarray,
         strategic_share: np.ndarray, depreciation: float | np.ndarray, dt_years: float
         ) -> tuple[np.ndarray, np.ndarray]:
    """Advance the capability stock and strategic index by one step.

    Args:
        cap: K, (N, R) US$ bn.
        strat: Z, (N, R) 0-1.
        delivered: procurement arriving this step, (N, R) US$ bn.
        cap0: initial stock (normaliser of the strategic index), (N, R) US$ bn.
        strategic_share: sigma, (N, R).
        depreciation: delta, 1/yr (a scalar or (R,)).
        dt_years: step length in years.
    """
    new_cap = cap * (1.0 - depreciation * dt_years) + delivered
    inflow = strategic_share * delivered / np.maximum(cap0 * dt_years, 1e-12)
    new_strat = strat + dt_years * (inflow - depreciation * strat)
    return new_cap, np.minimum(np.maximum(new_strat, 0.0), 1.0)


def orders(procurement_share: float, milex: float, dt_years: float, penalty: float,
           pressure: float, pressure0: float, sanctioned: bool) -> float:
    """I_t = s_p x dt (1 - pi max(0, S_def - S_def0)): this step's procurement orders, US$ bn.

    The defence-sector cut counts only the rise of the lagged pressure, and only when the
    sanctions submodel is on (``sanctioned``).
    """
    order = procurement_share * milex * dt_years
    if sanctioned:
        order = order * (1.0 - penalty * np.maximum(pressure - pressure0, 0.0))
    return order
