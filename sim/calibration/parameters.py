"""The parameters ``flashpoint calibrate`` fits, each with a prior range and the reason for it.

A small declared set (Grimm et al. 2005 on pattern-oriented calibration: few parameters, several
patterns): the ones the hindcast's patterns are most sensitive to and that data up to 2019 can
inform. Everything else keeps its reasoned default.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CalibratedParameter:
    """One fitted parameter: a ``vary`` path, its prior range and why that range."""

    path: str
    lo: float
    hi: float
    reason: str


CALIBRATED: tuple[CalibratedParameter, ...] = (
    CalibratedParameter("submodels.arms.pledge_rate", 0.2, 3.0,
                        "how fast pledged shares are approached: from not at all in a decade to "
                        "within a year"),
    CalibratedParameter("actors.NATO.military.pledge_pct_gdp", 1.47, 2.0,
                        "the aggregate's effective pledge: from no move (2014's 1.47 %) to the "
                        "full 2 %"),
    CalibratedParameter("submodels.incidents.base_rate", 0.2, 5.0,
                        "incidents a month at unit activity: the 2014 count is ~5, 2016-17 <1"),
    CalibratedParameter("submodels.incidents.activity_exponent", 1.0, 3.0,
                        "how steeply incidents rise with activity near the border"),
    CalibratedParameter("submodels.tension.relaxation", 0.05, 0.5,
                        "how fast tension returns to its target: a half-life of 1-13 months"),
    CalibratedParameter("submodels.tension.w_threat", 20.0, 100.0,
                        "tension points per unit mean threat"),
    CalibratedParameter("actors.Russia.doctrine.threat_sensitivity", 0.3, 3.0,
                        "Russia's reading of western forces as threat"),
    CalibratedParameter("actors.Russia.doctrine.reciprocity", 0.0, 1.0,
                        "how far Russia matches western activity"),
    CalibratedParameter("actors.NATO.doctrine.reciprocity", 0.0, 1.0,
                        "how far NATO matches Russian activity"),
    CalibratedParameter("actors.Russia.doctrine.cost_sensitivity", 0.0, 5.0,
                        "how much sanctions pain restrains Russia (its spending fell after 2016)"),
    CalibratedParameter("submodels.threat.w_aggression", 0.0, 3.0,
                        "the threat others read in a use of force against a third state: the "
                        "answer to Crimea and Donbas (2014) is in the fit window"),
)
"""The fitted parameters (at most 15, as the calibration issue asks)."""
