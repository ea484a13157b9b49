"""Running a sweep: chunks of points on the replicate axis, streamed to disk, resumable.

A chunk is ``points_per_chunk`` consecutive points; its ``replicates`` runs each go into one
``sim.run`` call with every varied parameter as an array along the replicate axis (points x
replicates runs at the cost of one vectorised run). A chunk's seed derives from the sweep's root
seed and the chunk's index (``numpy.random.SeedSequence([seed, chunk])``), never from the order of
execution or the number of workers, so 1, 2 or N local processes and Dask produce identical bytes.
(Per-(point, replicate) streams would make every draw a per-replicate call: the chunk is the unit
of the vectorised engine, and it is part of the sweep's definition, recorded in ``sweep.yaml``.)

Each finished chunk is written to ``chunks/`` atomically (temporary name, then rename) and recorded
in ``manifest.json``; ``resume=True`` skips the chunks already there, so an interrupted sweep
(Ctrl-C, SIGKILL, a dead worker) finishes with the same bytes as an uninterrupted one. At the end
``runs.parquet`` (point x replicate rows) and ``points.parquet`` are assembled a chunk at a time.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import yaml

import sim

from .loading import load_sweep
from .outcomes import module_file, outcome_frame, outcome_function
from .samplers import points_per_chunk, sample
from .spec import SweepSpec

if TYPE_CHECKING:
    import multiprocessing.context

MANIFEST = "manifest.json"
FINAL_FILES = ("points.parquet", "runs.parquet", "sweep.yaml", MANIFEST)
"""What every finished sweep holds; ``trajectories.parquet`` too where it keeps trajectories."""


@dataclass(frozen=True)
class Job:
    """One chunk to run: all a worker needs, with no file to read (picklable, for Dask too)."""

    spec: SweepSpec
    scenario: sim.Scenario
    chunk: int
    first: int
    points: dict[str, list[float]]
    folder: str | None = None
    """The sweep file's folder, where its outcome functions' modules may be."""


def run_chunk(job: Job) -> tuple[int, pd.DataFrame, float, pd.DataFrame | None]:
    """Run one chunk's points x replicates in one vectorised call.

    Returns:
        The chunk's index, its rows of ``runs``, the worker's peak resident memory (MiB), and
        its rows of ``trajectories`` (None when the sweep keeps none).
    """
    import resource

    spec = job.spec
    n = len(next(iter(job.points.values())))
    R = spec.replicates
    columns = {path: np.repeat(np.asarray(vals, dtype=float), R)
               for path, vals in job.points.items()}
    series = spec.trajectories.series if spec.trajectories is not None else []
    # levers are choices, measured against the scenario; uncertainties are the world it shares
    # replicate r of every point is replicate r of the experiment (its own random streams, the
    # same at every point: common random numbers), whatever the chunk, its size or the worker
    result = sim.run(job.scenario, seed=spec.seed, replicate_ids=np.tile(np.arange(R), n),
                     vary={k: v for k, v in columns.items() if k not in spec.levers},
                     levers={k: v for k, v in columns.items() if k in spec.levers},
                     record="summary", events_max_replicates=0,  # outcomes alone
                     keep_series=series)
    frame = outcome_frame(result, spec.outcomes)
    table = pd.DataFrame({"point": np.repeat(np.arange(job.first, job.first + n), R),
                          "replicate": np.tile(np.arange(R), n)})
    for name in spec.outcomes:
        table[name] = frame[name].array  # a month outcome keeps <NA> for never (null in Parquet)
    for name, reference in spec.outcome_functions.items():
        table[name] = _function_outcome(name, reference, job.folder, result, n * R)
    paths = (trajectory_table(result, spec.trajectories.quantiles, job.first, n)
             if series else None)
    return job.chunk, table, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, paths


def _function_outcome(name: str, reference: str, folder: str | None, result: sim.Result,
                      runs: int) -> np.ndarray:
    """An outcome function's values for a chunk's runs, checked: one finite number a run.

    Raises:
        sim.ScenarioError: the function failed or returned anything else (naming it, and what
            it raised or gave).
    """
    field = f"outcome_functions.{name}"
    try:
        values = outcome_function(reference, folder)(result)
    except Exception as exc:  # the user's function failed: say which, and how
        raise sim.ScenarioError(reference, f"raised {type(exc).__name__}: {exc}",
                                field=field) from None
    try:
        out = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise sim.ScenarioError(reference, f"returned {type(values).__name__}, not numbers",
                                field=field) from None
    if out.shape != (runs,):
        raise sim.ScenarioError(reference, f"returned shape {out.shape}; it must give one number "
                                f"for each of the chunk's {runs} runs (result.replicates)",
                                field=field)
    bad = int(np.count_nonzero(~np.isfinite(out)))
    if bad:
        raise sim.ScenarioError(reference, f"returned NaN or inf for {bad} of {runs} runs; an "
                                "outcome is a finite number", field=field)
    return out


def trajectory_table(result: sim.Result, quantiles: list[float], first: int, points: int
                     ) -> pd.DataFrame:
    """Per-point quantile trajectories of a chunk's kept series: a row per point and step.

    Columns: ``point``, ``step``, ``date``, then ``SERIES.mean`` and ``SERIES.pQ`` for each
    kept series (the mean and NumPy's linear-interpolation percentiles across the point's
    replicates, from the single-precision series; ``p5``, ``p2.5`` as in a run's outputs).
    """
    steps = len(result.dates)
    table = {"point": np.repeat(np.arange(first, first + points), steps),
             "step": np.tile(np.arange(steps), points),
             "date": np.tile(np.asarray(result.dates), points)}
    for name, values in result.kept_series.items():
        by_point = values.reshape(steps, points, -1).transpose(1, 0, 2)  # (points, steps, R)
        table[f"{name}.mean"] = by_point.mean(axis=2, dtype=np.float64).ravel()
        q = np.percentile(by_point, quantiles, axis=2)  # (Q, points, steps)
        for k, pct in enumerate(quantiles):
            table[f"{name}.{sim.percentile_label(pct)}"] = q[k].astype(np.float64).ravel()
    return pd.DataFrame(table)


def _chunk_file(out: Path, chunk: int, kind: str = "chunk") -> Path:
    """A chunk's rows of ``runs`` (``kind="chunk"``) or of ``trajectories`` (``"paths"``)."""
    return out / "chunks" / f"{kind}-{chunk:06d}.parquet"


def _write_chunk(out: Path, chunk: int, table: pd.DataFrame,
                 paths: pd.DataFrame | None = None) -> None:
    """A finished chunk, atomically (a temporary name, then rename).

    Its trajectories first: a chunk counts as done once its rows of ``runs`` are there.
    """
    for kind, frame in (("paths", paths), ("chunk", table)):
        if frame is None:
            continue
        final = _chunk_file(out, chunk, kind)
        tmp = final.with_name(f".{final.name}.{os.getpid()}.tmp")
        frame.to_parquet(tmp, index=False)
        os.replace(tmp, final)


def _manifest(out: Path) -> dict:
    """The folder's manifest; an empty dict when it is missing or unreadable (not ours)."""
    try:
        doc = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return doc if isinstance(doc, dict) else {}


def _write_json(path: Path, doc: dict) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    os.replace(tmp, path)


def _resolved(spec: SweepSpec, folder: Path | None = None) -> str:
    """The resolved sweep file's text: what ``sweep.yaml`` holds and ``--resume`` compares.

    An outcome function's source file is named by its SHA-256 in a comment, so that a sweep
    resumed after that code changed is refused as a different sweep instead of mixing results.
    """
    header = "# resolved sweep (flashpoint sweep)\n"
    for name, reference in spec.outcome_functions.items():
        header += f"# outcome function {name}: {reference} {_source_digest(reference, folder)}\n"
    doc = spec.model_dump(mode="json")
    doc["chunk_points"] = points_per_chunk(spec)
    for optional in ("trajectories", "outcome_functions"):  # as a sweep file without them reads
        if not doc[optional]:
            del doc[optional]
    return header + yaml.safe_dump(doc, sort_keys=False)


def _source_digest(reference: str, folder: Path | None) -> str:
    """``sha256:HEX`` of the file that defines an outcome function's module ("" if none)."""
    import hashlib
    import importlib.util

    module_name = reference.partition(":")[0]
    file = module_file(module_name, folder)
    if file is None:
        try:
            found = importlib.util.find_spec(module_name)
        except (ImportError, ValueError):
            found = None
        origin = getattr(found, "origin", None)
        file = Path(origin) if origin and Path(origin).is_file() else None
    if file is None:
        return ""
    return "sha256:" + hashlib.sha256(file.read_bytes()).hexdigest()


def _prepare(out: Path, resolved: str, resume: bool, trajectories: bool = False) -> set[int]:
    """Create or check the output folder; the chunks already done (resume)."""
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise sim.OutputError(f"--out {out}: not a folder")
    if out.exists() and any(out.iterdir()):
        manifest = _manifest(out)
        if manifest.get("kind") != "flashpoint sweep":
            raise sim.OutputError(
                f"--out {out}: the folder holds files flashpoint did not write; name a new or "
                "empty folder (flashpoint never deletes or overwrites files it did not write)")
        if not resume:
            raise sim.OutputError(f"--out {out}: holds a sweep already; add --resume to finish "
                                  "it, or name another folder")
        previous = out / "sweep.yaml"
        if not previous.is_file() or previous.read_text(encoding="utf-8") != resolved:
            raise sim.OutputError(f"--out {out}: holds a different sweep (its sweep.yaml differs "
                                  "from this one); name another folder")
        done = set(manifest.get("chunks_done", []))
        if manifest.get("complete"):
            return done
        # a done chunk has its rows of runs (and, written before them, its trajectories)
        return {c for c in done if _chunk_file(out, c).is_file()
                and (not trajectories or _chunk_file(out, c, "paths").is_file())}
    try:
        (out / "chunks").mkdir(parents=True, exist_ok=True)
        (out / "sweep.yaml").write_text(resolved, encoding="utf-8")
        _write_json(out / MANIFEST, {"kind": "flashpoint sweep",
                                     "flashpoint_version": sim.__version__,
                                     "command": sys.argv, "chunks_done": [], "complete": False})
    except OSError as exc:
        _remove_new_sweep(out)
        raise sim.OutputError(f"--out {out}: cannot write there ({exc.strerror or exc}); nothing "
                              "was written") from None
    return set()


def _remove_new_sweep(out: Path) -> None:
    """Remove a sweep folder this process created, and only the files a sweep writes into it."""
    if not out.is_dir() or out.is_symlink():
        return
    chunks = out / "chunks"
    names = [f"chunks/{f.name}" for f in (chunks.iterdir() if chunks.is_dir() and not
                                          chunks.is_symlink() else ())
             if re.match(r"^\.?(chunk|paths)-\d{6}\.parquet(\.\d+\.tmp)?$", f.name)]
    names += [*FINAL_FILES, "trajectories.parquet", ".points.parquet.tmp", ".runs.parquet.tmp",
              ".trajectories.parquet.tmp"]
    for name in names:
        with contextlib.suppress(OSError):
            (out / name).unlink(missing_ok=True)
    for folder in (chunks, out):  # only when nothing else is there
        with contextlib.suppress(OSError):
            folder.rmdir()


SMALL_SWEEP_REPLICATE_STEPS = 2_000_000
"""Below this many replicate-steps in all, a sweep left to choose its workers runs in this process:
about 4 s of one core here, less than a second worker process takes to start and load the kernels
(measured: a 3,000-run x 120-step sweep took 4.4 s in one process and 8.1 s with two workers)."""


def useful_workers(spec: SweepSpec, points: int, steps: int, cores: int) -> int:
    """Local workers worth starting: one for a small sweep, else up to one a chunk and a core."""
    if points * spec.replicates * steps < SMALL_SWEEP_REPLICATE_STEPS:
        return 1
    return max(1, min(cores, -(-points // points_per_chunk(spec))))


def run_sweep(sweep_file: str | Path, out: str | Path, workers: int | None = 1,
              resume: bool = False, dask: Any = None, progress: bool = True) -> Path:
    """Run a sweep file into ``out`` (see the module docstring); returns the folder.

    Args:
        sweep_file: the sweep YAML.
        out: the output folder (new, empty, or with ``resume`` a folder of the same sweep).
        workers: local processes (1: in this process; None: as many as are useful,
            :func:`useful_workers` with this machine's cores); with ``dask="local"`` Dask
            workers (None: the cores).
        resume: skip the chunks a previous, interrupted run of the same sweep finished.
        dask: None (local processes), ``"local"`` (a Dask LocalCluster on loopback), a
            scheduler address (``tcp://HOST:PORT``) or a ``distributed.Client`` of the
            caller's (used, never closed).
        progress: a progress bar with ETA on stderr.

    Raises:
        sim.ScenarioError: a bad sweep file (nothing is written).
        sim.OutputError: an output folder that cannot be used.
    """
    start_workers(workers, dask)  # the engine loads in the workers' server while this reads
    spec, scenario = load_sweep(sweep_file)
    points = sample(spec)
    if workers is None:
        cores = sim.available_cores()
        workers = cores if dask else useful_workers(spec, len(points), scenario.steps, cores)
    out = Path(out)
    if isinstance(dask, str) and dask != "local":
        check_scheduler(dask)
    folder = Path(sweep_file).resolve().parent  # where its outcome functions' modules may be
    created = not out.exists()
    existed = out.is_dir() and not out.is_symlink()
    with contextlib.ExitStack() as held:
        if existed:  # locked before it is checked; a new folder as soon as it is made
            _lock_sweep(held, out)
        done = _prepare(out, _resolved(spec, folder), resume,
                        trajectories=spec.trajectories is not None)
        if not existed:
            _lock_sweep(held, out)
        return _run_chunks(spec, scenario, points, out, folder, done, workers, dask, progress,
                           created)


def _lock_sweep(held: contextlib.ExitStack, out: Path) -> None:
    """Hold an exclusive lock on a sweep's folder for the whole run (a second sweep is refused)."""
    try:
        held.enter_context(sim.locked(out, wait=False))
    except BlockingIOError:
        raise sim.OutputError(f"--out {out}: another flashpoint sweep is writing into this folder "
                              "now; wait for it, or name another folder") from None


SCHEDULER = re.compile(r"^(tcp|tls|ucx|ws|wss)://[A-Za-z0-9_.\-]+(:\d{1,5})?$|"
                       r"^(tcp|tls|ucx|ws|wss)://\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")
SCHEDULER_TIMEOUT_S = 10
"""Seconds to wait for a Dask scheduler's answer before the sweep is refused (nothing written)."""


def check_scheduler(address: str, timeout: float = SCHEDULER_TIMEOUT_S) -> None:
    """Refuse a scheduler address that is malformed or does not answer, before anything is written.

    Raises:
        sim.ScenarioError: naming ``--scheduler``, what is wrong and what is allowed.
    """
    if not SCHEDULER.match(address):
        raise sim.ScenarioError("--scheduler", f"{address!r} is not a Dask scheduler address; "
                                "give PROTOCOL://HOST:PORT with tcp, tls, ucx, ws or wss "
                                "(e.g. tcp://127.0.0.1:8786)")
    try:
        from distributed import Client
    except ImportError:
        raise sim.ScenarioError("--scheduler", "needs the dask extra (pip install "
                                "'flashpoint[dask]')") from None
    try:
        with Client(address, timeout=timeout):
            pass
    except (OSError, TimeoutError) as exc:
        raise sim.ScenarioError("--scheduler", f"no Dask scheduler answered at {address} within "
                                f"{timeout:g} s ({type(exc).__name__}); start one (dask "
                                "scheduler) or check the address; nothing was written") from None


class SweepInterrupted(Exception):
    """A sweep stopped before its end: what it kept and how to finish it."""


def _run_chunks(spec: SweepSpec, scenario: sim.Scenario, points: pd.DataFrame, out: Path,
                folder: Path, done: set[int], workers: int, dask: Any, progress: bool,
                created: bool) -> Path:
    """Run the chunks not yet done and assemble the folder (see :func:`run_sweep`).

    A failure (a bad outcome function, an interrupt) before any chunk finished removes a folder
    this run created; after, the finished chunks stay and the error says ``--resume``.
    """
    manifest = _manifest(out)
    if manifest.get("complete"):
        return out  # --resume of a finished sweep: nothing left to do
    size = points_per_chunk(spec)
    jobs = [Job(spec, scenario, c, first,
                {k: points[k].iloc[first:first + size].tolist() for k in points.columns},
                str(folder))
            for c, first in enumerate(range(0, len(points), size)) if c not in done]
    total = -(-len(points) // size)
    bar = _bar(total, len(done), progress)
    finished = sorted(done)
    try:
        for chunk, table, peak, paths in _execute(jobs, workers, dask):
            _write_chunk(out, chunk, table, paths)
            finished.append(chunk)
            manifest["chunks_done"] = sorted(finished)
            manifest["worker_peak_rss_mib"] = round(max(
                peak, manifest.get("worker_peak_rss_mib", 0.0)), 1)
            _write_json(out / MANIFEST, manifest)
            bar(1)
    except BaseException as exc:
        bar(None)
        if created and not finished:
            _remove_new_sweep(out)
            kept = "nothing was kept"
        else:
            kept = (f"{len(finished)} of {total} chunks are kept in {out}; flashpoint sweep "
                    f"SWEEP.yaml --out {out} --resume finishes it")
        if isinstance(exc, KeyboardInterrupt):
            raise SweepInterrupted(f"interrupted: {kept}") from None
        if isinstance(exc, sim.OutputError):
            raise sim.OutputError(f"{exc}; {kept}") from None
        if isinstance(exc, sim.ScenarioError):
            raise sim.ScenarioError(exc.file, f"{exc.problem}; {kept}", line=exc.line,
                                    field=exc.field) from None
        raise
    bar(None)
    _assemble(out, points, total, trajectories=spec.trajectories is not None)
    manifest.update(complete=True, points=len(points), runs=len(points) * spec.replicates,
                    chunks=total)
    _write_json(out / MANIFEST, manifest)
    for c in range(total):  # ours, and now in runs.parquet (and trajectories.parquet)
        _chunk_file(out, c).unlink(missing_ok=True)
        _chunk_file(out, c, "paths").unlink(missing_ok=True)
    (out / "chunks").rmdir()
    return out


def start_workers(workers: int | None = None, dask: str | None = None) -> None:
    """Start the local workers' fork server now if a sweep with these settings may use workers.

    :func:`run_sweep` calls it first; a caller that reads the sweep file itself beforehand (the
    command line, to check it) calls it before that, so that the server's start overlaps it.
    """
    if dask is None and workers != 1 and sim.available_cores() > 1:
        _start_fork_server()


def _start_fork_server() -> multiprocessing.context.BaseContext:
    """Start the local workers' fork server (once a process) and return its context.

    ``forkserver``: no fork() of this (multi-threaded) process; the server imports the engine and
    loads its kernels once (:mod:`.preload`), and every worker starts as a fork of it. Started as
    soon as a sweep may use workers, it does that on another core while this process reads,
    checks and samples the sweep (about 1 s, mostly importing SciPy's samplers); the server
    does not wait for anyone, and a sweep that ends up in this process leaves it idle until exit.
    """
    import multiprocessing.forkserver

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([f"{__package__}.preload"])  # the engine, loaded once
    multiprocessing.forkserver.ensure_running()
    return context


def _execute(jobs: list[Job], workers: int, dask: Any
             ) -> Iterable[tuple[int, pd.DataFrame, float, pd.DataFrame | None]]:
    if dask is not None:
        from distributed import Client, LocalCluster, as_completed

        if not isinstance(dask, str):  # the caller's own distributed.Client: used, not closed
            yield from _on_client(dask, jobs, as_completed)
            return
        if dask == "local":
            sim.compile_kernels()  # local workers then load the kernels from the disk cache

        cluster = (LocalCluster(n_workers=max(workers, 1), threads_per_worker=1,
                                host="127.0.0.1", dashboard_address=None, processes=True)
                   if dask == "local" else None)
        with Client(cluster if cluster is not None else dask) as client:
            yield from _on_client(client, jobs, as_completed)
        if cluster is not None:
            cluster.close()
        return
    if workers <= 1:
        sim.tune_malloc()
        for job in jobs:
            yield run_chunk(job)
        return
    from concurrent.futures import ProcessPoolExecutor, as_completed

    context = _start_fork_server()
    with ProcessPoolExecutor(max_workers=workers, mp_context=context,
                             initializer=sim.worker_start) as pool:
        # the first worker compiles the kernels (or loads them: the fork server's preload has
        # them already) before the others start: were the preload to fail, they would load the
        # disk cache instead of each compiling; this process stays without them
        pool.submit(sim.compile_kernels).result()
        futures = [pool.submit(run_chunk, job) for job in jobs]
        for fut in as_completed(futures):
            yield fut.result()


def _on_client(client, jobs: list[Job], as_completed) -> Iterable:
    """Run the jobs on a Dask client, yielding each chunk's result as it finishes."""
    client.run(sim.tune_malloc)  # each worker's allocator, as for local processes
    futures = client.map(run_chunk, jobs, pure=False)
    for fut in as_completed(futures):
        yield fut.result()


def _assemble(out: Path, points: pd.DataFrame, chunks: int, trajectories: bool = False) -> None:
    """Write points.parquet, and runs.parquet and trajectories.parquet from the chunk files.

    The chunks' files are read in chunk order and streamed.
    """
    frame = points.copy()
    frame.insert(0, "point", np.arange(len(points)))
    frame.to_parquet(out / ".points.parquet.tmp", index=False)
    os.replace(out / ".points.parquet.tmp", out / "points.parquet")
    _concatenate(out, chunks, "chunk", "runs.parquet")
    if trajectories:
        _concatenate(out, chunks, "paths", "trajectories.parquet")


def _concatenate(out: Path, chunks: int, kind: str, name: str) -> None:
    """The chunks' files of one kind, in chunk order, as one Parquet file (a chunk at a time)."""
    import pyarrow.parquet as pq

    writer = None
    tmp = out / f".{name}.tmp"
    try:
        for c in range(chunks):
            table = pq.read_table(_chunk_file(out, c, kind))
            if writer is None:
                writer = pq.ParquetWriter(str(tmp), table.schema)
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()
    os.replace(tmp, out / name)


def _bar(total: int, initial: int, show: bool) -> Callable[[int | None], None]:
    if not show:
        return lambda _n: None
    from tqdm.auto import tqdm

    bar = tqdm(total=total, initial=initial, unit="chunk", file=sys.stderr, smoothing=0.1)

    def update(n: int | None) -> None:
        if n is None:
            bar.close()
        else:
            bar.update(n)
    return update


def read_spec(out: str | Path) -> SweepSpec:
    """A sweep folder's resolved sweep file (``sweep.yaml``), validated.

    Raises:
        sim.ScenarioError: a missing or invalid ``sweep.yaml``, with its line and field.
    """
    file = Path(out) / "sweep.yaml"
    data, origins = sim.read_document(file)
    return sim.validate_document(SweepSpec, data, origins, str(file))


def read_sweep(out: str | Path) -> tuple[SweepSpec, pd.DataFrame, pd.DataFrame]:
    """A finished sweep: its resolved file, ``points`` and ``runs`` frames.

    Raises:
        sim.ScenarioError: a sweep that did not finish (its manifest says so: ``--resume``
            finishes it) or whose tables cannot be read.
    """
    out = Path(out)
    spec = read_spec(out)
    manifest = _manifest(out)
    if manifest.get("kind") != "flashpoint sweep" or not manifest.get("complete"):
        raise sim.ScenarioError(str(out), "is not a finished sweep (its manifest.json does not say "
                                          "complete): flashpoint sweep SWEEP.yaml --out "
                                          f"{out} --resume finishes it")
    frames = []
    for name in ("points.parquet", "runs.parquet"):
        try:
            frames.append(pd.read_parquet(out / name))
        except (OSError, ValueError) as exc:  # pyarrow's errors are both
            raise sim.ScenarioError(str(out / name), f"cannot be read ({type(exc).__name__}: "
                                    f"{str(exc)[:200]}); rerun the sweep into a new folder") from None
    return spec, frames[0], frames[1]


def read_trajectories(out: str | Path) -> pd.DataFrame:
    """A finished sweep's per-point quantile trajectories (``trajectories.parquet``).

    Raises:
        FileNotFoundError: the sweep kept no trajectories (its file has no ``trajectories``).
    """
    file = Path(out) / "trajectories.parquet"
    if not file.is_file():
        raise FileNotFoundError(f"{file}: this sweep kept no trajectories (add trajectories: "
                                "{series: [...]} to its sweep file)")
    return pd.read_parquet(file)


def sweep(sweep_file: str | Path, out: str | Path, workers: int = 1, resume: bool = False,
          dask: Any = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run a sweep and return its ``points`` and ``runs`` DataFrames (Python entry point)."""
    run_sweep(sweep_file, out, workers=workers, resume=resume, dask=dask, progress=False)
    _, points, runs = read_sweep(out)
    return points, runs
