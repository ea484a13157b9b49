"""The model the explorer serves: flashpoint's Mesa model with its levers as keyword arguments.

:class:`ExplorerModel` *is* a :class:`sim.FlashpointModel` (Mesa's SolaraViz steps it, resets it
and reads its agents; there is no second simulation loop). Its keyword arguments are the page's
controls: a scenario, replicates, seed, the sliders of :data:`~analysis.explorer.levers.LEVERS`,
the theory reading and the comparison toggle. With the comparison on it also holds the
*comparison run*: the same scenario, replicates and seed without the lever changes or moves,
stepped alongside on common random numbers, so ``run - comparison`` is each replicate's paired
difference (as ``flashpoint compare``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

import sim

from .levers import BY_LEVER, overrides
from .moves import moves

DIFFERENCE_QUANTILES = (5.0, 25.0, 50.0, 75.0, 95.0)
"""Percentiles of the paired difference kept per step."""
LOG_REPLICATES = 3
"""Replicates whose incidents, rung changes and posture switches the event log keeps."""
MAX_REPLICATES = 20_000
"""The page's largest ensemble (the engine's per-step cost grows with R; 20,000 is ~0.1 s a step)."""


def scenario_choices(extra: list[str] | None = None) -> list[str]:
    """The scenario picker's entries: user files given on the command line, then bundled names."""
    return [*(extra or []), *sim.bundled_names()]


def _seed(value: int | str) -> int:
    return _whole(value, "seed", 2**63 - 1)


def _whole(value: int | str, what: str, top: int) -> int:
    """A whole number in [0, top] from a page's input (text or a number)."""
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValueError(f"{what} must be a whole number from 0 to {top}, not {value!r}") from None
    if not 0 <= number <= top:
        raise ValueError(f"{what} must lie in [0, {top}], not {number}")
    return number


class ExplorerModel(sim.FlashpointModel):
    """A scenario with the page's levers applied, and optionally its comparison run.

    Args:
        scenario_file: a bundled scenario's name or a scenario file's path.
        replicates: R, 1 to :data:`MAX_REPLICATES`.
        seed: the root seed (a whole number; the page's text field gives a string).
        compare: also run the comparison (the scenario without the levers and moves).
        reading: ``as scenario``, ``spiral`` or ``deterrence``.
        scenario: Mesa's own experiment object, which SolaraViz's Reset passes to every model
            (``mesa.experimental.scenarios.Scenario``); not used: the seed is ``seed``.
        **levers: slider values by lever name (:data:`~analysis.explorer.levers.LEVERS`).

    Attributes:
        scenario_name: what ``scenario_file`` named.
        lever_values: the lever values (every lever, neutral where not given).
        overrides: the ``--set`` overrides the levers made.
        comparison: the comparison run (a ``sim.FlashpointModel``), or None.
        difference: per step, the percentiles of the paired difference of the tension index
            (:data:`DIFFERENCE_QUANTILES`), a list of arrays.
        rung_shares: per step, the share of replicates whose highest rung over all pairs is
            each rung, a list of (len(sim.RUNGS),) arrays.
        moves_applied: (step, label, skipped effects) of each move made.
    """

    def __init__(self, scenario_file: str = "baseline", replicates: int = 200,
                 seed: int | str = 1, compare: bool = True, reading: str = "as scenario",
                 scenario: Any = None, first_replicate: int | str = 0,
                 **levers: float) -> None:
        replicates = int(replicates)
        if not 1 <= replicates <= MAX_REPLICATES:
            raise ValueError(f"replicates must lie in [1, {MAX_REPLICATES}], not {replicates}")
        settings = {"seed": _seed(seed), "replicates": replicates}
        self.scenario_name = str(scenario_file)
        self.lever_values = {**{name: lever.neutral for name, lever in BY_LEVER.items()},
                             **{name: float(value) for name, value in levers.items()}}
        self.reading_choice = reading
        base = sim.load_scenario(scenario_file, run_settings=settings)
        self.base_name = base.name
        self.overrides = overrides(base, self.lever_values, reading)  # checks every value
        chosen = (sim.load_scenario(scenario_file, overrides=self.overrides, run_settings=settings)
                  if self.overrides else base)
        # replicates numbered from first_replicate: R = 1 from K replays replicate K of any run
        # of this scenario and seed (its own random streams), here step by step
        first = _whole(first_replicate, "first replicate", 2**62)
        ids = np.arange(first, first + replicates, dtype=np.int64)
        super().__init__(chosen, events_max_replicates=min(LOG_REPLICATES, replicates),
                         replicate_ids=ids)
        self.first_replicate = first
        self.comparison = (sim.FlashpointModel(base, record="summary", events_max_replicates=0,
                                               replicate_ids=ids)
                           if compare else None)
        self.difference: list[np.ndarray] = []
        self.rung_shares: list[np.ndarray] = []
        self.moves_applied: list[tuple[int, str, list[str]]] = []
        self._keep()

    def step(self) -> None:
        """Advance the run and its comparison by one step and keep the page's statistics."""
        super().step()
        if self.comparison is not None and self.comparison.running:
            self.comparison.step()
        self._keep()

    def _keep(self) -> None:
        highest = self.state.rung.max(axis=0)
        counts = np.bincount(highest, minlength=len(sim.RUNGS))[: len(sim.RUNGS)]
        self.rung_shares.append(counts / self.R)
        if self.comparison is not None:
            diff = self.tension_index - self.comparison.tension_index
            self.difference.append(np.percentile(diff, DIFFERENCE_QUANTILES))

    def move(self, label: str) -> list[str]:
        """Make a move (:func:`~analysis.explorer.moves.moves`) happen now, in this run only.

        Returns:
            The move's effects this scenario has no target for (skipped).

        Raises:
            KeyError: an unknown move.
        """
        event = moves()[label]
        skipped = self.apply_event(event)
        self.moves_applied.append((self.steps, label, skipped))
        return skipped

    @property
    def title(self) -> str:
        """The scenario's name, and ``(levers changed)`` when the levers changed it."""
        # the scenario's own name: the levers' overrides would name a variant at length
        # (baseline+NATO.posture.deployment_troops=6600.0); the page lists the levers itself
        name = self.base_name or Path(self.scenario_name).stem
        return name + (" (levers changed)" if self.overrides else "")
