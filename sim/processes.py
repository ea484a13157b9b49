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
