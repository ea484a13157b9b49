"""The ``flashpoint`` command: run, validate, scenarios, schema."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .errors import OutputError, ScenarioError

EXIT_BAD_INPUT = 2


def scenario_dir() -> Path:
    """The bundled scenarios: ``scenarios/`` beside the package (source checkout or editable)."""
    return Path(__file__).resolve().parent.parent / "scenarios"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="flashpoint",
        description="Agent-based simulation of NATO-Russia security dynamics.")
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="run a scenario and write its results")
    r.add_argument("scenario", help="scenario YAML file")
    r.add_argument("--seed", type=int, help="root seed (default: the scenario's)")
    r.add_argument("--replicates", "-R", type=int, help="replicates (default: the scenario's)")
    r.add_argument("--steps", type=int, help="steps (default: the scenario's)")
    r.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE",
                   help="override a scenario field, e.g. actors.NATO.posture.deployment_troops=6600"
                        " (repeatable)")
    r.add_argument("--out", help="output directory (default: results/<scenario name>)")
    r.add_argument("--no-plot", action="store_true", help="do not write tension.png")
    r.add_argument("--full", action="store_true",
                   help="also write every replicate's series to timeseries.parquet")
    r.add_argument("--quiet", "-q", action="store_true", help="print nothing on success")
    v = sub.add_parser("validate", help="check scenario files")
    v.add_argument("files", nargs="+")
    v.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE")
    sub.add_parser("scenarios", help="list the bundled scenarios")
    s = sub.add_parser("schema", help="print the scenario JSON Schema")
    s.add_argument("--out", help="write to this file instead of standard output")
    return p


def _positive(name: str, value: int | None, minimum: int) -> None:
    if value is not None and value < minimum:
        raise ScenarioError("command line", f"must be >= {minimum}, got {value}", field=name)


def cmd_run(args: argparse.Namespace) -> int:
    """``flashpoint run``."""
    from .loader import load_scenario
    from .output import write_run
    from .runner import run

    _positive("--replicates", args.replicates, 1)
    _positive("--steps", args.steps, 1)
    _positive("--seed", args.seed, 0)
    sc = load_scenario(args.scenario, args.overrides)
    out = Path(args.out) if args.out else Path("results") / sc.name
    reps = args.replicates or sc.replicates
    long_run = reps * (args.steps or sc.steps) >= 200_000
    result = run(sc, seed=args.seed, replicates=args.replicates, steps=args.steps,
                 record="full" if args.full else "quantiles",
                 progress=long_run and not args.quiet and sys.stderr.isatty())
    plot = sc.outputs.plot and not args.no_plot
    write_run(result, out, plot=plot, full=args.full, argv=["flashpoint", *sys.argv[1:]])
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


def cmd_validate(args: argparse.Namespace) -> int:
    """``flashpoint validate``: every file is checked; exit 2 when any is bad."""
    from .loader import load_scenario

    bad = 0
    for f in args.files:
        try:
            sc = load_scenario(f, args.overrides)
            print(f"{f}: ok ({sc.name}, {len(sc.actors)} actors, {sc.steps} steps)")
        except ScenarioError as exc:
            print(str(exc), file=sys.stderr)
            bad += 1
    return EXIT_BAD_INPUT if bad else 0


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
    from .schema import json_schema

    text = json.dumps(json_schema(), indent=2)
    if args.out:
        from .output import atomic_write_text

        atomic_write_text(Path(args.out), text + "\n")
    else:
        print(text)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code (2 for bad input)."""
    args = _parser().parse_args(argv)
    if args.command == "run":
        from .perf import tune_malloc

        tune_malloc()
    handler = {"run": cmd_run, "validate": cmd_validate, "scenarios": cmd_scenarios,
               "schema": cmd_schema}[args.command]
    try:
        return handler(args)
    except ScenarioError as exc:
        print(f"error: {exc}" if "\n" not in str(exc) else f"error:\n{exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OutputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
