"""Write a run's files into a directory, atomically.

Everything goes to a temporary sibling directory first, which is renamed into place only when
every file is complete.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import yaml

from .errors import OutputError

if TYPE_CHECKING:
    from .runner import Result


def _clean(obj):
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    if isinstance(obj, float | np.floating):
        f = float(obj)
        return f if math.isfinite(f) else None
    if isinstance(obj, np.integer):
        return int(obj)
    return obj


def git_commit(start: Path) -> str | None:
    """The git commit of the checkout holding ``start``, if any (with ``-dirty`` when changed)."""
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=start, capture_output=True,
                              text=True, timeout=5, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=start, capture_output=True, text=True, timeout=5).stdout
        return head + ("-dirty" if dirty.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return None


def provenance(result: Result, argv: list[str] | None = None) -> dict:
    """Where a run came from: versions, seed, R, git commit, time."""
    import mesa
    import pandas

    from . import __version__

    return {
        "flashpoint_version": __version__,
        "scenario": result.scenario.name,
        "seed": result.seed,
        "replicates": result.replicates,
        "steps": result.steps,
        "record": result.mode,
        "git_commit": git_commit(Path(__file__).resolve().parent),
        "timestamp_utc": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "mesa": mesa.__version__,
        "pandas": pandas.__version__,
        "command": argv if argv is not None else sys.argv,
    }


def write_run(result: Result, out: str | Path, *, plot: bool = True, full: bool = False,
              argv: list[str] | None = None) -> Path:
    """Write timeseries, events, summary, resolved scenario, provenance and plot into ``out``.

    The directory appears complete or not at all: files are written to a temporary directory
    beside it, which then replaces ``out``.
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise OutputError(f"--out {out}: exists and is not a directory")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    except OSError as exc:
        raise OutputError(f"--out {out}: cannot write there ({exc.strerror})") from None
    try:
        result.timeseries.to_csv(tmp / "timeseries.csv", index=False, float_format="%.6g")
        if full:
            result.timeseries_full.to_parquet(tmp / "timeseries.parquet", index=False)
        result.events.to_csv(tmp / "events.csv", index=False, float_format="%.6g")
        (tmp / "summary.json").write_text(json.dumps(_clean(result.summary_dict()), indent=2))
        resolved = result.scenario.model_dump(mode="json")
        resolved.pop("extends", None)
        (tmp / "scenario.yaml").write_text(
            "# resolved scenario (extends and --set applied)\n"
            + yaml.safe_dump(resolved, sort_keys=False, allow_unicode=True))
        (tmp / "provenance.json").write_text(json.dumps(_clean(provenance(result, argv)),
                                                        indent=2))
        if plot:
            from .plot import plot_tension

            plot_tension(result, tmp / "tension.png")
        os.chmod(tmp, 0o755)
        old = None
        if out.exists():
            old = out.with_name(f".{out.name}.old-{os.getpid()}")
            out.rename(old)
        tmp.rename(out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


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
