"""Dated events and shocks: external factors entering the model at a date.

An event's effects act on an actor variable (``Russia.deployment_troops``) or a pair variable
(``NATO-Russia.tension``) by ``set``, ``add`` or ``scale``. Effects on postures, readiness and
commitment change the policy level too (a decision, which the actor's rule then holds); effects on
state variables (GDP, growth, spending, capability, strategic systems, resolve) move the state,
which the dynamics then carry on. A tension effect is an impulse. With ``duration_months`` the
effects are undone that many months later (an attention shift, a temporary crisis elsewhere).
Shocks are scheduled as Mesa events between steps (see sim.model).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..scenario.schema import ACTOR_VARIABLES, PAIR_VARIABLES

if TYPE_CHECKING:
    from ..engine.model import FlashpointModel
    from ..scenario.schema import Event

ACTOR_TARGETS = {
    # variable: (model array, posture baseline key or None)
    "gdp_usd_bn": ("gdp", None),
    "milex_usd_bn": ("milex", None),
    "capability_usd_bn": ("cap", None),
    "strategic": ("strat", None),
    "readiness": ("ready", "ready"),
    "resolve": ("resolve", None),
    "growth_pct_yr": ("growth", None),
    "exercises_troops": ("ex", "ex"),
    "deployment_troops": ("dep", "dep"),
    "sanctions_finance": ("sfin", "sfin"),
    "sanctions_energy": ("sene", "sene"),
    "sanctions_defence": ("sdef", "sdef"),
    "dialogue": ("dlg", "dlg"),
    "hybrid": ("hyb", "hyb"),
    "military_aid": ("aid", "aid"),
    "partnership": ("part", "part"),
    "intel_sharing": ("intel", "intel"),
    "commitment": ("commit", "commit"),
}


class Shock:
    """One scenario event, applied (and possibly undone) as a Mesa event."""

    def __init__(self, model: FlashpointModel, event: Event) -> None:
        self.model = model
        self.event = event
        self._saved: list[tuple] = []

    def _columns(self, target: str) -> list[tuple[np.ndarray, int, str, float, float]]:
        """(array, row, kind, lowest, highest) of each array the target's effect changes."""
        m = self.model
        who, var = target.split(".", 1)
        if "-" in who:
            a, b = (m.index[x] for x in who.split("-", 1))
            k = m.pair_lookup[frozenset((a, b))]
            lo, hi, _ = PAIR_VARIABLES[var]
            return [(m.impulse if var == "tension" else m.ac, k, "pair:" + var, lo, hi)]
        lo, hi, _ = ACTOR_VARIABLES[var]
        i = m.index[who]
        if var == "spending_pct_gdp":
            return [(m.milex, i, "spending", lo, hi)]
        name, base = ACTOR_TARGETS[var]
        cols = [(getattr(m, name), i, name, lo, hi)]
        if base is not None:
            cols.append((m.baseline[base], i, name, lo, hi))
        return cols

    def apply(self) -> None:
        """Apply every effect (called by Mesa at the event's time)."""
        m = self.model
        self._saved = []
        for eff in self.event.effects:
            for arr, c, name, lo, hi in self._columns(eff.target):
                old = arr[c].copy()
                if name == "pair:tension":
                    cur = m.tension[c]
                    new = np.clip(_change(cur, eff), lo, hi)
                    arr[c] += new - cur
                    continue
                if name == "spending":
                    pct = np.clip(_change(100.0 * arr[c] / m.gdp[c], eff), lo, hi)
                    arr[c] = m.gdp[c] * pct / 100.0
                else:
                    arr[c] = np.clip(_change(arr[c], eff), lo, hi)
                self._saved.append((arr, c, old, arr[c].copy(), lo, hi))
        m.recorder.shock(self.event.name, self.event.description, undo=False)
        if self.event.duration_months:
            m.schedule_event(self.undo, after=self.event.duration_months / m.months)

    def undo(self) -> None:
        """Undo the effects: restore what the event changed by the change it made."""
        for arr, c, old, new, lo, hi in self._saved:
            arr[c] = np.clip(arr[c] - (new - old), lo, hi)
        self._saved = []
        self.model.recorder.shock(self.event.name, "", undo=True)


def _change(cur: np.ndarray, eff) -> np.ndarray:
    if eff.set is not None:
        return np.full_like(cur, eff.set)
    if eff.add is not None:
        return cur + eff.add
    return cur * eff.scale
