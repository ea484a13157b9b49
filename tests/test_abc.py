"""Issue 25, item 2: ABC-SMC (Toni et al. 2009; Beaumont et al. 2009) against models whose
posterior is known in closed form."""

import numpy as np
import pytest

from sim.calibration.abc import abc_smc
from sim.calibration.priors import Prior

FLAT = Prior("theta", "uniform", -5.0, 5.0, "-", "a wide flat prior", True)


def _normal_mean(observed: float, m: int, seed: int):
    """Distance of the mean of m N(theta, 1) draws to ``observed``; posterior N(observed, 1/m)."""
    def simulate(theta: np.ndarray, batch: int) -> np.ndarray:
        rng = np.random.default_rng([seed, batch])
        means = theta[:, 0] + rng.standard_normal((len(theta), m)).mean(axis=1)
        return np.abs(means - observed)
    return simulate


def test_abc_smc_recovers_a_normal_posterior():
    """y_bar of m = 25 draws N(theta, 1), flat prior: the likelihood of the observed mean is
    N(theta, 1/25), so theta | y ~ N(y_bar, 1/25), sd 0.2, which ABC reaches as eps -> 0.
    Tolerances: a fifth of the sd for the mean, 15 % for the sd."""
    post = abc_smc(_normal_mean(1.3, 25, 7), [FLAT], particles=2000, generations=7, seed=3)
    assert post.epsilons[-1] < 0.05 and post.epsilons == sorted(post.epsilons, reverse=True)
    sd = np.sqrt(1 / 25)
    assert post.mean()[0] == pytest.approx(1.3, abs=0.2 * sd)
    assert post.sd()[0] == pytest.approx(sd, rel=0.15)
    assert post.effective_size() > 500
    assert np.isclose(post.weights.sum(), 1.0)


def test_abc_smc_respects_the_prior_and_reproduces():
    """A truncated posterior stays inside the prior's support; the same seed gives the same
    particles bit for bit, another seed others."""
    narrow = Prior("theta", "uniform", 1.5, 4.0, "-", "truncates the likelihood", True)
    post = abc_smc(_normal_mean(1.3, 25, 7), [narrow], particles=500, generations=4, seed=5)
    assert post.particles.min() >= 1.5 and post.particles.max() <= 4.0
    assert post.mean()[0] < 1.8  # piled up against the lower bound
    again = abc_smc(_normal_mean(1.3, 25, 7), [narrow], particles=500, generations=4, seed=5)
    assert np.array_equal(post.particles, again.particles)
    other = abc_smc(_normal_mean(1.3, 25, 7), [narrow], particles=500, generations=4, seed=6)
    assert not np.array_equal(post.particles, other.particles)


def test_abc_smc_two_parameters_and_a_log_uniform_prior():
    """Data: mean and log-sd of 50 draws N(mu, sigma); priors flat on mu, log-uniform on sigma."""
    mu, sigma = 0.5, 2.0
    data = np.random.default_rng(1).normal(mu, sigma, 50)
    target = np.array([data.mean(), np.log(data.std())])

    def simulate(theta, batch):
        rng = np.random.default_rng([11, batch])
        draws = theta[:, :1] + theta[:, 1:2] * rng.standard_normal((len(theta), 50))
        stats = np.column_stack([draws.mean(axis=1), np.log(draws.std(axis=1))])
        return np.sqrt(((stats - target) ** 2).sum(axis=1))

    priors = [FLAT, Prior("sigma", "loguniform", 0.1, 10.0, "-", "scale", True)]
    post = abc_smc(simulate, priors, particles=1000, generations=6, seed=2)
    mean = post.mean()
    assert mean[0] == pytest.approx(data.mean(), abs=0.4)
    assert mean[1] == pytest.approx(data.std(), rel=0.2)
    members = post.resample(1000, np.random.default_rng(0))
    assert members.shape == (1000, 2) and (members[:, 1] > 0.1).all()


def test_calibrate_by_abc_writes_a_posterior_of_equally_weighted_draws(tmp_path):
    """flashpoint calibrate --method abc on the hindcast (tiny settings): the posterior's draws
    become the calibration's ensemble, one member a draw, inside the priors; the report says
    which parameters sit at a bound; the file runs as a calibration."""
    from pathlib import Path

    import yaml

    from sim import load_scenario, run
    from sim.calibration.parameters import CALIBRATED
    from sim.calibration.shipped import load_draws, load_ensemble
    from sim.cli import main

    data = Path(__file__).resolve().parent.parent / "data"
    out = tmp_path / "abc"
    assert main(["calibrate", "--method", "abc", "--particles", "24", "--generations", "0",
                 "--data", str(data), "--out", str(out), "-q"]) == 0
    doc = yaml.safe_load((out / "calibration.yaml").read_text())
    members = load_ensemble(out / "calibration.yaml")
    draws = load_draws(out / "calibration.yaml")
    assert doc["settings"]["method"] == "abc-smc" and len(members) == 24
    assert doc["settings"]["epsilons"] == []  # the prior's draws, accepted (no generation)
    assert draws is not None and len(draws) == 24 and len(set(draws)) > 1
    for c in CALIBRATED:
        values = [m[c.path] for m in members]
        assert c.lo <= min(values) and max(values) <= c.hi
    report = (out / "report.md").read_text()
    assert "## At a bound" in report and "## Prior and posterior" in report
    assert "## Rolling origin: fit to 2016, forecast 2017-2019" in report
    assert "| CRPS, persistence |" in report and "a war (some pair" in report
    assert (out / "posterior.png").is_file() and (out / "pairs.png").is_file()
    res = run(load_scenario("historical-2014", calibration=out / "calibration.yaml"), seed=1,
              replicates=24, steps=6, record="summary")
    assert len(res.outcomes) == 24
    # a calibrated run draws each member's unfitted constants where its fit drew them: member
    # r mod 24 for replicate r, whatever the run's seed
    from sim import FlashpointModel
    from sim.calibration.priors import draw, unfitted

    sc = load_scenario("historical-2014", calibration=out / "calibration.yaml")
    model = FlashpointModel(sc, replicates=30, seed=3)
    (w_threat,) = [p for p in unfitted(sc, {c.path for c in CALIBRATED})
                   if p.path == "submodels.tension.w_threat"]
    expected = draw([w_threat], [d[0] for d in draws], [d[1] for d in draws])[w_threat.path]
    assert np.array_equal(model.params.tension.w_threat[:24], expected)
    assert np.array_equal(model.params.tension.w_threat[24:], expected[:6])
    assert len(set(expected)) == len(set(draws)) > 1
    assert w_threat.lo <= expected.min() <= expected.max() <= w_threat.hi


def test_screening_ranks_the_constants_that_move_the_fit():
    """Morris screening over every prior, on common random numbers: the incident constants
    lead the incident targets, and constants that nothing in 2014-19 reads (the war's brake)
    do not move the loss at all."""
    from sim.calibration.screen import screen

    s = screen(trajectories=3, noise=2)
    names = [p.path for p in s.priors]
    assert len(names) > 100 and s.settings["runs"] == (len(names) + 1) * 3 * 2
    top = [name for name, _ in s.ranking("incidents_2014")[:5]]
    assert any(name.startswith("submodels.incidents.") for name in top)
    brake = names.index("submodels.escalation.nuclear_brake")
    assert s.mu_star["loss"][brake] < 0.01 * s.mu_star["loss"].max()


def test_sobol_indices_of_a_what_ifs_effect_over_the_posterior():
    """The eFP doubled's effect on tension depends on the forces that read as a full signal
    (forces_ref), not on the budgets' threat threshold, which ten years of a steady eFP never
    cross (sim.calibration.answers; a small design)."""
    from sim.calibration.answers import answer_indices, posterior_bounds
    from sim.calibration.parameters import CALIBRATED

    rng = np.random.default_rng(4)
    members = [{c.path: float(rng.uniform(c.lo, c.hi)) for c in CALIBRATED} for _ in range(50)]
    bounds = posterior_bounds(members, [c.path for c in CALIBRATED])
    assert all(c.lo <= lo < hi <= c.hi for c, (lo, hi) in zip(CALIBRATED, bounds, strict=True))
    a = answer_indices("eFP doubled", ["actors.NATO.posture.deployment_troops=6600"], members,
                       n=32, seed=1)
    assert a.effect > 0 and len(a.ST) == len(CALIBRATED)
    st = dict(zip(a.names, a.ST, strict=True))
    assert st["submodels.threat.forces_ref"] > 0.3
    assert abs(st["submodels.arms.threat_threshold"]) < 0.05


def test_spending_targets_come_from_sipri_alone_and_war_is_evidence_against():
    """One source a series: NATO's own figures in milex_gdp.csv never enter a SIPRI target; a
    replicate that went to war in 2014-2019 is WAR_ERROR units from the data, one that did not
    is not (and a fit to 2013 does not see the war window)."""
    from pathlib import Path

    from sim.calibration.targets import WAR_ERROR, Simulated, loss_terms, observed, spending_data

    data = Path(__file__).resolve().parent.parent / "data"
    spending = spending_data(data)
    assert spending["Estonia"][2015] == 1.989 and spending["US"][2017] == 3.298
    obs = observed(data)
    r = np.ones(2)
    sim = Simulated(
        spending={(a, y): np.full(2, spending[a].get(y, 1.0)) for a in spending
                  for y in range(2014, 2020)},
        incidents_2014=r * 5.0, incidents_2016_17=r * 17 / 24, efp=r * 4477.0,
        russia_forces=r * obs.russia_forces, peak_2014_15=r * 60.0, mean_2017_19=r * 50.0,
        first_war_year=np.array([2016.0, np.inf]))
    terms = loss_terms(sim, obs)
    assert terms["no_war"].tolist() == [WAR_ERROR ** 2, 0.0]
    assert terms["spending"].max() == 0.0 and terms["efp"].max() < 1e-6
    assert terms["no_war"].tolist() == loss_terms(sim, obs, fit_end=2016)["no_war"].tolist()
    sim.first_war_year = np.array([2018.0, np.inf])
    assert loss_terms(sim, obs, fit_end=2016)["no_war"].tolist() == [0.0, 0.0]


@pytest.mark.slow
def test_the_fitted_set_is_what_screening_picks():
    """CALIBRATED is the 12 largest mu* of the loss and the 3 largest of the no-war term in the
    screening docs/calibration_checks.py runs (8 trajectories, 4 noise replicates, seed 1)."""
    from sim.calibration.parameters import CALIBRATED
    from sim.calibration.screen import screen

    s = screen(trajectories=8, noise=4, seed=1)
    chosen = {n for n, _ in s.ranking()[:12]} | {n for n, _ in s.ranking("no_war")[:3]}
    assert chosen == {c.path for c in CALIBRATED}
