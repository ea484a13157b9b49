"""The model's state: every array by its full name, replicate axis last.

Actor arrays are (N, R), pair arrays (P, R), arc arrays (2P, R), frontline arrays (F, R). Fields
named like a variable of :mod:`sim.variables` hold that variable; the rest are aggregates the phases
compute from it (what each actor perceives of its rivals and its bloc) and are named for what they
are. ``policy`` holds the policy level of each posture, readiness and commitment (the level the
decision rules steer towards; events on these move it). ``initial`` is a copy of the whole state at
t = 0: the decision rules respond to changes since then.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields

import numpy as np

from ..submodels.sanctions import mean_intensity


@dataclass(eq=False)
class State:
    """All state of R replicates (see the module docstring for shapes)."""

    # ---- actors (N, R): economy and military -------------------------------------------------
    gdp_usd_bn: np.ndarray
    growth_pct_yr: np.ndarray
    energy_dependence: np.ndarray
    milex_usd_bn: np.ndarray
    capability_usd_bn: np.ndarray
    strategic: np.ndarray
    strategic_share: np.ndarray
    pledge_pct_gdp: np.ndarray
    mobilisation: np.ndarray
    aggression: np.ndarray
    readiness: np.ndarray
    resolve: np.ndarray
    commitment: np.ndarray
    # ---- actors (N, R): postures -------------------------------------------------------------
    exercises_troops: np.ndarray
    deployment_troops: np.ndarray
    sanctions_finance: np.ndarray
    sanctions_energy: np.ndarray
    sanctions_defence: np.ndarray
    dialogue: np.ndarray
    hybrid: np.ndarray
    military_aid: np.ndarray
    partnership: np.ndarray
    intel_sharing: np.ndarray
    # ---- pairs (P, R), arcs (2P, R), frontline states (F, R) ---------------------------------
    tension: np.ndarray
    arms_control: np.ndarray
    rung: np.ndarray
    incidents: np.ndarray
    tension_impulse: np.ndarray
    perceived_threat: np.ndarray
    trust: np.ndarray
    article5_belief: np.ndarray
    deterrence_margin: np.ndarray
    denial: np.ndarray
    allied_troops: np.ndarray
    # ---- aggregates: what each actor perceives (N, R) ----------------------------------------
    activity: np.ndarray = field(default=None)  # exercises / ref + deployment / ref
    sanctions_pressure_finance: np.ndarray = field(default=None)  # on the actor, from the other bloc
    sanctions_pressure_energy: np.ndarray = field(default=None)
    sanctions_pressure_defence: np.ndarray = field(default=None)
    sanctions_pressure: np.ndarray = field(default=None)  # mean of the three
    bloc_sanctions_pressure: np.ndarray = field(default=None)  # the worst-hit member of its bloc
    threat_mean: np.ndarray = field(default=None)  # mean perceived threat over its arcs
    trust_mean: np.ndarray = field(default=None)
    tension_mean: np.ndarray = field(default=None)  # mean tension over its pairs
    rival_activity: np.ndarray = field(default=None)
    rival_hybrid: np.ndarray = field(default=None)
    growth_loss: np.ndarray = field(default=None)  # pp/yr of growth lost to sanctions
    cooperation: np.ndarray = field(default=None)  # (2P, R) net cooperation received per arc
    deterrence_shortfall: np.ndarray = field(default=None)  # (R,) mean -margin where negative
    # ---- policy levels and the state at t = 0 ------------------------------------------------
    policy: dict[str, np.ndarray] = field(default_factory=dict)
    initial: State | None = field(default=None, repr=False)

    @property
    def spending_pct_gdp(self) -> np.ndarray:
        """Defence spending, % of GDP, (N, R)."""
        return 100.0 * self.milex_usd_bn / self.gdp_usd_bn

    @property
    def sanctions_mean(self) -> np.ndarray:
        """Mean of an actor's three sanctions intensities, (N, R)."""
        return mean_intensity(self.sanctions_finance, self.sanctions_energy,
                              self.sanctions_defence)

    def snapshot(self) -> State:
        """A deep copy without its own ``initial`` (what ``initial`` holds)."""
        clone = copy.copy(self)
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, np.ndarray):
                setattr(clone, f.name, value.copy())
        clone.policy = {k: v.copy() for k, v in self.policy.items()}
        clone.initial = None
        return clone

    def arrays(self) -> dict[str, np.ndarray]:
        """Every array field by name (for checks and tests)."""
        return {f.name: getattr(self, f.name) for f in fields(self)
                if isinstance(getattr(self, f.name), np.ndarray)}
