"""Process-level tuning for large replicate batches.

A step at R = 10,000 creates hundreds of temporary arrays of 0.1-1 MB. glibc serves blocks above
its mmap threshold (128 KiB at first) with fresh ``mmap`` calls, so every temporary costs page
faults; raising the threshold keeps them on the heap. Measured on this project's 2-core machine:
the benchmark's R = 10,000 x 240-step run drops from about 13.6 s to 9.2 s (``benchmarks/bench_engine.py``).
It changes the whole process's allocator, so the library never does it on import: the
``flashpoint`` command and the benchmarks call :func:`tune_malloc` (a long-running script of
yours may too).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3


def tune_malloc(mmap_threshold: int = 256 << 20, trim_threshold: int = 1 << 30) -> bool:
    """Raise glibc's mmap and trim thresholds; returns False where that is not possible."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        ok = libc.mallopt(M_MMAP_THRESHOLD, int(mmap_threshold)) == 1
        return ok and libc.mallopt(M_TRIM_THRESHOLD, int(trim_threshold)) == 1
    except (OSError, AttributeError):
        return False
