"""Compiled kernels: each phase's arithmetic fused into loops over the replicate axis.

A step at R = 10,000 done as NumPy array operations makes about a thousand passes over temporary
arrays; at R = 1 it is about a thousand calls of NumPy's per-operation overhead. A kernel here does
one phase in one compiled call: a loop over pairs (or actors) and replicates that evaluates the
submodel's equation on scalars. The equations themselves stay in :mod:`sim.submodels`, written so
that one function works on NumPy arrays and on scalars; a kernel compiles that same function
(:func:`compiled`), so there is no second copy of any equation.

Loops the compiler can vectorise (four doubles an instruction with AVX2): an innermost loop over
the replicates writes few arrays, best one (LLVM checks at run time that the arrays a loop writes
do not overlap those it reads, and gives up past a few such checks), and calls nothing that stays
a call: the compiled equations are inlined (``inline="always"``) and ``max``/``min`` are
:func:`larger`/:func:`smaller`, since Numba compiles the builtins as calls (``-pass-remarks`` of
LLVM's loop vectoriser named both reasons). The transcendental functions (``exp``, ``expm1``, ``pow``) stay scalar
calls: pip's llvmlite has no vector math library.

Compilation: Numba (``numba.njit``), with ``cache=True`` so a kernel is compiled once per machine
and Python version and loaded from ``__pycache__`` afterwards; ``error_model="numpy"`` so a division
by zero gives inf or NaN as in NumPy (the run's finiteness check then reports it) instead of
raising. ``NUMBA_DISABLE_JIT=1`` runs the same kernels as plain Python (slow; for debugging).

Parameters arrive by name: each submodel's as the named tuple :mod:`.parameters` generates from
the schema, passed as a plain tuple and named again inside the kernel.

Random draws come from counter-based streams (:mod:`sim.submodels.streams`, compiled in
:mod:`.streams`): every uniform is a pure function of the seed, the replicate's number in the
experiment, a named stream and the step, so kernels draw only where a draw is needed and in any
order. With the kernels evaluating the same
operations in the same order, every result is bit for bit the array code's, except where NumPy
evaluates ``exp``, ``expm1``, ``log`` or ``pow`` with vector routines of its own (on CPUs with
AVX-512) instead of the C library's that the kernels call: there the last bit of those functions
may differ (``tests/numerics.py`` bounds it). A run repeats bit for bit on one machine either
way; between machines with and without AVX-512 the few powers taken outside the kernels (the
per-step rates of parameters that vary by replicate) may differ in that last bit.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numba
import numpy as np

OPTIONS: dict[str, Any] = {"cache": True, "nogil": True, "error_model": "numpy"}
"""Numba's options for every kernel (see the module docstring)."""


def kernel(fn: Callable) -> Callable:
    """Compile ``fn`` as a kernel (lazily, on its first call; cached on disk)."""
    dispatcher = numba.njit(**OPTIONS)(fn)
    KERNELS.append(dispatcher)
    return dispatcher


KERNELS: list[Callable] = []
"""Every kernel, in the order their modules define them (:mod:`sim.engine.warm` splits them)."""


@functools.cache
def compiled(equation: Callable) -> Callable:
    """A submodel's elementwise equation compiled for scalars, to be called inside kernels.

    One compiled function for each equation, however many kernel modules use it. It is inlined
    into each kernel (``inline="always"``): a call in a loop over the replicates keeps the
    compiler from vectorising that loop.
    """
    return numba.njit(**OPTIONS, inline="always")(equation)


@numba.njit(**OPTIONS, inline="always")
def larger(a: float, b: float) -> float:
    """``max(a, b)``, inlined: ``b`` where ``b > a``, else ``a`` (Python's rule, NaN included).

    Numba compiles the builtin ``max`` as a call, which keeps a loop from being vectorised.
    """
    return b if b > a else a


@numba.njit(**OPTIONS, inline="always")
def smaller(a: float, b: float) -> float:
    """``min(a, b)``, inlined: ``b`` where ``b < a``, else ``a`` (Python's rule, NaN included)."""
    return b if b < a else a


def per_replicate(value: float | np.ndarray, replicates: int) -> np.ndarray:
    """A parameter that is a scalar or an (R,) array as a new contiguous, writable float (R,) array.

    Always the same array type, so a kernel is compiled once for every R.
    """
    out = np.empty(replicates)
    out[...] = value
    return out
