from pathlib import Path

import pytest

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
