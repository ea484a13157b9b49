import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

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


def simulate(scenario, steps=None, **kwargs):
    """Build a FlashpointModel, run it ``steps`` steps and return it (for tests of its state)."""
    from sim import FlashpointModel

    kwargs.setdefault("record", "summary")
    m = FlashpointModel(scenario, **kwargs)
    m.run(steps)
    return m
