"""Helper processes of flashpoint's own (the figure's drawer, the second compiler).

:func:`start_module` runs ``python -m MODULE`` with this interpreter and this package importable
(its parent folder first on ``PYTHONPATH``, whether flashpoint is installed or run from a
checkout). Standard output is discarded; standard error too, unless ``FLASHPOINT_DEBUG`` is set.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


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
