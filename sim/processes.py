"""Processes: flashpoint's own helpers (the figure's drawer, the second compiler), and cores.

:func:`start_module` runs ``python -m MODULE`` with this interpreter and this package importable
(its parent folder first on ``PYTHONPATH``, whether flashpoint is installed or run from a
checkout). Standard output is discarded; standard error too, unless ``FLASHPOINT_DEBUG`` is set.
:func:`available_cores` is what the compiler split, the quantile thread and sweeps count on.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def available_cores() -> int:
    """Cores this process may run on (its affinity, which can change)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def start_module(module: str, stdin: int | None = subprocess.DEVNULL) -> subprocess.Popen:
    """Start ``python -m module`` (``stdin``: ``subprocess.PIPE`` to talk to it).

    Raises:
        OSError: the process could not be started.
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(Path(__file__).resolve().parents[1]), env.get("PYTHONPATH", "")) if p)
    return subprocess.Popen([sys.executable, "-m", module], env=env, stdin=stdin,
                            stdout=subprocess.DEVNULL,
                            stderr=None if os.environ.get("FLASHPOINT_DEBUG")
                            else subprocess.DEVNULL)


def die_with_parent() -> None:
    """Have the kernel end this process when its parent ends (Linux ``PR_SET_PDEATHSIG``).

    A sweep's fork server and workers call it, so that killing the ``flashpoint sweep`` process
    (even with SIGKILL) leaves no worker behind holding memory. Elsewhere it does nothing.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - no prctl
        return
    if os.getppid() == 1:  # the parent ended before the call: end now
        os._exit(1)


def worker_start() -> None:
    """Set up a sweep's local worker process: end with its parent, tune the allocator."""
    from .engine.perf import tune_malloc

    die_with_parent()
    tune_malloc()
