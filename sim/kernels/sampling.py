"""NumPy's Poisson and binomial samplers for small means, compiled: the same draws, bit for bit.

A kernel that draws inside its loop avoids NumPy's per-call and per-element overhead (a Poisson
array draw, ``nonzero`` and fancy indexing for the severity split): at R = 10,000 the incidents'
draws took about 4.5 ms a step as NumPy calls. The functions here are ports of the branches of
NumPy's own samplers (``numpy/random/src/distributions/distributions.c``) that this model's
small means take, reading uniforms from the same ``numpy.random.Generator`` with the same
``next_double`` (``Generator.random()`` inside Numba), so they give NumPy's values and leave the
generator in NumPy's state:

- Poisson, mean lambda < 10: Knuth's multiplication method (Knuth 1969, *The Art of Computer
  Programming* vol. 2, 3.4.1; NumPy's ``random_poisson_mult``): multiply uniforms until the
  product falls to exp(-lambda) or below; the count is the number of factors before that.
  lambda = 0 draws nothing.
- Binomial(n, p) with n * min(p, 1 - p) <= 30: inversion (Kachitvichyanukul and Schmeiser 1988,
  *Binomial random variate generation*, algorithm BINV; NumPy's ``random_binomial_inversion``):
  walk up the probabilities P(X = x) = P(X = x - 1) (n - x + 1) p / (x q) from q^n until the
  uniform is spent, restarting past the bound min(n, np + 10 sqrt(npq + 1)); for p > 1/2 it draws
  n - Binomial(n, 1 - p). n = 0 or p = 0 draws nothing.

The other branches (NumPy's PTRS for lambda >= 10, BTPE for larger binomial means) are not
ported: the kernels check every mean first and leave such draws to NumPy itself
(:func:`sim.kernels.incidents.draw`). ``tests/test_kernels.py`` compares the values and the
generator's state after them with NumPy's.
"""

from __future__ import annotations

import numba
import numpy as np

from . import OPTIONS

POISSON_SMALL_MEAN = 10.0
"""NumPy's multiplication method serves means below this (PTRS above)."""

BINOMIAL_INVERSION_MEAN = 30.0
"""NumPy's inversion serves n * min(p, 1 - p) up to this (BTPE above)."""


@numba.njit(**OPTIONS)
def poisson_small(rng: np.random.Generator, lam: float) -> int:
    """One Poisson(lam) draw, 0 <= lam < 10, by NumPy's multiplication method."""
    if lam == 0.0:
        return 0
    floor = np.exp(-lam)
    count = 0
    product = 1.0
    while True:
        product *= rng.random()
        if product > floor:
            count += 1
        else:
            return count


@numba.njit(**OPTIONS)
def binomial_by_inversion(n: int, p: float) -> bool:
    """Whether NumPy draws Binomial(n, p) by inversion (p a probability, n >= 0)."""
    if not (0.0 <= p <= 1.0) or n < 0:
        return False
    if p <= 0.5:
        return p * n <= BINOMIAL_INVERSION_MEAN
    return (1.0 - p) * n <= BINOMIAL_INVERSION_MEAN


@numba.njit(**OPTIONS)
def _inversion(rng: np.random.Generator, n: int, p: float) -> int:
    """Binomial(n, p) for p <= 1/2 by inversion (NumPy's ``random_binomial_inversion``)."""
    q = 1.0 - p
    first = np.exp(n * np.log(q))
    mean = n * p
    bound = min(n, int(mean + 10.0 * np.sqrt(mean * q + 1)))
    x = 0
    px = first
    u = rng.random()
    while u > px:
        x += 1
        if x > bound:
            x = 0
            px = first
            u = rng.random()
        else:
            u -= px
            px = ((n - x + 1) * p * px) / (x * q)
    return x


@numba.njit(**OPTIONS)
def binomial_small(rng: np.random.Generator, n: int, p: float) -> int:
    """One Binomial(n, p) draw where :func:`binomial_by_inversion` holds, as NumPy draws it."""
    if n == 0 or p == 0.0:
        return 0
    if p <= 0.5:
        return _inversion(rng, n, p)
    return n - _inversion(rng, n, 1.0 - p)
