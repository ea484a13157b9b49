"""A sweep's outcomes.

The per-replicate outcome frame, ``by_month`` indicators and the outcome functions a sweep file
names (loaded from its folder).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import pandas as pd

import sim

BY_MONTH = re.compile(r"^(?P<pair>[^.]+)\.rung_at_least\.(?P<rung>[^.]+)\.by_month\.(?P<month>\d+)$")
"""``PAIR.rung_at_least.RUNG.by_month.T``: whether the pair stood on RUNG or higher by month T."""


def outcome_frame(result: sim.Result, names: Iterable[str] = ()) -> pd.DataFrame:
    """A run's per-replicate outcomes plus ``PAIR.rung_at_least.RUNG`` indicators (0/1).

    Each of ``names`` of the form ``PAIR.rung_at_least.RUNG.by_month.T`` is added too: 1 where
    the pair first stood on RUNG or higher at month T of the run or earlier (from
    ``PAIR.first_month_at.RUNG``), else 0.
    """
    out = result.outcomes
    extra = {}
    for col in [c for c in out.columns if c.endswith(".highest_rung")]:
        pair = col.removesuffix(".highest_rung")
        for k, rung in enumerate(sim.RUNGS):
            extra[f"{pair}.rung_at_least.{rung}"] = (out[col] >= k).astype(np.int8)
    for name in names:
        found = BY_MONTH.match(name)
        if found is None or name in extra:
            continue
        first = out[f"{found['pair']}.first_month_at.{found['rung']}"]
        extra[name] = (first <= int(found["month"])).fillna(False).astype(np.int8)  # <NA>: never
    return pd.concat([out, pd.DataFrame(extra, index=out.index)], axis=1)


def outcome_columns(scenario: sim.Scenario) -> list[str]:
    """The outcome names a sweep of this scenario can keep (from a one-step run)."""
    probe = sim.run(scenario, seed=0, replicates=1, steps=1, record="summary")
    return [c for c in outcome_frame(probe).columns if c != "replicate"]


def outcome_function(reference: str, folder: str | Path | None = None) -> Callable:
    """The function a sweep's ``outcome_functions`` entry names (``MODULE:FUNCTION``).

    A module that is a file in ``folder`` (the sweep file's: ``MODULE.py``) is loaded from that
    file, whatever else of that name this process has imported (two sweeps in two folders may
    each have their own ``metrics.py``); any other is imported as Python imports it, with
    ``folder`` first on the path. A sweep file that names one runs that module's code, as a
    script would.

    Raises:
        ImportError: the module cannot be imported (its own error, or not found).
        AttributeError: it has no such name.
        TypeError: the name is not a function.
    """
    import importlib
    import sys

    module_name, _, attribute = reference.partition(":")
    if folder is not None and str(folder) not in sys.path:
        sys.path.insert(0, str(folder))  # for the module's own imports, and dotted names
    file = module_file(module_name, folder)
    try:
        if file is not None:
            module = _module_from_file(file)
        else:
            module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ImportError(f"cannot import {module_name!r} ({exc}); put {module_name}.py beside "
                          "the sweep file or on the Python path") from None
    except Exception as exc:  # the module's own code failed
        raise ImportError(f"importing {module_name!r} failed: {type(exc).__name__}: {exc}"
                          ) from None
    try:
        fn = getattr(module, attribute)
    except AttributeError:
        raise AttributeError(f"module {module_name!r} has no {attribute!r}") from None
    if not callable(fn):
        raise TypeError(f"{reference} is not a function")
    return fn


def module_file(module_name: str, folder: str | Path | None) -> Path | None:
    """``folder/MODULE.py`` where that file exists: an outcome function's module loaded from it."""
    if folder is None:
        return None
    file = Path(folder, f"{module_name}.py")
    return file if file.is_file() else None


_FILE_MODULES: dict[tuple[str, int], object] = {}
"""Outcome-function modules loaded from files, by (path, modification time)."""


def _module_from_file(file: Path) -> object:
    """The module in ``file``, loaded once a version of the file under a name of its own."""
    import hashlib
    import importlib.util
    import sys

    path = file.resolve()
    key = (str(path), path.stat().st_mtime_ns)
    module = _FILE_MODULES.get(key)
    if module is None:
        name = "_flashpoint_outcomes_" + hashlib.sha256(repr(key).encode()).hexdigest()[:16]
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # as an import would (dataclasses, pickling look it up)
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[name]
            raise
        _FILE_MODULES[key] = module
    return module


