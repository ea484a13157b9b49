"""The parameters ``flashpoint calibrate`` fits, each with a prior and the reason for it.

A small set chosen by screening (Grimm et al. 2005 on pattern-oriented calibration: few
parameters, several patterns). Morris screening of all the registry's priors on the uncalibrated
hindcast's loss (:mod:`sim.calibration.screen`; ``python docs/calibration_checks.py``) ranks
them; the fit takes **the 12 largest mu* of the whole loss and the 3 largest of its no-war term**
(15; a slow test checks that the set is what the rule picks). Every other constant keeps its
prior: the fit draws it from the prior in every simulation (its uncertainty is integrated over,
not fixed at a default), and a calibrated run draws it for each posterior member as the accepted
simulation drew it.
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
    # the 12 largest mu* of the loss (screening of historical-2014 uncalibrated: 8 trajectories,
    # 4 levels, 4 noise replicates a point, seed 1; tests/test_abc.py checks the choice)
    CalibratedParameter("submodels.incidents.base_rate", 0.2, 5.0,
                        "incidents a month at unit activity: the 2014 count is ~5, 2016-17 <1",
                        "loguniform"),
    CalibratedParameter("submodels.incidents.transparency", 1.5, 6.0,
                        "how far dialogue and arms control cut incidents (log scale): the "
                        "default of 3 within a factor of two", "loguniform"),
    CalibratedParameter("submodels.threat.forces_ref", 15000.0, 60000.0,
                        "the forces near a border that read as a full signal: the default "
                        "(RAND 2016's 30,000) within a factor of two", "loguniform"),
    CalibratedParameter("submodels.arms.threat_threshold", 0.0, 0.5,
                        "from budgets that answer any threat to ones that answer only a grave "
                        "one (Jones and Baumgartner 2005)"),
    CalibratedParameter("submodels.incidents.activity_exponent", 1.0, 3.0,
                        "how steeply incidents rise with activity near the border"),
    CalibratedParameter("submodels.threat.exercises_ref", 25000.0, 100000.0,
                        "the exercise that reads as a full signal: the default (Trident "
                        "Juncture's size) within a factor of two", "loguniform"),
    CalibratedParameter("submodels.threat.w_aggression", 0.0, 3.0,
                        "the threat others read in a use of force against a third state: the "
                        "answer to Crimea and Donbas (2014) is in the fit window"),
    CalibratedParameter("submodels.threat.aggression_half_life", 12.0, 120.0,
                        "how long a use of force is remembered: the NATO-Russia Council met "
                        "within a year of the Georgian war; the answer to Crimea still grew five "
                        "years on", "loguniform"),
    CalibratedParameter("submodels.decisions.pain_scale", 5.0, 40.0,
                        "the growth lost to sanctions that cancels a unit of escalation: a deep "
                        "recession to a pain forward postures hardly feel", "loguniform"),
    CalibratedParameter("actors.Russia.doctrine.cost_sensitivity", 0.0, 5.0,
                        "how much sanctions pain restrains Russia (its spending fell after 2016)"),
    CalibratedParameter("actors.Russia.doctrine.responsiveness", 0.075, 0.225,
                        "the share of the gap to its target posture Russia closes a month: its "
                        "scenario value, half its distance to 0 either side"),
    CalibratedParameter("actors.US.doctrine.threat_spending", 0.5, 2.0,
                        "the US's multiplier of the budgets' answer to threat: its scenario "
                        "value within a factor of two", "loguniform"),
    # the 3 largest mu* of the no-war term (attack_hazard is not among the loss's 12 here)
    CalibratedParameter("submodels.escalation.attack_hazard", 0.02, 0.3,
                        "a clearly undefended state taken within one to four years of the "
                        "chance", "loguniform"),
    CalibratedParameter("submodels.escalation.decision_scale", 0.03, 0.3,
                        "a challenger that reads margins to a few hundredths to one that barely "
                        "tells them apart (Fearon 1995)", "loguniform"),
    CalibratedParameter("submodels.deterrence.reinforcement_troops", 0.0, 20000.0,
                        "from no reinforcement in time (RAND 2016) to the spearhead and the "
                        "first NATO Response Force brigades"),
)
"""The fitted parameters (at most 15)."""
