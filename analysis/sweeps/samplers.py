"""Samplers: a sweep file's dimensions into parameter points (pure; SALib and scipy.stats.qmc).

Each sampler draws unit-cube points (or, for grids, takes every combination) and maps each column
to its dimension: ``range`` linearly, ``values`` by equal-probability bins, ``distribution`` by its
inverse CDF (scipy.stats). Nothing is sampled by hand: Latin hypercubes from ``scipy.stats.qmc``,
Saltelli and Morris designs from SALib, random points from a seeded NumPy Generator.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .spec import CHUNK_RUNS, LARGE_CHUNK_RUNS, LARGE_SWEEP_RUNS, Dimension, SweepSpec


def problem(spec: SweepSpec) -> dict:
    """The sweep as a SALib problem (every dimension a range; sobol and morris samplers)."""
    dims = spec.dimensions
    return {"num_vars": len(dims), "names": list(dims),
            "bounds": [list(d.range) for d in dims.values()]}


def _grid_count(spec: SweepSpec) -> int:
    return int(np.prod([len(_grid_values(d)) for d in spec.dimensions.values()], dtype=float))


def _grid(spec: SweepSpec) -> pd.DataFrame:
    rows = list(itertools.product(*[_grid_values(d) for d in spec.dimensions.values()]))
    return pd.DataFrame(rows, columns=list(spec.dimensions), dtype=float)


def _random(spec: SweepSpec) -> pd.DataFrame:
    unit = np.random.default_rng(spec.seed).random((spec.n, len(spec.dimensions)))
    return pd.DataFrame(_map(unit, list(spec.dimensions.values())), columns=list(spec.dimensions))


def _latin_points(spec: SweepSpec) -> pd.DataFrame:
    unit = _latin(spec.n, len(spec.dimensions), spec.seed)
    return pd.DataFrame(_map(unit, list(spec.dimensions.values())), columns=list(spec.dimensions))


def _sobol_count(spec: SweepSpec) -> int:
    k = len(spec.dimensions)
    return spec.n * (2 * k + 2 if spec.second_order else k + 2)


def _sobol(spec: SweepSpec) -> pd.DataFrame:
    from SALib.sample import sobol

    x = sobol.sample(problem(spec), spec.n, calc_second_order=spec.second_order, seed=spec.seed)
    return pd.DataFrame(x, columns=list(spec.dimensions))


def _morris(spec: SweepSpec) -> pd.DataFrame:
    from SALib.sample import morris

    x = morris.sample(problem(spec), spec.n, num_levels=spec.morris_levels, seed=spec.seed)
    return pd.DataFrame(x, columns=list(spec.dimensions))


def _factorial_count(spec: SweepSpec) -> int:
    combos = int(np.prod([len(_grid_values(d)) for d in spec.levers.values()], dtype=float))
    return combos * (spec.n if spec.uncertainties else 1)


def _factorial(spec: SweepSpec) -> pd.DataFrame:
    levers = list(itertools.product(*[_grid_values(d) for d in spec.levers.values()]))
    if not spec.uncertainties:
        return pd.DataFrame(levers, columns=list(spec.levers), dtype=float)
    unc = _map(_latin(spec.n, len(spec.uncertainties), spec.seed),
               list(spec.uncertainties.values()))
    rows = [(*lv, *u) for lv in levers for u in unc]
    return pd.DataFrame(rows, columns=[*spec.levers, *spec.uncertainties], dtype=float)


@dataclass(frozen=True)
class Sampler:
    """One sampler: how many points it gives (without sampling) and how it draws them."""

    count: Callable[[SweepSpec], int]
    draw: Callable[[SweepSpec], pd.DataFrame]


def _n(spec: SweepSpec) -> int:
    return spec.n


def _morris_count(spec: SweepSpec) -> int:
    return spec.n * (len(spec.dimensions) + 1)


SAMPLER_TABLE: dict[str, Sampler] = {
    "grid": Sampler(_grid_count, _grid),
    "random": Sampler(_n, _random),
    "latin": Sampler(_n, _latin_points),
    "sobol": Sampler(_sobol_count, _sobol),
    "morris": Sampler(_morris_count, _morris),
    "full-factorial": Sampler(_factorial_count, _factorial),
}
"""Every sampler, by the name a sweep file gives (``spec.SAMPLERS`` lists the same names)."""


def count_points(spec: SweepSpec) -> int:
    """How many points :func:`sample` will return, without sampling."""
    return SAMPLER_TABLE[spec.sampler].count(spec)


def sample(spec: SweepSpec) -> pd.DataFrame:
    """The sweep's points: one row per point, one column per dimension (levers first).

    Deterministic for a given file (seeded by ``spec.seed``).
    """
    return SAMPLER_TABLE[spec.sampler].draw(spec)


def _latin(n: int, k: int, seed: int) -> np.ndarray:
    from scipy.stats import qmc

    return qmc.LatinHypercube(d=k, rng=np.random.default_rng(seed)).random(n)


def _grid_values(d: Dimension) -> list[float]:
    if d.values is not None:
        return list(d.values)
    if d.range is not None:
        return list(np.linspace(d.range[0], d.range[1], d.num or 5))
    raise ValueError("a grid needs values or a range for every dimension, not a distribution")


def _map(unit: np.ndarray, dims: list[Dimension]) -> np.ndarray:
    """Unit-cube columns to each dimension's values."""
    out = np.empty_like(unit)
    for j, d in enumerate(dims):
        u = unit[:, j]
        if d.range is not None:
            out[:, j] = d.range[0] + u * (d.range[1] - d.range[0])
        elif d.values is not None:
            idx = np.minimum((u * len(d.values)).astype(int), len(d.values) - 1)
            out[:, j] = np.asarray(d.values, dtype=float)[idx]
        else:
            out[:, j] = _frozen(d.distribution).ppf(np.clip(u, 1e-12, 1 - 1e-12))
    return out


def _frozen(dist):
    """The scipy.stats distribution of a ``distribution:`` entry."""
    from scipy import stats

    if dist.name == "uniform":
        return stats.uniform(dist.loc, dist.scale)
    if dist.name == "normal":
        return stats.norm(dist.loc, dist.scale)
    if dist.name == "triangular":
        return stats.triang(dist.mode, dist.loc, dist.scale)
    if dist.name == "loguniform":
        return stats.loguniform(dist.loc, dist.loc + dist.scale)
    return stats.lognorm(dist.scale, scale=dist.loc)


def points_per_chunk(spec: SweepSpec) -> int:
    """Points a chunk: ``chunk_points``, or about :data:`~.spec.CHUNK_RUNS` runs a chunk.

    A sweep of :data:`~.spec.LARGE_SWEEP_RUNS` runs or more takes
    :data:`~.spec.LARGE_CHUNK_RUNS`. It depends on the sweep file alone, never on the workers.
    """
    if spec.chunk_points:
        return spec.chunk_points
    runs = count_points(spec) * spec.replicates
    chunk = LARGE_CHUNK_RUNS if runs >= LARGE_SWEEP_RUNS else CHUNK_RUNS
    return max(1, chunk // spec.replicates)
