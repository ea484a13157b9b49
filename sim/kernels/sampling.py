"""NumPy's Poisson and binomial samplers for small means, compiled: the same draws, bit for bit.

A kernel that draws inside its loop avoids NumPy's per-call and per-element overhead (a Poisson
array draw, ``nonzero`` and fancy indexing for the severity split): at R = 10,000 the incidents'
draws took about 4.5 ms a step as NumPy calls. The functions here are ports of the branches of
NumPy's own samplers (``numpy/random/src/distributions/distributions.c``) that this model's
small means take, reading uniforms from the same ``numpy.random.Generator`` with the same
``next_double`` (what ``Generator.random()`` calls), so they give NumPy's values and leave the
generator in NumPy's state. The kernels take the generator as its bit generator's C interface
(:func:`uniform_source`: the address of its ``next_double`` and of its state, two integers) and
call that function through :func:`next_double`, as ``Generator.random()`` does, instead of taking
the ``Generator`` itself: Numba unboxes a ``Generator`` argument with three ``ctypes.cast`` calls
and a type lookup, 20-60 us a kernel call (a tenth of a step at R = 1). The samplers:

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

import ctypes
from collections.abc import Callable
from typing import Any

import numba
import numpy as np
from llvmlite import ir
from numba.core import types
from numba.core.extending import intrinsic, overload
from numba.core.typing.templates import Signature

from . import OPTIONS

POISSON_SMALL_MEAN = 10.0
"""NumPy's multiplication method serves means below this (PTRS above)."""

BINOMIAL_INVERSION_MEAN = 30.0
"""NumPy's inversion serves n * min(p, 1 - p) up to this (BTPE above)."""


_NEXT_DOUBLE = ctypes.CFUNCTYPE(ctypes.c_double, ctypes.c_void_p)
"""The C signature of a NumPy bit generator's ``next_double``: double (void *state)."""


def uniform_source(rng: np.random.Generator) -> tuple[int, int]:
    """``rng``'s bit generator as the kernels take it: (its ``next_double``'s address, its state's).

    The addresses are valid while ``rng`` lives; the caller keeps it. Drawing through them
    advances ``rng`` exactly as its own ``random()`` does.
    """
    interface = rng.bit_generator.ctypes
    # the function pointer a ctypes function object holds (what ctypes.cast gives, in a third
    # of the time)
    return ctypes.c_void_p.from_buffer(interface.next_double).value, interface.state_address


def next_double(source: tuple[int, int]) -> float:
    """One uniform double in [0, 1) from a :func:`uniform_source` (``Generator.random()``).

    In plain Python (``NUMBA_DISABLE_JIT=1``) through ctypes; compiled, a direct call.
    """
    return _NEXT_DOUBLE(source[0])(source[1])


@intrinsic
def _call_next_double(typingctx: Any, function: types.Type, state: types.Type
                      ) -> tuple[Signature, Callable] | None:
    """Call the C function at address ``function`` with the pointer ``state``; a double."""
    if not (isinstance(function, types.Integer) and isinstance(state, types.Integer)):
        return None

    def codegen(context: Any, builder: ir.IRBuilder, signature: Signature,
                args: list[ir.Value]) -> ir.Value:
        pointer = ir.IntType(8).as_pointer()
        callee = builder.inttoptr(args[0], ir.FunctionType(ir.DoubleType(), [pointer]).as_pointer())
        return builder.call(callee, [builder.inttoptr(args[1], pointer)])

    return types.float64(function, state), codegen


@overload(next_double, jit_options=OPTIONS)
def _next_double_compiled(source) -> Callable:  # unannotated: Numba compares it with the impl's
    """:func:`next_double` in compiled code: the intrinsic's direct call."""

    def next_double_impl(source):  # the same signature as the overload's
        return _call_next_double(source[0], source[1])

    return next_double_impl


@numba.njit(**OPTIONS)
def poisson_small(source: tuple[int, int], lam: float) -> int:
    """One Poisson(lam) draw, 0 <= lam < 10, by NumPy's multiplication method."""
    if lam == 0.0:
        return 0
    floor = np.exp(-lam)
    count = 0
    product = 1.0
    while True:
        product *= next_double(source)
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
def _inversion(source: tuple[int, int], n: int, p: float) -> int:
    """Binomial(n, p) for p <= 1/2 by inversion (NumPy's ``random_binomial_inversion``)."""
    q = 1.0 - p
    first = np.exp(n * np.log(q))
    mean = n * p
    bound = min(n, int(mean + 10.0 * np.sqrt(mean * q + 1)))
    x = 0
    px = first
    u = next_double(source)
    while u > px:
        x += 1
        if x > bound:
            x = 0
            px = first
            u = next_double(source)
        else:
            u -= px
            px = ((n - x + 1) * p * px) / (x * q)
    return x


@numba.njit(**OPTIONS)
def binomial_small(source: tuple[int, int], n: int, p: float) -> int:
    """One Binomial(n, p) draw where :func:`binomial_by_inversion` holds, as NumPy draws it."""
    if n == 0 or p == 0.0:
        return 0
    if p <= 0.5:
        return _inversion(source, n, p)
    return n - _inversion(source, n, 1.0 - p)
