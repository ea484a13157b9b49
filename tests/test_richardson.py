"""Analytic layer: Richardson's arms race against its closed form."""

from pathlib import Path

import numpy as np
import pytest
from scipy.linalg import expm

from sim import load_scenario
from sim.engine.model import FlashpointModel
from sim.submodels.richardson import fixed_point

DATA = Path(__file__).resolve().parent / "data"

K, L, A, B, G, H = 0.3, 0.2, 0.6, 0.5, 2.0, 1.0


def _run(overrides=(), steps=600):
    sc = load_scenario(DATA / "richardson.yaml", list(overrides))
    m = FlashpointModel(sc, replicates=1, seed=0, record="summary")
    xs = [m.state.milex_usd_bn[:, 0].copy()]
    for _ in range(steps):
        m.step()
        xs.append(m.state.milex_usd_bn[:, 0].copy())
    return np.array(xs)


def test_converges_to_closed_form_when_ab_gt_kl():
    assert A * B > K * L
    x_star, y_star = fixed_point(K, L, A, B, G, H)
    xs = _run(steps=1200)
    assert xs[-1, 0] == pytest.approx(x_star, rel=1e-9)
    assert xs[-1, 1] == pytest.approx(y_star, rel=1e-9)
    # the closed form itself: x* = (bg + kh)/(ab - kl), y* = (ah + lg)/(ab - kl)
    assert x_star == pytest.approx((B * G + K * H) / (A * B - K * L))
    assert y_star == pytest.approx((A * H + L * G) / (A * B - K * L))


def test_transient_matches_closed_forms():
    """Monthly Euler equals its own closed form x_n = x* + (I + dt M)^n (x0 - x*) to 1e-10,
    and tracks the continuous solution x* + expm(M t)(x0 - x*) within 2% over 5 years."""
    xs = _run(steps=60)
    m = np.array([[-A, K], [L, -B]])
    c = np.array([G, H])
    x0 = xs[0]
    star = np.linalg.solve(-m, c)
    step = np.eye(2) + m / 12.0
    discrete = star + np.linalg.matrix_power(step, 60) @ (x0 - star)
    assert xs[60] == pytest.approx(discrete, rel=1e-10)
    exact = star + expm(m * 5.0) @ (x0 - star)
    assert xs[60] == pytest.approx(exact, rel=2e-2)


def test_runs_away_when_ab_lt_kl():
    over = ["actors.X.doctrine.reaction=0.9", "actors.Y.doctrine.reaction=0.8"]
    assert A * B < 0.9 * 0.8
    xs = _run(over, steps=240)
    assert xs[-1, 0] > 20 * xs[0, 0]
    assert np.all(np.diff(xs[120:, 0]) > 0)  # monotone growth once the unstable mode dominates


def test_auto_grievance_is_a_fixed_point():
    over = ["actors.X.doctrine.grievance=auto", "actors.Y.doctrine.grievance=auto"]
    xs = _run(over, steps=120)
    np.testing.assert_allclose(xs[-1], xs[0], rtol=1e-12)


def test_quarterly_steps_reach_the_same_fixed_point():
    sc = load_scenario(DATA / "richardson.yaml", ["time_step_months=3", "steps=400"])
    m = FlashpointModel(sc, replicates=1, seed=0, record="summary")
    m.run(400)
    x_star, y_star = fixed_point(K, L, A, B, G, H)
    assert m.state.milex_usd_bn[:, 0] == pytest.approx([x_star, y_star], rel=1e-9)
