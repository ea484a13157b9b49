"""Sensitivity of the answers: which fitted constants a what-if's effect depends on (Sobol).

For a what-if (``--set`` choices against the scenario as written) the effect on an outcome is the
paired difference, lever run less reference run, on common random numbers. Its Sobol indices
(Saltelli 2002's sampling, Jansen's and Saltelli's estimators, SALib) over the fitted parameters
say which of them the answer depends on: the first-order index S1 what a parameter does alone,
the total index ST what it does with the others. The inputs range uniformly over each parameter's
posterior 5-95 % interval (Sobol's method needs independent inputs; the posterior's
correlations are left out, which is stated where the indices are shown). Every point is one
replicate, all points drawing replicate 0's random numbers, so the indices are about the
parameters, not the noise; a design of N (2k + 2) points is one run for each side.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine.runner import run
from ..scenario.loader import load_scenario


@dataclass
class AnswerIndices:
    """Sobol indices of one what-if's effect on one outcome.

    Attributes:
        label: the what-if.
        outcome: the outcome column (``Result.outcomes``).
        names: the parameters, in column order.
        bounds: each parameter's range, [lo, hi].
        effect: the mean effect over the design.
        S1, S1_conf, ST, ST_conf: SALib's indices and their 95 % half-widths.
    """

    label: str
    outcome: str
    names: list[str]
    bounds: list[list[float]]
    effect: float
    S1: np.ndarray  # noqa: N815 - SALib's names
    S1_conf: np.ndarray  # noqa: N815
    ST: np.ndarray  # noqa: N815
    ST_conf: np.ndarray  # noqa: N815


def posterior_bounds(members: list[dict[str, float]], names: list[str]) -> list[list[float]]:
    """Each parameter's 5-95 % interval over the posterior's draws (a degenerate one widened)."""
    out = []
    for name in names:
        values = np.array([m[name] for m in members], dtype=float)
        lo, hi = np.percentile(values, [5, 95])
        if not hi > lo:
            lo, hi = lo - 1e-6, hi + 1e-6
        out.append([float(lo), float(hi)])
    return out


def answer_indices(label: str, sets: list[str], members: list[dict[str, float]],
                   outcome: str = "tension_index.final", scenario: str = "baseline",
                   n: int = 128, seed: int = 1) -> AnswerIndices:
    """Sobol indices of the effect of ``sets`` on ``outcome`` over the posterior's ranges.

    Args:
        label: the what-if's name.
        sets: its ``--set`` choices.
        members: the posterior's draws (a calibration's ensemble).
        outcome: an outcome column of ``Result.outcomes``.
        scenario: the reference scenario.
        n: Saltelli's base sample (a power of two).
        seed: seeds the design and both runs.
    """
    from SALib.analyze import sobol as analyze
    from SALib.sample import sobol as sample

    names = sorted(members[0])
    bounds = posterior_bounds(members, names)
    problem = {"num_vars": len(names), "names": names, "bounds": bounds}
    x = sample.sample(problem, n, calc_second_order=False, seed=seed)
    vary = {name: x[:, j] for j, name in enumerate(names)}
    ids = np.zeros(len(x), dtype=np.uint64)  # every point draws the same random numbers

    def outcomes(chosen: list[str]) -> np.ndarray:
        sc = load_scenario(scenario, chosen or None).model_copy(update={"ensemble": False})
        res = run(sc, seed=seed, replicates=len(x), record="summary", vary=vary,
                  replicate_ids=ids)
        return res.outcomes[outcome].to_numpy(dtype=float)

    effect = outcomes(sets) - outcomes([])
    result = analyze.analyze(problem, effect, calc_second_order=False, seed=seed)
    return AnswerIndices(label, outcome, names, bounds, float(effect.mean()),
                         np.asarray(result["S1"]), np.asarray(result["S1_conf"]),
                         np.asarray(result["ST"]), np.asarray(result["ST_conf"]))
