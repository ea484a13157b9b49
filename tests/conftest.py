import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

from sim.engine.model import FlashpointModel
from sim.variables import VARIABLES

# Property tests: a quick profile by default; CI also runs HYPOTHESIS_PROFILE=thorough (.ci/run).
# Both are derandomized so that a run is repeatable; HYPOTHESIS_PROFILE=explore searches afresh.
settings.register_profile("default", max_examples=20, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=200, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("explore", max_examples=500, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config):
    """Compile the kernels once, before pytest-xdist starts its workers (they load the cache)."""
    if not hasattr(config, "workerinput"):  # the controller, or a run without xdist
        from sim import compile_kernels

        compile_kernels()
SCENARIOS = ROOT / "scenarios"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def baseline():
    from sim import load_scenario

    return load_scenario(SCENARIOS / "baseline.yaml")


@pytest.fixture(scope="session")
def invasion():
    from sim import load_scenario

    return load_scenario(SCENARIOS / "invasion-2022.yaml")


def _simulate(scenario, steps=None, **kwargs):
    """Build a FlashpointModel, run it ``steps`` steps and return it (for tests of its state)."""
    from sim import FlashpointModel

    kwargs.setdefault("record", "summary")
    m = FlashpointModel(scenario, **kwargs)
    m.run(steps)
    return m


@pytest.fixture(scope="session")
def simulate():
    """``simulate(scenario, steps, **model_kwargs)`` -> the model after the run."""
    return _simulate


def _check_state(m: FlashpointModel) -> None:
    """Every state variable of the registry is finite and inside its declared range."""
    st = m.state
    for v in VARIABLES:
        if not v.state:
            continue
        arr = getattr(st, v.name)
        assert np.all(np.isfinite(arr)), v.name
        assert np.all((arr >= v.lo) & (arr <= v.hi)), (v.name, arr.min(), arr.max())
    for name, arr in st.arrays().items():
        assert np.all(np.isfinite(arr)), name
    assert np.all(st.gdp_usd_bn > 0)
    assert st.rung.dtype == np.int8
    assert np.all(st.milex_usd_bn <= m.params.arms.max_spending_pct / 100 * st.gdp_usd_bn
                  * (1 + 1e-12))


def _run_checked(sc, R, steps, seed=0):
    m = FlashpointModel(sc, replicates=R, seed=seed, record="summary")
    _check_state(m)
    thr = m.thresholds
    h = m.params.escalation.hysteresis
    for _ in range(steps):
        old = m.state.rung.copy()
        m.step()
        _check_state(m)
        new = m.state.rung.astype(int)
        d = new - old
        # a rung is entered only with tension at or above its threshold, left only below the
        # threshold minus hysteresis, and at most one rung plus one miscalculation a step; armed
        # conflict (rung 5 and up) only by decision: any jump, but never by tension alone
        assert np.all((np.abs(d) <= 2) | (new >= 5))
        assert np.all(new[(new > old) & (new >= 5)] >= 5)
        up = d > 0
        assert np.all(m.state.tension[up] >= thr[new[up]])
        down = (d < 0) & (old <= 4)  # a ceasefire ends armed conflict by decision
        hysteresis = np.broadcast_to(h, m.state.tension.shape)[down]
        assert np.all(m.state.tension[down] < thr[old[down].astype(int)] - hysteresis)
        assert np.all(m.state.tension[new >= 5] >= thr[new[new >= 5]])
    return m




@pytest.fixture(scope="session")
def check_state():
    """``check_state(model)``: every registry variable finite and in range, spending under the ceiling."""
    return _check_state


@pytest.fixture(scope="session")
def run_checked():
    """``run_checked(scenario, R, steps, seed)``: run a model checking invariants at every step."""
    return _run_checked


def _load_module(path: Path):
    """Import a helper script (not part of the package) by its path."""
    import importlib.util
    import sys

    name = f"flashpoint_helper_{path.stem}"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def golden():
    """tests/golden/make_golden.py (the cases and the frame each golden file holds)."""
    return _load_module(Path(__file__).resolve().parent / "golden" / "make_golden.py")


@pytest.fixture(scope="session")
def gen_params():
    """docs/gen_params.py (renders the ODD's parameter tables from the schema)."""
    return _load_module(ROOT / "docs" / "gen_params.py")
