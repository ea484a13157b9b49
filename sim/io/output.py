"""Write a run's files into a folder: atomically, crash-safely, and never over a user's files.

The rules (README, "Where results go"):

* A new or empty folder is created. A folder that holds a previous flashpoint result (recognised by
  its ``provenance.json``, which lists the files the run wrote) and nothing else is replaced. Any
  other non-empty folder is refused before computing, unless ``--force``, which writes the results
  beside the files there and refuses to overwrite any of them.
* Every file is first written into a hidden temporary sibling folder
  (``.NAME.flashpoint-tmp-PID-TOKEN``); the finished folder then takes the place of the old one in
  one ``renameat2(RENAME_EXCHANGE)`` call, so after a kill at any moment ``NAME`` holds either the
  old or the new result. Where the file system cannot exchange, two renames are used and the next
  run puts the old result back if it finds the gap. Temporary folders of processes that no longer
  run are removed by the next run in the same parent folder, and only when they hold nothing but
  result files.
* ``.``, ``..``, the current folder or one above it, a symbolic link, a file, and a place that
  cannot be written are refused (exit 2) before computing.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import errno
import json
import math
import os
import platform
import re
import secrets
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import yaml

from ..scenario.errors import OutputError, SimulationError

if TYPE_CHECKING:
    import pandas as pd

    from analysis.plots.worker import PlotWorker

    from ..engine.runner import Result

from .files import FIGURES, RESULT_FILES, atomic_write_text, locked  # noqa: F401 - re-exported
from .ledger import matches, read_provenance

_TEMP = re.compile(r"^\.(?P<name>.+)\.flashpoint-(?P<kind>tmp|old)-(?P<pid>\d+)-[0-9a-f]{8}$")


def _clean(obj):
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    if isinstance(obj, float | np.floating):
        f = float(obj)
        if not math.isfinite(f):
            raise SimulationError(f"the run produced a non-finite summary value ({f}); the "
                                  "scenario's values are outside what the model handles")
        return f
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

    from .. import __version__

    return {
        "flashpoint_version": __version__,
        "scenario": result.scenario.name,
        "scenario_identity": scenario_identity(result.scenario),
        "seed": result.seed,
        "replicates": result.replicates,
        "first_replicate": int(result.replicate_numbers[0]) if result.replicates else 0,
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


@dataclass(frozen=True)
class OutputPlan:
    """Where a run's results go, checked before computing (see :func:`prepare_output`).

    Attributes:
        out: the folder, absolute.
        mode: ``swap`` (new, empty or a previous result: replaced whole) or ``beside`` (``--force``
            into a folder holding other files: each result file is added on its own).
        previous: the files of a previous result there, which this run may replace.
    """

    out: Path
    mode: str
    previous: frozenset[str] = frozenset()


def _refuse(out: Path | str, problem: str) -> OutputError:
    return OutputError(f"--out {out}: {problem}; nothing was written")


def previous_result(folder: Path) -> frozenset[str] | None:
    """The files a previous flashpoint run wrote into ``folder``, or None if it holds no result.

    A result is recognised by a ``provenance.json`` naming a flashpoint version and the SHA-256
    of every file it wrote (``sha256``); a file counts as the run's only while its bytes still
    hash to the recorded value (:mod:`sim.io.ledger`). A file a user changed, and every file of a
    result from a version that recorded no hashes, is the user's.
    """
    data = read_provenance(folder)
    if data is None:
        return None
    named = {name for name, record in data["sha256"].items()
             if name in RESULT_FILES and matches(folder / name, record)}
    return frozenset(named | {"provenance.json"})


def _probe_writable(folder: Path, shown: Path | str) -> None:
    """Create and remove a hidden folder in ``folder`` (the nearest existing one)."""
    probe = folder / f".flashpoint-probe-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        probe.mkdir()
        probe.rmdir()
    except OSError as exc:
        raise _refuse(shown, f"cannot write in {folder} ({exc.strerror or exc})") from None


def scenario_identity(scenario) -> str:
    """A resolved scenario's identity, and its reference's (the equilibrium it is measured against).

    SHA-256 of their fields but the run settings. Two runs with the same identity differ only in
    seed, replicates or steps; a results folder of another identity is not replaced without
    ``--force`` (:func:`prepare_output`). How the reference is named (``reference:`` unset,
    ``self``, or ``reference.yaml`` in a rerun of a result's ``scenario.yaml``) does not count,
    only what it resolves to, so a result's own ``scenario.yaml`` reruns into its folder.
    """
    import hashlib

    def fields(sc) -> dict:
        doc = sc.model_dump(mode="json")
        for key in ("seed", "replicates", "steps", "extends", "reference"):
            doc.pop(key, None)
        # what the run keeps from the calibration, however the file says it (a result's
        # scenario.yaml lists in calibration_keeps what --set or a what-if chose)
        doc["calibration_keeps"] = sorted(sc.calibrated_on.chosen_paths)
        return doc

    reference = scenario.reference_scenario
    doc = {"scenario": fields(scenario),
           "reference": fields(reference) if reference is not None else None}
    text = json.dumps(doc, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _recorded_identity(folder: Path) -> tuple[str | None, str | None]:
    data = read_provenance(folder) or {}
    return data.get("scenario_identity"), data.get("scenario")


def prepare_output(out: str | Path, force: bool = False, identity: str | None = None) -> OutputPlan:
    """Check that a run may write to ``out``, before anything is computed.

    Args:
        out: the output folder.
        force: write into a non-empty folder that is not a flashpoint result, beside its files;
            or replace a result of another scenario.
        identity: the run's :func:`scenario_identity`: a previous result of another scenario (a
            variant, an edited file) is replaced only with ``force``.

    Raises:
        OutputError: with what is wrong and what to do; the caller exits 2.
    """
    shown = out
    text = str(out)
    if text.strip() in ("", ".", "..") or Path(text).name in (".", ".."):
        raise _refuse(shown, "name a folder for the results, not the current folder or its parent")
    out = Path(os.path.abspath(text))
    cwd = Path.cwd().resolve()
    real = out.resolve()
    if real == cwd or cwd.is_relative_to(real) or real.parent == real:
        raise _refuse(shown, "is the current folder or one above it; name a new folder for the "
                             "results")
    if out.is_symlink():
        raise _refuse(shown, "is a symbolic link; name the folder it points to, or a new one")
    if out.exists() and not out.is_dir():
        raise _refuse(shown, "exists and is not a folder")
    existing = out.parent
    while not existing.exists():
        if existing.parent == existing:
            break
        existing = existing.parent
    if existing.exists() and not existing.is_dir():
        raise _refuse(shown, f"{existing} is a file, not a folder")
    _probe_writable(existing, shown)
    if not out.exists():
        return OutputPlan(out, "swap")
    try:
        entries = set(os.listdir(out))
    except OSError as exc:
        raise _refuse(shown, f"cannot list the folder ({exc.strerror or exc})") from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise _refuse(shown, "the folder is not writable")
    owned = previous_result(out) if entries else frozenset()
    if owned is not None and entries <= owned:
        recorded, name = _recorded_identity(out) if entries else (identity, None)
        if identity is not None and recorded != identity and not force:
            raise _refuse(shown, f"holds the results of another scenario ({name or 'unknown'}: "
                                 "different settings or overrides); add --force to replace them, "
                                 "or name another folder")
        return OutputPlan(out, "swap", owned)
    foreign = sorted(entries - (owned or frozenset()))
    listed = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
    if not force:
        raise _refuse(shown, f"the folder holds files flashpoint did not write ({listed}); name a "
                             "new or empty folder, or add --force to write the results beside "
                             "them (flashpoint never deletes or overwrites files it did not write)")
    clashes = sorted(set(foreign) & set(RESULT_FILES))
    if clashes:
        raise _refuse(shown, f"holds {', '.join(clashes)}, which flashpoint did not write and "
                             "would have to overwrite; --force never does that: name another folder")
    return OutputPlan(out, "beside", owned or frozenset())


# ---- crash-safe replacement --------------------------------------------------------------------
def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2(RENAME_EXCHANGE)``); False if unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _holds_only_results(folder: Path) -> bool:
    try:
        return all(e.name in RESULT_FILES and e.is_file(follow_symlinks=False)
                   for e in os.scandir(folder))
    except OSError:
        return False


def clean_stale(parent: Path, name: str) -> None:
    """Tidy what killed runs left beside ``parent/name``.

    A gap (``name`` missing, a dead run's ``.old`` folder present) is closed by putting the old
    result back; dead runs' temporary folders are removed, and only if they hold nothing but
    result files. Folders of running processes are left alone.
    """
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return
    target = parent / name
    for entry in sorted(entries, key=lambda e: e.name):
        match = _TEMP.match(entry.name)
        if not match or match["name"] != name or _alive(int(match["pid"])):
            continue
        path = Path(entry.path)
        if not entry.is_dir(follow_symlinks=False) or not _holds_only_results(path):
            continue
        if match["kind"] == "old" and not target.exists():
            path.rename(target)
        else:
            shutil.rmtree(path, ignore_errors=True)


def _swap_into_place(tmp: Path, plan: OutputPlan) -> None:
    out = plan.out
    with locked(out.parent):
        clean_stale(out.parent, out.name)
        if out.is_symlink() or (out.exists() and not out.is_dir()):
            raise _refuse(out, "changed into a link or a file during the run")
        if out.exists():
            entries = set(os.listdir(out))
            owned = previous_result(out) if entries else frozenset()
            if owned is None or not entries <= owned:
                raise _refuse(out, "files were added to the folder during the run; name a new "
                                   "folder (the results of this run were discarded)")
            if _exchange(tmp, out):
                shutil.rmtree(tmp, ignore_errors=True)  # now the old result
                return
            old = tmp.with_name(tmp.name.replace("-tmp-", "-old-"))
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(out)


def _write_beside(tmp: Path, plan: OutputPlan, written: list[str]) -> None:
    """``--force``: move each file into a folder that holds other files, provenance last."""
    out = plan.out
    with locked(out.parent):
        for name in written:
            dest = out / name
            if name not in plan.previous and (dest.exists() or dest.is_symlink()):
                raise _refuse(out, f"{name} appeared there during the run")
        for name in sorted(written, key=lambda n: n == "provenance.json"):
            os.replace(tmp / name, out / name)
        for name in plan.previous - set(written):
            (out / name).unlink(missing_ok=True)  # a previous run's file this run does not write
        tmp.rmdir()


def _check_finite(result: Result) -> None:
    if result.mode == "summary":
        return  # no series; the summary is checked as it is written (_clean)
    values = result.timeseries["value"].to_numpy()
    bad = ~np.isfinite(values)
    if bad.any():
        row = result.timeseries.loc[bad].iloc[0]
        raise SimulationError(
            f"the run produced a non-finite {row['variable']} for {row['entity'] or 'the index'} "
            f"at {row['date']}: the scenario's values are outside what the model handles")


def write_run(result: Result, out: str | Path | OutputPlan, *, plot: bool = True,
              full: bool = False, argv: list[str] | None = None, force: bool = False,
              plot_worker: PlotWorker | None = None) -> Path:
    """Write timeseries, events, summary, resolved scenario, provenance and plot into ``out``.

    Args:
        result: the run.
        out: the folder, or the plan :func:`prepare_output` made for it before the run.
        plot: write ``tension.png``.
        full: write every replicate's series to ``timeseries.parquet``.
        argv: the command line, for provenance.
        force: see :func:`prepare_output`.
        plot_worker: a started :class:`~analysis.plots.worker.PlotWorker` that draws
            ``tension.png`` while the tables are written (the figure is drawn here if it fails).

    Returns:
        The folder written.

    Raises:
        OutputError: the folder may not or cannot be written.
        SimulationError: the run holds non-finite numbers (nothing is written).
    """
    plan = out if isinstance(out, OutputPlan) else prepare_output(out, force)
    if not full:
        _check_finite(result)  # else inside, beside the Parquet file's writing
    return write_folder(plan, partial(_write_files, result, plot=plot, full=full, argv=argv,
                                      plot_worker=plot_worker))


def write_folder(plan: OutputPlan, write: Callable[[Path], list[str]]) -> Path:
    """Fill a results folder the safe way, as :func:`prepare_output` planned.

    ``write(tmp)`` fills a temporary sibling folder and returns the names it wrote
    (``provenance.json`` among them); the folder then replaces the old one or joins it
    (``--force``).

    Raises:
        OutputError: the folder may not or cannot be written.
    """
    target = plan.out
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with locked(target.parent):
            clean_stale(target.parent, target.name)
        tmp = target.parent / f".{target.name}.flashpoint-tmp-{os.getpid()}-{secrets.token_hex(4)}"
        tmp.mkdir()
    except OSError as exc:
        raise _refuse(target, f"cannot write there ({exc.strerror or exc})") from None
    try:
        written = write(tmp)
        os.chmod(tmp, 0o755)
        if plan.mode == "beside":
            _write_beside(tmp, plan, written)
        else:
            _swap_into_place(tmp, plan)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, OutputError):
            raise
        raise _refuse(target, f"writing failed ({exc.strerror or exc})") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


CSV_FLOAT = "%.6g"
"""How the CSV files write real numbers (six significant digits)."""

_NEEDS_QUOTES = re.compile(r'[,"\r\n]')


def _needs_quotes(column) -> bool:
    """Whether any text of a pyarrow column holds a character that CSV must quote.

    Only its distinct values are searched: a results table repeats a few dozen names.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pa.types.is_string(column.type) and not pa.types.is_large_string(column.type):
        return True  # not text after all: pandas writes it
    found = pc.match_substring_regex(pc.unique(column), _NEEDS_QUOTES.pattern)
    return bool(pc.any(found).as_py())


def write_csv(frame: pd.DataFrame, path: Path, decimal: tuple[str, ...] = ()) -> None:
    """``frame.to_csv(path, index=False, float_format=CSV_FLOAT)``, byte for byte, faster.

    pandas formats and writes each row in Python (about 0.7 s for a default run's 170,000 rows);
    here the real numbers are formatted once and pyarrow's writer writes the columns (about
    0.2 s). Text that would need quoting, and columns other than real numbers, integers and text
    (pandas writes booleans as ``True``), fall back to pandas. The real columns named in
    ``decimal`` always show a decimal point (``1.0``, not ``1``), so that readers that guess a
    column's type from its first rows (polars) read it as real numbers.
    """
    import pandas as pd
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    columns = {}
    for name in frame.columns:
        col = frame[name]
        if pd.api.types.is_float_dtype(col.dtype):
            values = col.to_numpy(dtype=float)
            form = _decimal_text if name in decimal else _real_text
            columns[name] = pa.array([form(v) for v in values.tolist()], type=pa.string())
        elif (pd.api.types.is_integer_dtype(col.dtype) and not pd.api.types.is_bool_dtype(col.dtype)
              or pd.api.types.is_string_dtype(col.dtype)):
            try:
                columns[name] = pa.array(col)
            except (pa.ArrowInvalid, pa.ArrowTypeError):  # e.g. objects that are not text
                break
            if pd.api.types.is_string_dtype(col.dtype) and _needs_quotes(columns[name]):
                break
        else:
            break
    else:
        if not frame.columns.str.contains(_NEEDS_QUOTES).any():
            with open(path, "wb") as out:
                out.write((",".join(frame.columns) + "\n").encode())
                pa_csv.write_csv(pa.table(columns), out, write_options=pa_csv.WriteOptions(
                    include_header=False, quoting_style="none"))
            return
    if decimal:
        frame = frame.assign(**{c: [_decimal_text(v) for v in frame[c].astype(float).tolist()]
                                for c in decimal if c in frame})
    frame.to_csv(path, index=False, float_format=CSV_FLOAT)


def _real_text(value: float) -> str:
    """A real number as the CSV files write it (empty for a missing value)."""
    return "" if value != value else CSV_FLOAT % value


def _decimal_text(value: float) -> str:
    """:func:`_real_text`, with a decimal point where ``%g`` gives none (``1`` -> ``1.0``)."""
    text = _real_text(value)
    return text if not text or any(c in text for c in ".eni") else text + ".0"


def _write_files(result: Result, tmp: Path, *, plot: bool, full: bool,
                 argv: list[str] | None, plot_worker: PlotWorker | None = None) -> list[str]:
    """Write every result file into ``tmp``; provenance (with the list of files) last.

    With ``full``, ``timeseries.parquet`` is written by a second thread (pyarrow's writer, which
    releases the GIL) while this one computes the quantile series and writes the other files:
    invasion-2022 at R = 1,000, about 5 s of Parquet beside 1.5 s of the rest.
    """
    if not full:
        written = _write_tables(result, tmp, plot=plot, full=full, plot_worker=plot_worker)
        write_provenance(tmp, provenance(result, argv), written)
        return [*written, "provenance.json"]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="flashpoint-parquet") as pool:
        parquet = pool.submit(result.write_parquet, tmp / "timeseries.parquet")
        try:
            _check_finite(result)
            written = _write_tables(result, tmp, plot=plot, full=full, plot_worker=plot_worker)
        finally:
            wait_for = parquet.exception()  # never leave it writing into a folder being removed
        if wait_for is not None:
            raise wait_for
    write_provenance(tmp, provenance(result, argv), written)  # the Parquet file hashed too
    return [*written, "provenance.json"]


def _write_tables(result: Result, tmp: Path, *, plot: bool, full: bool,
                  plot_worker: PlotWorker | None = None) -> list[str]:
    """Every file but ``timeseries.parquet`` and ``provenance.json`` (:func:`_write_files`)."""
    series = result.mode != "summary"  # --record summary: the summary and outcomes alone
    plot = plot and series
    written = ["events.csv", "summary.json", "scenario.yaml"]
    drawing = False
    if plot and plot_worker is not None:  # the figure is drawn beside the tables' writing
        from .figure_data import tension_inputs

        drawing = plot_worker.send(tension_inputs(result), tmp / "tension.png")
    if series:
        write_csv(result.timeseries, tmp / "timeseries.csv")
        written.append("timeseries.csv")
    else:
        write_csv(result.outcomes, tmp / "outcomes.csv")  # one row a replicate
        written.append("outcomes.csv")
    if full:  # written by :func:`_write_files`'s second thread
        written.append("timeseries.parquet")
    write_csv(result.events, tmp / "events.csv", decimal=("value",))
    (tmp / "summary.json").write_text(json.dumps(_clean(result.summary_dict()), indent=2,
                                                 allow_nan=False))
    write_csv(result.summary, tmp / "summary.csv")  # the same, tidy: one statistic a row
    written.append("summary.csv")
    if result.rung_counts:  # P(each rung) per step, so that plot ladder works on every run
        write_csv(result.ladder, tmp / "ladder.csv", decimal=("share",))
        written.append("ladder.csv")
    resolved = result.scenario.model_dump(mode="json")
    resolved.pop("extends", None)
    reference = result.scenario.reference_scenario
    resolved["reference"] = "reference.yaml" if reference is not None else "self"
    # the calibration the run used, so that scenario.yaml reruns it (ensemble draws included)
    source = result.scenario.calibrated_on.source
    calibration = None if source is None else "shipped" if source == "shipped" else \
        "calibration.yaml"
    resolved["calibration"] = calibration
    resolved["calibration_keeps"] = sorted(result.scenario.calibrated_on.chosen_paths)
    if calibration == "calibration.yaml":
        shutil.copyfile(source, tmp / "calibration.yaml")
        written.append("calibration.yaml")
    (tmp / "scenario.yaml").write_text(
        "# resolved scenario: extends, --set and --event applied; seed, replicates and steps as "
        "run;\n# its calibrated equilibrium comes from reference.yaml (or from itself)\n"
        + _yaml_text(resolved))
    if reference is not None:
        ref = reference.model_dump(mode="json")
        ref.pop("extends", None)
        ref["reference"] = "self"
        ref["calibration"] = calibration
        (tmp / "reference.yaml").write_text(
            "# the reference whose starting state calibrated the run (see scenario.yaml)\n"
            + _yaml_text(ref))
        written.append("reference.yaml")
    if plot:
        if not (drawing and plot_worker.finish()):
            from analysis.plots.run import plot_tension

            plot_tension(result, tmp / "tension.png")
        written.append("tension.png")
    return written


def write_provenance(tmp: Path, prov: dict, written: list[str]) -> None:
    """Write ``provenance.json`` into ``tmp``: ``prov``, the files written and each one's hash.

    The hashes are how a later command recognises these files as flashpoint's (and nothing
    else is): see :mod:`sim.io.ledger`.
    """
    from .ledger import record_of

    prov = dict(prov)
    prov["files"] = sorted({*written, "provenance.json"})
    prov["sha256"] = {name: record_of(tmp / name) for name in sorted(set(written))
                      if name != "provenance.json"}
    (tmp / "provenance.json").write_text(json.dumps(_clean(prov), indent=2, allow_nan=False))


def _yaml_text(document: dict) -> str:
    """A resolved scenario as YAML text, by libyaml's emitter where PyYAML has it (4x faster)."""
    return yaml.dump(document, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper),
                     sort_keys=False, allow_unicode=True)
