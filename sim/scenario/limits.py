"""Limits on every input, declared once: the loader, the schema, the CLI and the README read them.

Each limit says what it protects against. They are generous for real scenarios (the bundled ones are
~6 KB, depth 6, no aliases) and small enough that a hostile or broken file fails in milliseconds
instead of exhausting memory or time. ``FLASHPOINT_MAX_FILE_MB`` raises the file-size cap for a
user who really needs larger files.
"""

from __future__ import annotations

import os

MAX_FILE_BYTES_DEFAULT = 4 * 1024 * 1024
"""A scenario file's size cap, bytes (4 MiB, ~700x the largest bundled scenario)."""

MAX_DEPTH = 32
"""Deepest nesting of mappings and lists in a YAML file (a scenario needs 6)."""

MAX_NODES = 200_000
"""YAML nodes a file may expand to, aliases counted each time they are used (billion laughs)."""

MAX_EXTENDS = 16
"""Longest ``extends`` chain."""

MAX_TEXT = 10_000
"""Longest description, characters."""

MAX_SHORT_TEXT = 200
"""Longest name, label or event name, characters."""

MAX_ACTORS = 64
"""Actors in one scenario (pairs grow with its square)."""

MAX_EVENTS = 5_000
"""Dated events in one scenario."""

MAX_EFFECTS = 200
"""Effects of one event."""

MAX_OVERRIDES = 500
"""``--set`` overrides on one command line."""

LAST_YEAR = 9999
"""The calendar's end: a run must finish by December of this year (Python's date range)."""

MEMORY_SHARE = 0.8
"""Share of the machine's available memory a run may plan to use."""


def max_file_bytes() -> int:
    """The file-size cap in force: ``FLASHPOINT_MAX_FILE_MB`` (a number in (0, 1024]) or the default.

    Raises:
        ScenarioError: the variable is set to anything else (it is never silently ignored).
    """
    raw = os.environ.get("FLASHPOINT_MAX_FILE_MB")
    if raw is None or raw.strip() == "":
        return MAX_FILE_BYTES_DEFAULT
    try:
        mb = float(raw)
    except ValueError:
        mb = float("nan")
    if not 0 < mb <= 1024:  # NaN fails too
        from .errors import ScenarioError

        raise ScenarioError("FLASHPOINT_MAX_FILE_MB", f"{raw[:40]!r} is not a size in MB in "
                            "(0, 1024]; unset it for the default "
                            f"({MAX_FILE_BYTES_DEFAULT // 1024**2} MB)")
    return int(mb * 1024 * 1024)


def available_memory_bytes() -> int:
    """Memory a new run can use: MemAvailable from /proc/meminfo, else physical memory."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):  # pragma: no cover - non-POSIX
        return 8 * 1024**3
