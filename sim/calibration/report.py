"""Write a calibration: the parameter set, the ensemble, and a fit report (Markdown and PNG)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import yaml

from ..engine.runner import run, with_run_settings
from ..scenario.loader import load_scenario
from .fit import Calibration, members_vary
from .targets import FIT_YEARS, SPENDING_ACTORS, observed, simulated

FILES = ("calibration.yaml", "ensemble.csv", "report.md", "fit.png", "provenance.json")
POSTERIOR_FIGURE = "posterior.png"
"""With a posterior (ABC), also: each parameter's draws against its prior's range."""
PAIRS_FIGURE = "pairs.png"
"""With a posterior (ABC), also: the pair plot of the fitted parameters' draws."""


def to_yaml(cal: Calibration, ensemble_size: int = 20) -> str:
    """The calibration file: best values, loss terms, settings, the ensemble, the priors."""
    doc = {
        "flashpoint_calibration": 1,
        "settings": cal.settings,
        "loss": round(cal.best_loss, 6),
        "loss_terms": {k: round(v, 6) for k, v in cal.terms.items()},
        "best": {k: round(v, 6) for k, v in cal.best.items()},
        "priors": {p.path: {"distribution": p.distribution, "range": [p.lo, p.hi],
                            "reason": p.reason} for p in cal.parameters},
        "ensemble": _ensemble(cal, ensemble_size),
    }
    return ("# flashpoint calibrate: parameters fitted to data up to 2019 (see report.md)\n"
            + yaml.safe_dump(doc, sort_keys=False))


def _validation_section(validation) -> list[str]:
    """The rolling origin's scores (:func:`sim.calibration.validate.rolling_origin`), if run."""
    if validation is None:
        return []
    s = validation.summary()
    last = validation.origin
    return [
        f"## Rolling origin: fit to {last}, forecast {last + 1}-2019", "",
        f"The same fit on data up to {last} only; its posterior's forecast of each spending "
        f"share of the years after, with the stated observation error "
        f"({int(s['points'])} actor-years). Lower CRPS is better; the benchmarks are the last "
        "observed share held (persistence) and a straight line through the seen years (their "
        "CRPS is their absolute error).", "",
        "| score | value |", "|---|---:|",
        f"| CRPS, the model | {s['crps']:.3f} |",
        f"| CRPS, persistence | {s['crps_persistence']:.3f} |",
        f"| CRPS, linear trend | {s['crps_trend']:.3f} |",
        f"| mean absolute error of the median | {s['mae_median']:.3f} |",
        f"| 90 % interval score | {s['interval_score_90']:.3f} |",
        f"| coverage of the 50 % bands | {s['coverage_50']:.2f} |",
        f"| coverage of the 90 % bands | {s['coverage_90']:.2f} |", ""]


def _ensemble(cal: Calibration, size: int) -> object:
    """The ensemble as the file keeps it.

    A posterior as a block of numbers, one member a line (with each member's draw of its other
    constants); a short list as parameter sets.
    """
    members = cal.ensemble(size)
    if not cal.posterior:
        return [{k: round(v, 6) for k, v in m.items()} for m in members]
    paths = list(members[0])
    doc: dict = {"paths": paths,
                 "members": "".join(" ".join(f"{m[p]:.9g}" for p in paths) + "\n"
                                    for m in members)}
    if cal.draws is not None:
        doc["draws"] = "".join(f"{int(a)} {int(b)}\n" for a, b in cal.draws)
    return doc


def write(cal: Calibration, out: Path, data_dir: Path, replicates: int = 100,
          argv: list[str] | None = None, validation=None) -> list[str]:
    """Write FILES into ``out`` (an existing folder), provenance last; returns the names written.

    ``provenance.json`` lists the files, so that a later ``calibrate`` (or ``run``) recognises
    the folder as flashpoint's (:func:`sim.io.output.prepare_output`).
    """
    (out / "calibration.yaml").write_text(to_yaml(cal), encoding="utf-8")
    order = np.argsort(cal.population_loss)
    lines = ["loss," + ",".join(p.path for p in cal.parameters)]
    for i in order:
        lines.append(f"{cal.population_loss[i]:.6g}," + ",".join(
            f"{v:.6g}" for v in cal.population[i]))
    (out / "ensemble.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # the ensemble run: each replicate takes one of the best members (parameter uncertainty)
    members = cal.ensemble()
    k = len(members)
    if cal.posterior:  # every posterior draw runs once
        replicates = max(replicates, k)
    base = load_scenario(cal.settings["scenario"], calibration={})
    sc = with_run_settings(base, seed=cal.settings["seed"])
    res = run(sc, replicates=replicates, record="full", events_max_replicates=0,
              vary=members_vary(cal, base, replicates))
    array, _ = res.array(every=True)
    sim = simulated(array, res.columns, res.dates)
    observations = observed(data_dir)
    data = observations.spending
    rows = ["| actor | year | observed | simulated median | 5-95 % band | in or out of sample |",
            "|---|---:|---:|---:|---:|---|"]
    errors = []
    for actor in SPENDING_ACTORS:
        for year in range(2014, 2020):
            values = sim.spending[(actor, year)]
            obs = data[actor].get(year)
            lo, med, hi = np.percentile(values, [5, 50, 95])
            sample = "in (fitted)" if year in FIT_YEARS else "start"
            if obs is not None and year in FIT_YEARS:
                errors.append(abs(med - obs))
            rows.append(f"| {actor} | {year} | {obs if obs is not None else '-'} | {med:.2f} | "
                        f"{lo:.2f}-{hi:.2f} | {sample} |")
    later = sorted({y for a in SPENDING_ACTORS for y in data[a] if y > 2019})
    command = " ".join(argv or ["flashpoint", "calibrate"])
    report = [
        "# Calibration report", "",
        f"Made by `{command}` (seeded: the same command writes the same calibration.yaml); "
        "every number below is from it.", "",
        f"Settings: `{json.dumps(cal.settings)}`. Loss {cal.best_loss:.3f} "
        f"({', '.join(f'{k} {v:.3f}' for k, v in cal.terms.items())}).", "",
        "## Fitted parameters", "", "| parameter | prior | fitted | reason |", "|---|---|---:|---|",
        *[f"| `{p.path}` | {p.lo:g}-{p.hi:g} | {cal.best[p.path]:.3f} | {p.reason} |"
          for p in cal.parameters], "",
        "## At a bound", "", *bounds_hit(cal), "",
        *(posterior_table(cal) if cal.posterior else []),
        "## Spending, % of GDP: observed and the ensemble's run", "",
        ("Ensemble: the posterior's " if cal.posterior else "Ensemble: the ")
        + (f"{k} equally weighted draws, one per replicate " if cal.posterior else
           f"{k} best members of the final population, one per replicate ") +
        f"({replicates} replicates): the band carries parameter uncertainty and incident noise. "
        f"Mean absolute error of the median, 2015-2019: {np.mean(errors):.3f} pp.", "", *rows, "",
        "## Other targets", "",
        f"- incidents a month, March-October 2014: simulated {np.median(sim.incidents_2014):.2f} "
        "(ELN: about 5)",
        f"- incidents a month, 2016-17: simulated {np.median(sim.incidents_2016_17):.2f} "
        "(ELN: about 0.7)",
        f"- allied forward troops 2018-19: simulated {np.median(sim.efp):,.0f} (eFP: ~4,500)",
        f"- Russia's near-border forces, 2016 over January 2014: simulated "
        f"{np.median(sim.russia_forces):.2f} (its national personnel: "
        f"{observations.russia_forces:.2f}, Correlates of War)",
        f"- tension index: 2014-15 peak {np.median(sim.peak_2014_15):.1f}, 2017-19 mean "
        f"{np.median(sim.mean_2017_19):.1f}",
        f"- a war (some pair at limited conflict) in 2014-2019: "
        f"{np.mean(np.isfinite(sim.first_war_year)):.3f} of the replicates (none happened)", "",
        *_validation_section(validation),
        "## Out of sample", "",
        ("Years after 2019 in the data: " + ", ".join(map(str, later))) if later else
        "The data in this release end in 2019: there is no later year to test out of sample.", ""]
    (out / "report.md").write_text("\n".join(report), encoding="utf-8")
    _figure(sim, data, out / "fit.png")
    names = [f for f in FILES if f != "provenance.json"]
    if cal.posterior:
        _posterior_figure(cal, out / POSTERIOR_FIGURE)
        _pairs_figure(cal, out / PAIRS_FIGURE)
        names += [POSTERIOR_FIGURE, PAIRS_FIGURE]
    from .. import __version__
    from ..io.output import write_provenance

    write_provenance(out, {"flashpoint_version": __version__,
                           "command": argv or ["flashpoint", "calibrate"],
                           "calibration": cal.settings}, names)
    return [*names, "provenance.json"]


def posterior_table(cal: Calibration) -> list[str]:
    """Report lines: each parameter's prior against its posterior (mean, sd, 5-95 %)."""
    rows = ["## Prior and posterior", "",
            f"The posterior's {len(cal.population)} equally weighted draws ({POSTERIOR_FIGURE}: "
            f"each parameter's draws over its prior's range; {PAIRS_FIGURE}: pair by pair). "
            "Every simulation drew the constants not fitted from their priors, and each member "
            "keeps its draw: a calibrated run simulates the worlds the fit accepted.", "",
            "| parameter | prior | posterior mean | sd | 5-95 % |", "|---|---|---:|---:|---|"]
    for j, p in enumerate(cal.parameters):
        draws = cal.population[:, j]
        lo, hi = np.percentile(draws, [5, 95])
        rows.append(f"| `{p.path}` | {p.distribution} {p.lo:g}-{p.hi:g} | {draws.mean():.3f} | "
                    f"{draws.std():.3f} | {lo:.3f}-{hi:.3f} |")
    return [*rows, ""]


def _posterior_figure(cal: Calibration, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    k = len(cal.parameters)
    cols = 4
    bins = 30
    fig, axes = plt.subplots((k + cols - 1) // cols, cols, figsize=(13, 2.6 * ((k + cols - 1)
                                                                               // cols)))
    for j, ax in enumerate(axes.flat):
        if j >= k:
            ax.axis("off")
            continue
        p = cal.parameters[j]
        draws = cal.population[:, j]
        log = p.distribution == "loguniform"
        edges = np.geomspace(p.lo, p.hi, bins + 1) if log else np.linspace(p.lo, p.hi, bins + 1)
        # shares of the draws a bin, bins equal in the prior's own scale: the prior is flat
        ax.hist(draws, bins=edges, weights=np.full(len(draws), 1.0 / len(draws)),
                color="#5E3C99", alpha=0.7, label="posterior")
        ax.axhline(1.0 / bins, color="0.3", linestyle="--", label="prior")
        if log:
            ax.set_xscale("log")
        ax.set_xlim(p.lo, p.hi)
        ax.set_title(p.path.split(".", 1)[1], fontsize=8)
        ax.tick_params(labelsize=7)
    axes.flat[0].legend(fontsize=7, frameon=False)
    fig.suptitle("flashpoint calibrate --method abc: prior (dashed) and posterior of each "
                 "fitted parameter (share of the draws a bin; log axes for log-uniform priors)",
                 fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _pairs_figure(cal: Calibration, path: Path) -> None:
    """The posterior's pair plot.

    Each pair of fitted parameters' draws (lower triangle), each one's histogram (diagonal),
    over the priors' ranges (log axes for log-uniform priors).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    k = len(cal.parameters)
    fig, axes = plt.subplots(k, k, figsize=(1.25 * k, 1.25 * k))
    scale = ["log" if p.distribution == "loguniform" else "linear" for p in cal.parameters]
    for i in range(k):
        for j in range(k):
            ax = axes[i, j]
            pi, pj = cal.parameters[i], cal.parameters[j]
            if j > i:
                ax.axis("off")
                continue
            if i == j:
                edges = (np.geomspace(pj.lo, pj.hi, 21) if scale[j] == "log"
                         else np.linspace(pj.lo, pj.hi, 21))
                ax.hist(cal.population[:, j], bins=edges, color="#5E3C99", alpha=0.7)
                ax.set_yticks([])
            else:
                ax.scatter(cal.population[:, j], cal.population[:, i], s=1, alpha=0.3,
                           color="#5E3C99", rasterized=True)
                ax.set_yscale(scale[i])
                ax.set_ylim(pi.lo, pi.hi)
            ax.set_xscale(scale[j])
            ax.set_xlim(pj.lo, pj.hi)
            ax.tick_params(labelsize=4, length=2)
            if i == k - 1:
                ax.set_xlabel(pj.path.rsplit(".", 1)[1], fontsize=5)
            else:
                ax.set_xticklabels([])
            if j == 0 and i > 0:
                ax.set_ylabel(pi.path.rsplit(".", 1)[1], fontsize=5)
            elif j > 0:
                ax.set_yticklabels([])
    fig.suptitle("flashpoint calibrate --method abc: the posterior's draws, pair by pair",
                 fontsize=9)
    fig.tight_layout(pad=0.3, h_pad=0.1, w_pad=0.1)
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _figure(sim, data, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 4, figsize=(13, 6), sharex=True)
    years = list(range(2014, 2020))
    for ax, actor in zip(axes.flat, SPENDING_ACTORS, strict=False):
        q = np.array([np.percentile(sim.spending[(actor, y)], [5, 50, 95]) for y in years])
        ax.fill_between(years, q[:, 0], q[:, 2], alpha=0.3, label="ensemble 5-95 %")
        ax.plot(years, q[:, 1], label="median")
        ax.plot(years, [data[actor].get(y, np.nan) for y in years], "ko", label="SIPRI")
        ax.set_title(actor)
        ax.set_ylabel("% of GDP")
    axes.flat[-1].axis("off")
    axes.flat[0].legend(fontsize=8)
    fig.suptitle("flashpoint calibrate: spending 2014-2019 (2015-2019 fitted)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def bounds_hit(cal: Calibration) -> list[str]:
    """The fitted parameters at their prior's bound, as report lines.

    At a bound: the best value within 2 % of the range of it, or (a posterior) more than 20 % of
    the draws in the outer 5 % at one end.
    """
    lines = []
    for j, p in enumerate(cal.parameters):
        width = p.hi - p.lo
        best = cal.best[p.path]
        near = [side for side, edge in (("lower", p.lo), ("upper", p.hi))
                if abs(best - edge) <= 0.02 * width]
        if cal.posterior:
            draws = cal.population[:, j]
            for side, share in (("lower", np.mean(draws <= p.lo + 0.05 * width)),
                                ("upper", np.mean(draws >= p.hi - 0.05 * width))):
                if share > 0.2 and side not in near:
                    near.append(f"{side} ({share:.0%} of the draws)")
        if near:
            lines.append(f"- `{p.path}` at its {' and '.join(near)} bound "
                         f"(prior {p.lo:g}-{p.hi:g}, best {best:.3f}): the data push past the "
                         "prior, which the range then decides")
    return lines or ["None of the fitted parameters is at its prior's bound."]
