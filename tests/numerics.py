"""How closely a compiled equation must match the same equation run as NumPy array code.

The kernels evaluate each submodel's own function on scalars, in the same order of operations,
so every ``+``, ``*`` and ``/`` rounds the same way. Only the transcendental functions (``exp``,
``expm1``, ``log``, ``pow``, ``tanh``) can differ: Numba calls the C library's, and NumPy calls the C
library's too, except on CPUs with AVX-512, where NumPy has vector routines of its own that may
round the last bit differently (both are within one unit in the last place). One such bit can
grow through a cancellation such as ``1 - exp(-x)`` or a power, so the bound is relative to the
size of the result or to 1, whichever is larger.

:data:`NUMPY_USES_LIBM` tells which case this machine is; where it is, the match must be exact.
"""

import math

import numpy as np

_X = np.linspace(-7.0, 7.0, 2001)
NUMPY_USES_LIBM: bool = (
    np.exp(_X).tolist() == [math.exp(v) for v in _X]
    and np.expm1(_X).tolist() == [math.expm1(v) for v in _X]
    and np.log(_X[_X > 0]).tolist() == [math.log(v) for v in _X[_X > 0]]
    and np.power(_X[_X > 0], 1.7).tolist() == [math.pow(v, 1.7) for v in _X[_X > 0]]
    and np.tanh(_X).tolist() == [math.tanh(v) for v in _X])
"""Whether NumPy's float64 transcendental functions give the C library's bits on this CPU."""

TRANSCENDENTAL_TOLERANCE = 1e-12
"""Largest |compiled - array| / max(|array|, 1) allowed where NumPy has its own routines:
about 4,500 units in the last place, far below what any change to an equation would make."""


def same_equation(got, want) -> bool:
    """Whether ``got`` (compiled) is ``want`` (array code): bit for bit, or where NumPy uses its
    own transcendental routines, within :data:`TRANSCENDENTAL_TOLERANCE`; NaN matches NaN and an
    infinity only itself."""
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    if got.shape != want.shape:
        return False
    nan = np.isnan(got)
    if not np.array_equal(nan, np.isnan(want)):
        return False
    got, want = got[~nan], want[~nan]
    if NUMPY_USES_LIBM or not np.array_equal(got[np.isinf(want)], want[np.isinf(want)]):
        return np.array_equal(got, want)
    got, want = got[np.isfinite(want)], want[np.isfinite(want)]
    return bool(np.all(np.abs(got - want) <= TRANSCENDENTAL_TOLERANCE * np.maximum(np.abs(want), 1.0)))


def submodel_values(name: str, replicates: int, **given) -> tuple:
    """A submodel's parameters as the kernels take them: the schema's defaults, ``given`` by name.

    A plain tuple of (R,) float arrays in the order of :data:`sim.kernels.parameters.VALUES`.
    """
    from sim.kernels.parameters import SUBMODEL_SCHEMAS, VALUES

    unknown = set(given) - set(VALUES[name]._fields)
    assert not unknown, unknown
    defaults = SUBMODEL_SCHEMAS[name]()
    return tuple(np.broadcast_to(np.asarray(given.get(f, getattr(defaults, f)), dtype=float),
                                 (replicates,)).copy() for f in VALUES[name]._fields)
