"""The parameters ``flashpoint calibrate`` fits, each with a prior and the reason for it.

A small set chosen by screening (Grimm et al. 2005 on pattern-oriented calibration: few
parameters, several patterns). Morris screening of all the registry's priors on the hindcast's
loss (:mod:`sim.calibration.screen`; ``python docs/calibration_checks.py``) ranks them; the fit
takes **the 12 largest mu* of the whole loss and the 3 largest of its no-war term** (14 distinct:
``attack_hazard`` is in both). Every other constant keeps its prior: the fit draws it from the
prior in every simulation (its uncertainty is integrated over, not fixed at a default), and a
calibrated run draws it for each posterior member as the accepted simulation drew it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class CalibratedParameter:
    """One fitted parameter: a ``vary`` path, its prior and why that range."""

    path: str
    lo: float
    hi: float
    reason: str
    distribution: Literal["uniform", "loguniform"] = "uniform"


CALIBRATED: tuple[CalibratedParameter, ...] = (
    # the 12 largest mu* of the loss (screening: 8 trajectories, 4 noise replicates, seed 1)
    CalibratedParameter("submodels.incidents.base_rate", 0.2, 5.0,
                        "incidents a month at unit activity: the 2014 count is ~5, 2016-17 <1",
                        "loguniform"),
    CalibratedParameter("submodels.incidents.transparency", 1.5, 6.0,
                        "how far dialogue and arms control cut incidents (log scale): the "
                        "default of 3 within a factor of two", "loguniform"),
    CalibratedParameter("submodels.arms.max_spending_pct", 6.0, 24.0,
                        "the fiscal ceiling on defence spending, % of GDP: the default of 12 "
                        "within a factor of two", "loguniform"),
    CalibratedParameter("actors.US.doctrine.threat_sensitivity", 0.5, 2.0,
                        "the US's reading of Russian forces as threat: its scenario value "
                        "within a factor of two", "loguniform"),
    CalibratedParameter("submodels.arms.threat_threshold", 0.0, 0.5,
                        "from budgets that answer any threat to ones that answer only a grave "
                        "one (Jones and Baumgartner 2005)"),
    CalibratedParameter("submodels.incidents.activity_exponent", 1.0, 3.0,
                        "how steeply incidents rise with activity near the border"),
    CalibratedParameter("submodels.threat.w_forces", 0.225, 0.9,
                        "the weight of forces near the border in perceived threat: the default "
                        "within a factor of two", "loguniform"),
    CalibratedParameter("submodels.escalation.attack_hazard", 0.02, 0.3,
                        "a clearly undefended state taken within one to four years of the "
                        "chance", "loguniform"),
    CalibratedParameter("submodels.threat.aggression_half_life", 12.0, 120.0,
                        "how long a use of force is remembered: the NATO-Russia Council met "
                        "within a year of the Georgian war; the answer to Crimea still grew five "
                        "years on", "loguniform"),
    CalibratedParameter("submodels.threat.w_aggression", 0.0, 3.0,
                        "the threat others read in a use of force against a third state: the "
                        "answer to Crimea and Donbas (2014) is in the fit window"),
    CalibratedParameter("submodels.threat.exercises_ref", 25000.0, 100000.0,
                        "the exercise that reads as a full signal: the default (Trident "
                        "Juncture's size) within a factor of two", "loguniform"),
    CalibratedParameter("actors.Russia.doctrine.cost_sensitivity", 0.0, 5.0,
                        "how much sanctions pain restrains Russia (its spending fell after 2016)"),
    # the 3 largest mu* of the no-war term beside attack_hazard
    CalibratedParameter("submodels.deterrence.stakes", 0.5, 2.0,
                        "a fait accompli worth half to twice a war's cost to the challenger",
                        "loguniform"),
    CalibratedParameter("submodels.escalation.decision_scale", 0.03, 0.3,
                        "a challenger that reads margins to a few hundredths to one that barely "
                        "tells them apart (Fearon 1995)", "loguniform"),
)
"""The fitted parameters (at most 15)."""
