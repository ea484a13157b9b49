"""flashpoint: agent-based simulation of NATO-Russia security dynamics on Mesa.

Public API::

    from sim import load_scenario, run
    result = run(load_scenario("scenarios/baseline.yaml"), seed=1, replicates=100)
    result.timeseries, result.events, result.summary   # pandas objects
"""

from importlib.metadata import PackageNotFoundError, version

from .engine.model import FlashpointModel
from .engine.params import parameter_space
from .engine.runner import Result, run
from .scenario.errors import ScenarioError
from .scenario.loader import load_scenario
from .scenario.schema import Scenario, json_schema
from .submodels.ladder import RUNGS

try:
    __version__ = version("flashpoint")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+source"

__all__ = [
    "RUNGS",
    "FlashpointModel",
    "Result",
    "Scenario",
    "ScenarioError",
    "__version__",
    "json_schema",
    "load_scenario",
    "parameter_space",
    "run",
]
