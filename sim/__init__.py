"""flashpoint: agent-based simulation of NATO-Russia security dynamics on Mesa.

Public API::

    from sim import load_scenario, run
    result = run(load_scenario("scenarios/baseline.yaml"), seed=1, replicates=100)
    result.timeseries, result.events, result.summary   # pandas objects
"""

from importlib.metadata import PackageNotFoundError, version

from .errors import ScenarioError
from .ladder import RUNGS
from .loader import load_scenario
from .model import FlashpointModel
from .runner import Result, run
from .schema import Scenario, json_schema

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
    "run",
]
