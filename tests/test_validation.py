"""Issue 25, item 4: validation that can fail. Proper scoring rules against closed forms, and the
rolling origin (fit to 2016, forecast 2017-2019) against persistence and a linear trend."""

import numpy as np
import pytest
from scipy import stats

from sim.calibration.validate import crps, interval_score, rolling_origin


def test_crps_of_an_ensemble_is_the_closed_form():
    """For N(mu, s): CRPS = s (z (2 Phi(z) - 1) + 2 phi(z) - 1 / sqrt(pi)), z = (y - mu) / s;
    for a point forecast, the absolute error."""
    draws = stats.norm.ppf((np.arange(20000) + 0.5) / 20000, loc=1.0, scale=0.5)
    for y in (1.0, 1.7, -0.4):
        z = (y - 1.0) / 0.5
        closed = 0.5 * (z * (2 * stats.norm.cdf(z) - 1) + 2 * stats.norm.pdf(z) - 1 / np.sqrt(np.pi))
        assert crps(draws, y) == pytest.approx(closed, rel=2e-3)
    assert crps(np.array([2.0]), 2.5) == pytest.approx(0.5)
    assert crps(np.full(10, 3.0), 1.0) == pytest.approx(2.0)


def test_interval_score_rewards_narrow_bands_that_cover():
    assert interval_score(1.0, 2.0, 1.5) == 1.0
    assert interval_score(1.0, 2.0, 0.5, alpha=0.1) == pytest.approx(1.0 + 20 * 0.5)
    assert interval_score(1.0, 2.0, 2.25, alpha=0.5) == pytest.approx(1.0 + 4 * 0.25)


@pytest.mark.slow
def test_fit_to_2016_forecasts_2017_to_2019_better_than_persistence():
    """The issue's standard, inside the data: CRPS beats persistence of the last observed share
    and a linear trend; the 90 % bands cover at least 75 % of the held-back actor-years."""
    v = rolling_origin(origin=2016, particles=500, generations=4, seed=1)
    s = v.summary()
    assert s["points"] == 21  # seven series, three years
    assert s["crps"] < s["crps_persistence"] and s["crps"] < s["crps_trend"]
    assert s["coverage_90"] >= 0.75
    assert all(r["year"] > 2016 for r in v.rows)
    assert v.settings["fit_end"] == "2016-12"
