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

if TYPE_CHECKING:
    from .model import FlashpointModel
    from .schema import Event

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
BOUNDED = {"strat", "ready", "resolve", "sfin", "sene", "sdef", "dlg", "hyb", "aid", "part",
           "intel", "commit"}


class Shock:
    """One scenario event, applied (and possibly undone) as a Mesa event."""

    def __init__(self, model: FlashpointModel, event: Event) -> None:
        self.model = model
        self.event = event
        self._saved: list[tuple] = []

    def _columns(self, target: str) -> list[tuple[np.ndarray, int, str]]:
        m = self.model
        who, var = target.split(".", 1)
        if "-" in who:
            a, b = (m.index[x] for x in who.split("-", 1))
            k = next(k for k, (x, y) in enumerate(m.pairs) if {x, y} == {a, b})
            return [(m.impulse if var == "tension" else m.ac, k, "pair:" + var)]
        name, base = ACTOR_TARGETS.get(var, (None, None))
        i = m.index[who]
        if var == "spending_pct_gdp":
            return [(m.milex, i, "spending")]
        cols = [(getattr(m, name), i, name)]
        if base is not None:
            cols.append((m.baseline[base], i, name))
        return cols

    def apply(self) -> None:
        """Apply every effect (called by Mesa at the event's time)."""
        m = self.model
        self._saved = []
        for eff in self.event.effects:
            for arr, c, name in self._columns(eff.target):
                old = arr[c].copy()
                if name == "pair:tension":
                    cur = m.tension[c]
                    new = (eff.set - cur if eff.set is not None else
                           eff.add if eff.add is not None else cur * (eff.scale - 1.0))
                    arr[c] += new
                    continue
                if name == "spending":
                    pct = 100.0 * arr[c] / m.gdp[c]
                    pct = _change(pct, eff)
                    arr[c] = m.gdp[c] * np.maximum(pct, 0.0) / 100.0
                else:
                    val = np.maximum(_change(arr[c], eff), 0.0)
                    arr[c] = np.minimum(val, 1.0) if name in BOUNDED else val
                self._saved.append((arr, c, old, arr[c].copy(), name in BOUNDED))
        m.recorder.shock(self.event.name, self.event.description, undo=False)
        if self.event.duration_months:
            m.schedule_event(self.undo, after=self.event.duration_months / m.months)

    def undo(self) -> None:
        """Undo the effects: restore what the event changed by the change it made."""
        for arr, c, old, new, bounded in self._saved:
            arr[c] = np.clip(arr[c] - (new - old), 0.0, 1.0 if bounded else np.inf)
        self._saved = []
        self.model.recorder.shock(self.event.name, "", undo=True)


def _change(cur: np.ndarray, eff) -> np.ndarray:
    if eff.set is not None:
        return np.full_like(cur, eff.set)
    if eff.add is not None:
        return cur + eff.add
    return cur * eff.scale
