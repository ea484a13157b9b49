"""The first-ever compile on two cores: half of the kernels here, the other half in a child.

Compiling every kernel takes about 17 s on one core (README, Performance), nearly all of it
Numba's work on one kernel at a time. When kernels are missing from the disk cache and the
machine has a second core, :func:`compile_in_two_processes` starts ``python -m
sim.engine.warm`` to compile the kernels of :data:`SECOND`, and meanwhile compiles the others
here. Each process compiles its half by running the same two-step baseline run as
:func:`sim.compile_kernels`, the other half's kernels replaced for that run by their plain-Python
functions (:func:`plain`: the same code, with every compiled function it calls also plain), so
that neither process compiles the other's. Both write the disk cache (Numba writes each entry
through a temporary file and a rename); the final two-step run then loads every kernel from it.

Nothing depends on the child: a kernel it did not compile (it failed, or was slower) is compiled
by that final run as before. The split is by measured compile time (seconds on this project's
machine, first-ever compile, one process, measured together on 2026-11-26 in a slow phase of
the machine): decide 7.3 (its loops, one a posture, are vectorised), counts_by_severity 2.6
(NumPy's samplers; since replaced by the counter-based streams' incidents_by_severity), belief
2.2, spending 1.3, pressures 1.1, margin 1.0, diplomacy 0.9,
outcomes_step 0.9, bloc_max 0.8, targets 0.7, raw_target 0.7, growth_loss 0.6, ladder_step 0.6,
economy 0.5, stock 0.5, weighted 0.5, expected_counts 0.5, switch_states 0.5, perceive 0.5,
relax 0.4, cooperation 0.4, impulses 0.4, force_to_decide 0.4, resolve 0.3, pair_mean 0.3,
any_in_first_columns 0.3, activity 0.2; about 26 s in all, and about 1 s of Numba's own start in
each process. Later the same day, kernel by kernel with ``dispatcher.compile`` in an empty cache,
the whole set took 19.6-21.3 s (recover, added then, 0.3 s; pressures 0.85 s once it wrote its
sectors in place: a slice assignment of whole arrays had taken it to 5.7 s). The quantile
series' order statistics (``order.order_statistics``, added on 2026-11-26 with its helpers) took
2.4 s on a later machine with AVX-512, on which the split below measured 7.1 s in this process
and 9.3 s in the child with ``deterrence.belief`` still in the child's half, 10.0 s for the
whole first-ever run once it was moved here (8.7 s before the order statistics).
"""

from __future__ import annotations

import functools
import importlib
import subprocess
import sys
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numba.core.registry

from ..kernels import KERNELS
from ..processes import start_module

MODULES = ("views", "threat", "pairs", "economy", "deterrence", "decisions", "arms", "incidents",
           "streams", "escalation", "record", "order")
"""The kernel modules (``sim.kernels.NAME``)."""

SECOND = ("decisions.decide", "streams.incidents_by_severity",
          "order.order_statistics")
"""The kernels the child compiles: about half of the compile time (the module docstring's
figures), a little less, as the child first spends about 2 s importing what the parent has
already imported."""

CHILD_TIMEOUT_SECONDS = 300.0
"""How long to wait for the child before compiling what it has not, seconds."""


def kernels() -> dict[str, Callable]:
    """Every kernel by its ``module.function`` name."""
    for module in MODULES:
        importlib.import_module(f"sim.kernels.{module}")
    named = {}
    for k in KERNELS:
        fn = getattr(k, "py_func", k)  # with NUMBA_DISABLE_JIT=1 a kernel is its function
        named[f"{fn.__module__.rsplit('.', 1)[1]}.{fn.__name__}"] = k
    return named


def cold_kernels() -> list[str]:
    """The kernels with no entry in the disk cache yet (all of them on a machine's first run).

    Empty when the kernels are not compiled (``NUMBA_DISABLE_JIT=1``) or when this Numba keeps
    its cache where this function does not know to look (then nothing is split: the kernels
    compile one by one as they are first called).
    """
    cold = []
    for name, k in kernels().items():
        try:
            index = Path(k._cache._cache_file._index_path)
        except AttributeError:
            return []
        if not index.is_file():
            cold.append(name)
    return cold


@functools.cache
def plain(fn: Callable) -> Callable:
    """A compiled function's Python code, calling the plain versions of compiled functions too."""
    py = fn.py_func
    namespace = dict(py.__globals__)
    for name in py.__code__.co_names:
        value = namespace.get(name)
        if isinstance(value, numba.core.registry.CPUDispatcher):
            namespace[name] = plain(value)
    return types.FunctionType(py.__code__, namespace, py.__name__, py.__defaults__,
                              py.__closure__)


@contextmanager
def only_compiling(names: tuple[str, ...] | list[str]) -> Iterator[None]:
    """While inside, every kernel but ``names`` runs as plain Python (:func:`plain`)."""
    swapped = []
    for name, k in kernels().items():
        if name in names:
            continue
        module = sys.modules[k.py_func.__module__]
        swapped.append((module, k.py_func.__name__, k))
        setattr(module, k.py_func.__name__, plain(k))
    try:
        yield
    finally:
        for module, attribute, k in swapped:
            setattr(module, attribute, k)


def two_steps() -> None:
    """The two-step baseline run whose kernel calls compile (or load) every kernel.

    And the quantile series' selection, which a run takes only from
    :data:`~sim.engine.recorder.SELECT_FROM` replicates: on a tiny block of its own.
    """
    import numpy as np

    from ..arrays import selected_percentiles
    from ..scenario.loader import load_scenario
    from .runner import run

    # the deterrence reading: it calls every kernel the spiral reading calls, and one more
    run(load_scenario("baseline", ["submodels.threat.reading=deterrence"]), seed=0, replicates=2,
        steps=2, record="quantiles")
    selected_percentiles(np.arange(6, dtype=np.float32).reshape(1, 2, 3), [50.0])


def compile_in_two_processes() -> bool:
    """Compile :data:`SECOND` in a child and the other kernels here, at the same time.

    Returns:
        Whether the child finished in time and well (the kernels it missed compile later).
    """
    try:
        child = start_module(__name__)
    except OSError:
        return False
    try:
        first = tuple(name for name in kernels() if name not in SECOND)
        with only_compiling(first):
            two_steps()
        child.wait(timeout=CHILD_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        pass
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    return child.returncode == 0


def main() -> int:
    """The child: compile the kernels of :data:`SECOND`."""
    with only_compiling(SECOND):
        two_steps()
    return 0


def compile_kernels(announce: bool = False) -> float:
    """Compile every kernel, or load it from the disk cache: a two-step run of the baseline.

    A kernel compiles on its first call; this makes that happen now, in this process, so that
    processes started afterwards (sweep workers, the explorer's server, test workers) load the
    cache instead of each compiling.

    Args:
        announce: say on standard error that the kernels are being compiled when it takes more
            than two seconds (the first run on a machine).

    Returns:
        The seconds it took: about 10-20 s the first time on a machine (README, Performance;
        on two cores, :mod:`sim.engine.warm`),
        a fraction of a second afterwards.
    """
    import sys
    import threading
    import time

    from ..processes import available_cores

    def say() -> None:
        print("flashpoint: compiling the model's kernels (once per machine and Python version; "
              "about 10-20 s)...", file=sys.stderr, flush=True)

    timer = threading.Timer(2.0, say)
    timer.daemon = True
    if announce:
        timer.start()
    start = time.perf_counter()
    try:
        if cold_kernels() and available_cores() > 1:
            compile_in_two_processes()  # half here, half in a child, at the same time
        two_steps()  # loads every kernel (compiles what is still missing)
    finally:
        timer.cancel()
    return time.perf_counter() - start


if __name__ == "__main__":
    sys.exit(main())
