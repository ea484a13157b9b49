"""Dated events and shocks: external factors entering the model at a date.

An event's effects act on an actor variable (``Russia.deployment_troops``) or a pair variable
(``NATO-Russia.tension``) by ``set``, ``add`` or ``scale``. Effects on postures, readiness and
commitment change the policy level too (a decision, which the actor's rule then holds); effects on
state variables (GDP, growth, spending, capability, strategic systems, resolve) move the state,
which the dynamics then carry on. A tension effect is an impulse. With ``duration_months`` the
effects are undone that many months later (an attention shift, a temporary crisis elsewhere).
Shocks are scheduled as Mesa events between steps (see sim.engine.model).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..variables import ACTOR_TARGETS, BY_NAME, PAIR_TARGETS

if TYPE_CHECKING:
    from ..engine.model import FlashpointModel
    from ..scenario.schema import Event


class Shock:
    """One scenario event, applied (and possibly undone) as a Mesa event."""

    def __init__(self, model: FlashpointModel, event: Event) -> None:
        self.model = model
        self.event = event
        self._saved: list[tuple] = []

    def _columns(self, target: str) -> list[tuple[np.ndarray, int, str, float, float]]:
        """(array, row, kind, lowest, highest) of each array the target's effect changes."""
        m = self.model
        st, topo = m.state, m.topology
        who, var = target.split(".", 1)
        if "-" in who:
            a, b = who.split("-", 1)
            k = topo.pair_index(a, b)
            lo, hi, _ = PAIR_TARGETS[var]
            return [(st.tension_impulse if var == "tension" else st.arms_control, k, "pair:" + var,
                     lo, hi)]
        lo, hi, _ = ACTOR_TARGETS[var]
        i = topo.index[who]
        if var == "spending_pct_gdp":
            return [(st.milex_usd_bn, i, "spending", lo, hi)]
        cols = [(getattr(st, var), i, var, lo, hi)]
        if BY_NAME[var].policy:
            cols.append((st.policy[var], i, var, lo, hi))
        return cols

    def apply(self) -> None:
        """Apply every effect (called by Mesa at the event's time)."""
        m = self.model
        self._saved = []
        for eff in self.event.effects:
            for j, (arr, c, name, lo, hi) in enumerate(self._columns(eff.target)):
                old = arr[c].copy()
                if name == "pair:tension":
                    cur = m.state.tension[c]
                    new = np.clip(_change(cur, eff), lo, hi)
                    arr[c] += new - cur
                    continue
                if name == "spending":
                    gdp = m.state.gdp_usd_bn[c]
                    pct = np.clip(_change(100.0 * arr[c] / gdp, eff), lo, hi)
                    arr[c] = gdp * pct / 100.0
                else:
                    arr[c] = np.clip(_change(arr[c], eff), lo, hi)
                self._saved.append((eff.target, j, old, arr[c].copy()))
        m.recorder.shock(self.event.name, self.event.description, undo=False)
        if self.event.duration_months:
            m.schedule_event(self.undo, after=self.event.duration_months / m.months)

    def undo(self) -> None:
        """Undo the effects: take back the change each made, from the arrays as they are now.

        The arrays are looked up again: the phases replace some state arrays every step, so an
        array held since the event would no longer be the state's.
        """
        for target, j, old, new in self._saved:
            arr, c, _, lo, hi = self._columns(target)[j]
            arr[c] = np.clip(arr[c] - (new - old), lo, hi)
        self._saved = []
        self.model.recorder.shock(self.event.name, "", undo=True)


def _change(cur: np.ndarray, eff) -> np.ndarray:
    if eff.set is not None:
        return np.full_like(cur, eff.set)
    if eff.add is not None:
        return cur + eff.add
    return cur * eff.scale
