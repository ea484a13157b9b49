"""The ``flashpoint`` command: run, validate, scenarios, schema."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .scenario.bundled import scenario_dir
from .scenario.errors import OutputError, ScenarioError, SimulationError

if TYPE_CHECKING:
    from analysis.plots.worker import PlotWorker

EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 1

INTERRUPTED = {
    "run": "nothing was written (results are written whole, at the end)",
    "calibrate": "nothing was written (the folder is written whole, at the end)",
    "compare": "nothing was written (the folder is written whole, at the end)",
    "sweep": "finished chunks are kept; --resume finishes the sweep",
}
"""What Ctrl-C leaves, by command (a sweep says exactly, :class:`SweepInterrupted`)."""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="flashpoint",
        description="Agent-based simulation of NATO-Russia security dynamics.")
    from . import __version__

    p.add_argument("--version", action="version", version=f"flashpoint {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="run a scenario and write its results")
    r.add_argument("scenario", help="scenario YAML file, or a bundled scenario's name (baseline)")
    r.add_argument("--seed", type=int, help="root seed (default: the scenario's)")
    r.add_argument("--replicates", "-R", type=int, help="replicates (default: the scenario's)")
    r.add_argument("--replicates-from", type=int, default=0, metavar="K",
                   help="number the replicates K, K+1, ... (default 0): replicate K of a larger "
                        "run with the same seed, replayed alone, bit for bit")
    r.add_argument("--steps", type=int, help="steps (default: the scenario's)")
    r.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE",
                   help="override a scenario field, e.g. actors.NATO.posture.deployment_troops=6600"
                        " (repeatable)")
    r.add_argument("--event", dest="events", action="append", default=[],
                   metavar="'DATE Actor.variable*2'",
                   help="a dated intervention, e.g. '2017-01 NATO.deployment_troops*2' (* scales, "
                        "+/- add, = sets; repeatable)")
    r.add_argument("--out", help="output folder (default: results/<scenario name>); a non-empty "
                                 "folder is replaced only if it holds a previous flashpoint result")
    r.add_argument("--force", action="store_true",
                   help="write into a non-empty folder that is not a flashpoint result, beside "
                        "its files (never deleting or overwriting any of them); or replace a "
                        "result of another scenario or variant")
    r.add_argument("--no-plot", action="store_true", help="do not write tension.png")
    r.add_argument("--full", action="store_true",
                   help="also write every replicate's series to timeseries.parquet (the same as "
                        "--record full)")
    r.add_argument("--record", choices=["quantiles", "full", "summary"],
                   help="what to keep: quantiles (default: per-step percentiles), full (every "
                        "replicate, timeseries.parquet) or summary (summary and per-replicate "
                        "outcomes.csv, no time series: the least memory)")
    r.add_argument("--quiet", "-q", action="store_true", help="print nothing on success")
    r.add_argument("--calibrated", metavar="FILE", nargs="?", const="shipped",
                   help="use a calibration (flashpoint calibrate's calibration.yaml; without FILE "
                        "the shipped one, which the bundled scenarios use by default): its best "
                        "values for the scenario and its reference; 'none': the reasoned "
                        "defaults, no calibration")
    c = sub.add_parser("calibrate", help="fit the declared parameters to data up to 2019")
    c.add_argument("--scenario", default="historical-2014", help="the hindcast to fit")
    c.add_argument("--data", default="data", help="folder of the data files (default: data)")
    c.add_argument("--out", default="results/calibration", help="output folder")
    c.add_argument("--popsize", type=int, default=8, help="population per parameter (scipy)")
    c.add_argument("--maxiter", type=int, default=40, help="generations")
    c.add_argument("--replicates", type=int, default=4, help="replicates a candidate")
    c.add_argument("--seed", type=int, default=1)
    c.add_argument("--method", choices=("abc", "de"), default="abc",
                   help="abc: approximate Bayesian computation (ABC-SMC), a posterior of "
                        "--particles equally weighted draws (the shipped fit); de: differential "
                        "evolution, the best fit and its best members")
    c.add_argument("--particles", type=int, default=1000, help="abc: the population")
    c.add_argument("--generations", type=int, default=8, help="abc: generations after the first")
    c.add_argument("--origin", type=int, default=2016,
                   help="abc: also fit to data up to this year and score the forecast of the "
                        "years after it to 2019 in the report (rolling origin; 0: skip)")
    c.add_argument("--quiet", "-q", action="store_true")
    w = sub.add_parser("sweep", help="run a parameter sweep file (resumable; local or Dask)")
    w.add_argument("sweep", help="sweep YAML file (see sweeps/)")
    w.add_argument("--out", help="output folder (default: results/sweeps/NAME)")
    w.add_argument("--workers", type=int, default=None,
                   help="worker processes (default: one for a small sweep, else up to a "
                        "chunk and a core each)")
    w.add_argument("--resume", action="store_true",
                   help="finish an interrupted sweep in --out (skips its finished chunks)")
    dask = w.add_mutually_exclusive_group()
    dask.add_argument("--dask-local", action="store_true",
                      help="run the chunks on a Dask LocalCluster (loopback)")
    dask.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                      help="run the chunks on this Dask scheduler")
    w.add_argument("--quiet", "-q", action="store_true", help="no progress bar or summary")
    a = sub.add_parser("analyze", help="sensitivity indices and response tables of a sweep")
    a.add_argument("folder", help="a finished sweep's output folder")
    a.add_argument("--quiet", "-q", action="store_true", help="print nothing on success")
    pl = sub.add_parser("plot", help="draw a figure from results folders")
    pl.add_argument("kind", help="tension, postures, actors, ladder, sweep or compare")
    pl.add_argument("results", nargs="+", help="results folder(s) (compare: several)")
    pl.add_argument("--out", help="figure file (default: RESULTS/KIND.FORMAT)")
    pl.add_argument("--format", choices=["png", "svg", "pdf"], help="default: png")
    cp = sub.add_parser("compare", help="run two scenarios on common random numbers and plot "
                                        "their paired difference")
    cp.add_argument("a", help="scenario A (file or bundled name)")
    cp.add_argument("b", help="scenario B")
    cp.add_argument("--replicates", "-R", type=int, default=200)
    cp.add_argument("--seed", type=int, default=1)
    cp.add_argument("--steps", type=int)
    cp.add_argument("--out", help="output folder (default: results/compare/A-vs-B)")
    cp.add_argument("--force", action="store_true",
                    help="write into a non-empty folder beside its files (never over them)")
    rp = sub.add_parser("report", help="a self-contained HTML page of a results folder")
    rp.add_argument("results", help="a run's, a sweep's or a comparison's folder")
    rp.add_argument("--out", help="HTML file (default: RESULTS/report.html)")
    e = sub.add_parser("explore", help="an interactive page in the browser (SolaraViz): set "
                                       "levers, step, compare; needs the explore extra")
    e.add_argument("scenarios", nargs="*", metavar="SCENARIO",
                   help="scenario files or bundled names: the page opens with the first (default: "
                        "baseline); files join the bundled scenarios in the page's picker")
    e.add_argument("--port", type=int, default=8765, help="TCP port (default 8765)")
    e.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this machine only)")
    e.add_argument("--replicates", "-R", type=int, help="replicates to start with (default 200)")
    e.add_argument("--seed", type=int, help="seed to start with (default 1)")
    v = sub.add_parser("validate", help="check scenario files")
    v.add_argument("files", nargs="+")
    v.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE")
    sub.add_parser("scenarios", help="list the bundled scenarios")
    s = sub.add_parser("schema", help="print the scenario JSON Schema")
    s.add_argument("--out", help="write to this file instead of standard output")
    s.add_argument("--sweep", action="store_true", help="the sweep files' schema instead")
    return p


def cmd_run(args: argparse.Namespace) -> int:
    """``flashpoint run``: every check (scenario, options, output folder, memory) before computing."""
    from analysis.plots.worker import PlotWorker

    from .io.output import prepare_output, scenario_identity
    from .scenario.loader import load_scenario

    if args.full and args.record not in (None, "full"):
        raise ScenarioError("--full", f"is --record full; it cannot go with --record {args.record}")
    record = "full" if args.full else args.record or "quantiles"
    calibration = args.calibrated  # None (the file's), "shipped", a calibration.yaml or "none"
    if calibration == "none":
        calibration = {}  # no fitted values, no ensemble
    sc = load_scenario(args.scenario, args.overrides,
                       run_settings={"seed": args.seed, "replicates": args.replicates,
                                     "steps": args.steps}, events=args.events,
                       calibration=calibration)
    out = Path(args.out) if args.out is not None else Path("results") / sc.name
    plan = prepare_output(out, force=args.force, identity=scenario_identity(sc))
    plot = sc.outputs.plot and not args.no_plot and record != "summary"
    # the figure's process starts now: it imports matplotlib on the other core meanwhile
    worker = PlotWorker.start() if plot else None
    try:
        return _run(args, sc, plan, out, record, plot, worker)
    finally:
        if worker is not None:
            worker.cancel()


def _run(args: argparse.Namespace, sc, plan, out: Path, record: str, plot: bool,
         worker: PlotWorker | None) -> int:
    """The rest of ``flashpoint run``, with the scenario loaded and the folder planned."""
    import numpy as np

    from .engine.runner import check_memory, run
    from .engine.warm import compile_kernels
    from .io.output import write_run

    check_memory(sc, record)
    long_run = sc.replicates * sc.steps >= 200_000
    compile_kernels(announce=not args.quiet)  # says so when this is the machine's first run
    show = long_run and not args.quiet and sys.stderr.isatty()
    first = args.replicates_from
    if not 0 <= first <= 2**62:
        raise ScenarioError("--replicates-from", f"must lie in [0, 2^62], got {first}")
    ids = None if first == 0 else np.arange(first, first + sc.replicates, dtype=np.int64)
    result = run(sc, record=record, progress=show, replicate_ids=ids)
    if show:
        print(f"writing {out}/ ...", file=sys.stderr, flush=True)
    write_run(result, plan, plot=plot, full=record == "full",
              argv=["flashpoint", *sys.argv[1:]], plot_worker=worker)
    if not args.quiet:
        s = result.summary_dict()["overall"]
        peak = s["tension_index"]["peak"]
        print(f"{sc.name}: {result.replicates} replicate(s) x {result.steps} steps, "
              f"seed {result.seed}")
        print(f"  overall tension index: start {s['tension_index']['initial']:.1f}, "
              f"peak median {peak['p50']:.1f}, final median "
              f"{s['tension_index']['final']['p50']:.1f}")
        print(f"  incidents per month (all pairs, mean): "
              f"{s['incidents']['per_month_all_pairs']['mean']:.2f}")
        print(f"  wrote {out}/")
    return 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    """``flashpoint calibrate``: fit, then write calibration.yaml, ensemble.csv and the report."""
    from functools import partial

    from .calibration import report
    from .calibration.fit import calibrate
    from .io.output import prepare_output, write_folder

    for name, value, low, high in (("--popsize", args.popsize, 1, 100),
                                   ("--maxiter", args.maxiter, 1, 10_000),
                                   ("--replicates", args.replicates, 1, 1000),
                                   ("--particles", args.particles, 10, 100_000),
                                   ("--generations", args.generations, 0, 50),
                                   ("--seed", args.seed, 0, 2**32 - 1)):
        if not low <= value <= high:
            raise ScenarioError(name, f"must lie in [{low}, {high}], got {value}")
    if args.origin and not 2015 <= args.origin <= 2018:
        raise ScenarioError("--origin", "must be 0 (skip) or a year 2015-2018 (the fit window "
                                        f"ends in 2019), got {args.origin}")
    data = Path(args.data)
    if not (data / "milex_gdp.csv").is_file():
        raise ScenarioError("--data", f"{data} holds no milex_gdp.csv (the repository's data/)")
    plan = prepare_output(Path(args.out))  # the same rules as run: never over a user's files
    validation = None
    if args.method == "abc":
        from .calibration.fit import calibrate_abc

        cal = calibrate_abc(args.scenario, data, particles=args.particles,
                            generations=args.generations, seed=args.seed)
        if args.origin:
            from .calibration.validate import rolling_origin

            validation = rolling_origin(data, origin=args.origin, particles=args.particles,
                                        generations=args.generations, seed=args.seed,
                                        scenario=args.scenario)
    else:
        cal = calibrate(args.scenario, data, popsize=args.popsize, maxiter=args.maxiter,
                        replicates=args.replicates, seed=args.seed)
    out = write_folder(plan, partial(report.write, cal, data_dir=data, validation=validation,
                                     argv=["flashpoint", *sys.argv[1:]]))
    if not args.quiet:
        print(f"calibrated {len(cal.best)} parameters ({cal.settings.get('method', 'de')}): "
              f"loss {cal.best_loss:.3f} ({cal.settings['generations']} generations); "
              f"wrote {out}/")
    return 0


def cmd_sweep(args: argparse.Namespace) -> int:
    """``flashpoint sweep``: every check before computing; chunks written as they finish."""
    from analysis.sweeps import load_sweep, run_sweep, start_workers

    workers = args.workers  # None: as many as are useful (run_sweep decides)
    if workers is not None and not 1 <= workers <= 1024:
        raise ScenarioError("--workers", f"must lie in [1, 1024], got {workers}")
    dask = "local" if args.dask_local else args.scheduler
    start_workers(workers, dask)  # the workers' server loads the engine while the file is read
    spec, _ = load_sweep(args.sweep)
    out = Path(args.out) if args.out else Path("results") / "sweeps" / spec.name
    run_sweep(args.sweep, out, workers=workers, resume=args.resume, dask=dask,
              progress=not args.quiet)
    if not args.quiet:
        kept = ", trajectories.parquet" if spec.trajectories is not None else ""
        print(f"{spec.name}: wrote {out}/ (points.parquet, runs.parquet{kept}); "
              f"flashpoint analyze {out}")
    return 0


def cmd_analyze(args: argparse.Namespace) -> int:
    """``flashpoint analyze``: Sobol or Morris indices and response tables into the folder."""
    from analysis.sensitivity import analyze_sweep

    folder = Path(args.folder)
    if not (folder / "runs.parquet").is_file() or not (folder / "sweep.yaml").is_file():
        raise ScenarioError(str(folder), "is not a finished sweep (no runs.parquet and "
                                         "sweep.yaml); run flashpoint sweep first")
    written = analyze_sweep(folder)
    if not args.quiet:
        print("wrote " + ", ".join(str(p) for p in written.values()))
    return 0


def cmd_plot(args: argparse.Namespace) -> int:
    """``flashpoint plot``: one figure from results folders."""
    from analysis.plots import plot

    if args.kind != "compare" and len(args.results) > 1:
        raise ScenarioError(args.kind, "takes one results folder (compare takes several)")
    path = plot(args.kind, args.results if args.kind == "compare" else args.results[0],
                args.out, args.format)
    print(f"wrote {path}")
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    """``flashpoint compare``: A and B paired; the table of differences and two figures."""
    from analysis.plots import compare

    if not 2 <= args.replicates <= 100_000:
        raise ScenarioError("--replicates", f"must lie in [2, 100000], got {args.replicates}")
    from analysis.plots.comparison import headline_text

    name = f"{Path(args.a).stem}-vs-{Path(args.b).stem}"
    out = Path(args.out) if args.out else Path("results") / "compare" / name
    tables: list = []
    written = compare(args.a, args.b, out, replicates=args.replicates, seed=args.seed,
                      steps=args.steps, force=args.force, table_out=tables)
    print(headline_text(tables[0], Path(args.a).stem, Path(args.b).stem))
    print("wrote " + ", ".join(str(p) for p in written.values()))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """``flashpoint report``: the HTML page of a results folder."""
    from analysis.plots import report

    print(f"wrote {report(args.results, args.out)}")
    return 0


def cmd_explore(args: argparse.Namespace) -> int:
    """``flashpoint explore``: check the scenario and the port, then serve the page."""
    from analysis.explorer import serve

    try:
        return serve(args.scenarios, port=args.port, host=args.host, replicates=args.replicates,
                     seed=args.seed)
    except ValueError as exc:
        raise ScenarioError("flashpoint explore", str(exc)) from None


def cmd_validate(args: argparse.Namespace) -> int:
    """``flashpoint validate``: every file is checked; exit 2 when any is bad."""
    from .scenario.loader import load_scenario

    bad = 0
    for f in args.files:
        try:
            if _is_sweep_file(f):
                from analysis.sweeps import load_sweep
                from analysis.sweeps.samplers import count_points

                spec, sc = load_sweep(f)
                print(f"{f}: ok (sweep {spec.name} of {sc.name}: {count_points(spec):,} points x "
                      f"{spec.replicates} replicates, {spec.sampler})")
                continue
            sc = load_scenario(f, args.overrides)
            print(f"{f}: ok ({sc.name}, {len(sc.actors)} actors, {sc.steps} steps)")
        except ScenarioError as exc:
            print(str(exc), file=sys.stderr)
            bad += 1
    return EXIT_BAD_INPUT if bad else 0


SWEEP_KEYS = frozenset({"sampler", "uncertainties", "levers", "outcomes", "outcome_functions"})
"""Top-level keys only a sweep file has: ``validate`` checks such a file as a sweep."""


def _is_sweep_file(path: str) -> bool:
    """Whether ``path`` is a sweep file (read with the scenario loader's limits)."""
    from .scenario.loader import read_document, resolve_path

    try:
        data, _ = read_document(resolve_path(path))
    except ScenarioError:
        return False  # the scenario loader reports it
    return isinstance(data, dict) and bool(SWEEP_KEYS & set(data))


def cmd_scenarios(args: argparse.Namespace) -> int:
    """``flashpoint scenarios``: the bundled scenarios and their one-line descriptions."""
    import yaml

    d = scenario_dir()
    files = sorted(d.glob("*.yaml")) if d.is_dir() else []
    if not files:
        print(f"no bundled scenarios found in {d}", file=sys.stderr)
        return 1
    width = max(len(f.name) for f in files)
    for f in files:
        try:
            data = yaml.safe_load(f.read_text(encoding="utf-8")) or {}
            desc = data.get("description", "") if isinstance(data, dict) else ""
        except yaml.YAMLError:
            desc = "(unreadable YAML)"
        print(f"{f.name:<{width}}  {desc}")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    """``flashpoint schema``: the scenario JSON Schema."""
    from .scenario.schema import json_schema

    if args.sweep:
        from analysis.sweeps.spec import sweep_json_schema

        text = json.dumps(sweep_json_schema(), indent=2)
    else:
        text = json.dumps(json_schema(), indent=2)
    if args.out:
        from .io.ledger import publish

        publish(args.out, text + "\n")
    else:
        print(text)
    return 0


def command() -> None:
    """The ``flashpoint`` console command (and ``python -m sim``): :func:`main`, then exit quickly.

    After a run, Python's own finalisation (clearing the modules of Mesa, pandas, SciPy and Numba,
    and collecting their objects) takes another 0.5-1 s before the process ends (measured:
    ``flashpoint run baseline --no-plot`` 4.2-4.4 s, 2.8-3.2 s ending with ``os._exit``). So once a
    command is done, its output is flushed, the ``atexit`` handlers run as they would, and the
    process ends with ``os._exit``. ``sweep`` and ``explore``, which hold worker pools, a Dask
    client or a server, exit the ordinary way; so does any command whose error shows its traceback
    (``FLASHPOINT_DEBUG``).
    """
    args = _parser().parse_args()
    code = dispatch(args)
    if args.command in ("sweep", "explore"):
        sys.exit(code)
    quick_exit(code)


def quick_exit(code: int) -> None:
    """Flush the standard streams, run the ``atexit`` handlers, end the process with ``code``."""
    import atexit

    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # closed, or a broken pipe: nothing more to say
            pass
    atexit._run_exitfuncs()
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code (2 for bad input, 1 for an internal error)."""
    return dispatch(_parser().parse_args(argv))


def dispatch(args: argparse.Namespace) -> int:
    """Run the parsed command; returns the exit code (2 for bad input, 1 for an internal error)."""
    if args.command == "run":
        from .engine.perf import tune_malloc

        tune_malloc()
    handler = {"run": cmd_run, "validate": cmd_validate, "scenarios": cmd_scenarios,
               "schema": cmd_schema, "calibrate": cmd_calibrate, "sweep": cmd_sweep,
               "analyze": cmd_analyze, "plot": cmd_plot, "compare": cmd_compare,
               "report": cmd_report, "explore": cmd_explore}[args.command]
    try:
        return handler(args)
    except ScenarioError as exc:
        print(f"error: {exc}" if "\n" not in str(exc) else f"error:\n{exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (OutputError, SimulationError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except MemoryError:
        print("error: the run ran out of memory; use fewer replicates or steps", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:  # noqa: BLE001 - the last line of defence: one line, no traceback
        if type(exc).__name__ == "SweepInterrupted":  # analysis.sweeps: what it kept
            print(str(exc), file=sys.stderr)
            return 130
        if os.environ.get("FLASHPOINT_DEBUG"):
            raise
        first = str(exc).splitlines()[0][:300] if str(exc) else ""
        print(f"internal error (a bug in flashpoint; FLASHPOINT_DEBUG=1 shows where): "
              f"{type(exc).__name__}: {first}", file=sys.stderr)
        return EXIT_INTERNAL
    except KeyboardInterrupt:
        print(f"interrupted: {INTERRUPTED.get(args.command, 'nothing was written')}",
              file=sys.stderr)
        return 130

