"""The names of the files flashpoint writes into a results folder, and its atomic text writer.

Shared by :mod:`sim.io.output` (whole folders) and :mod:`sim.io.ledger` (loose files and their
records), which both import it and not each other.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

FIGURES = tuple(f"{kind}.{fmt}" for kind in ("tension", "postures", "actors", "ladder",
                                             "compare") for fmt in ("png", "svg", "pdf"))
RESULT_FILES = ("timeseries.csv", "timeseries.parquet", "events.csv", "summary.json",
                "scenario.yaml", "reference.yaml", "calibration.yaml", "provenance.json",
                "ensemble.csv", "report.md", "fit.png", "report.html", "summary.csv", "ladder.csv",
                "outcomes.csv",
                "compare.csv", "compare.json", "overlay.png", "difference.png", *FIGURES)
"""Every file flashpoint writes into a results folder (``run``, ``calibrate``, ``plot``,
``report``); ``provenance.json`` lists those written into a given folder."""


def atomic_write_text(path: Path, text: str) -> None:
    """Write a text file through a temporary file in the same directory and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def locked(folder: Path, wait: bool = True) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (flock on the folder itself: no lock file is left).

    Raises:
        BlockingIOError: with ``wait=False``, another process holds the lock.
    """
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        yield
    finally:
        os.close(fd)
