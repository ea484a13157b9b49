"""flashpoint: agent-based simulation of NATO-Russia security dynamics on Mesa.

Public API::

    from sim import load_scenario, run
    result = run(load_scenario("scenarios/baseline.yaml"), seed=1, replicates=100)
    result.timeseries, result.events, result.summary   # pandas objects

The names are imported on first use (PEP 562), so that ``flashpoint --help``, ``validate``,
``scenarios`` and ``schema`` never import Mesa, pandas or matplotlib.
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

try:
    __version__ = version("flashpoint")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+source"

_PUBLIC = {
    "FlashpointModel": ".engine.model",
    "parameter_space": ".engine.params",
    "check_vary": ".engine.params",
    "satisfies": ".engine.params",
    "enforce_rules": ".engine.params",
    "Result": ".engine.runner",
    "run": ".engine.runner",
    "series_names": ".engine.runner",
    "is_when_outcome": ".engine.runner",
    "ScenarioError": ".scenario.errors",
    "ScenarioErrors": ".scenario.errors",
    "load_scenario": ".scenario.loader",
    "read_document": ".scenario.loader",
    "validate_document": ".scenario.loader",
    "OutputError": ".scenario.errors",
    "with_run_settings": ".engine.runner",
    "tune_malloc": ".engine.perf",
    "available_cores": ".processes",
    "die_with_parent": ".processes",
    "worker_start": ".processes",
    "start_module": ".processes",
    "check_memory": ".engine.runner",
    "compile_kernels": ".engine.warm",
    "RunInfo": ".io.figure_data",
    "run_info": ".io.figure_data",
    "tension_inputs": ".io.figure_data",
    "TENSION_VARIABLES": ".io.figure_data",
    "prepare_output": ".io.output",
    "write_folder": ".io.output",
    "write_provenance": ".io.output",
    "locked": ".io.files",
    "publish": ".io.ledger",
    "check_output_file": ".io.ledger",
    "is_ours": ".io.ledger",
    "Scenario": ".scenario.schema",
    "Event": ".scenario.schema",
    "bundled_names": ".scenario.bundled",
    "json_schema": ".scenario.schema",
    "RUNGS": ".submodels.ladder",
    "VARIABLES": ".variables",
    "percentile_label": ".arrays",
}
"""Each public name and the module that defines it."""

__all__ = sorted([*_PUBLIC, "__version__"])

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs
    from .arrays import percentile_label as percentile_label
    from .engine.model import FlashpointModel as FlashpointModel
    from .engine.params import check_vary as check_vary
    from .engine.params import enforce_rules as enforce_rules
    from .engine.params import parameter_space as parameter_space
    from .engine.params import satisfies as satisfies
    from .engine.perf import tune_malloc as tune_malloc
    from .engine.runner import Result as Result
    from .engine.runner import check_memory as check_memory
    from .engine.runner import is_when_outcome as is_when_outcome
    from .engine.runner import run as run
    from .engine.runner import series_names as series_names
    from .engine.runner import with_run_settings as with_run_settings
    from .engine.warm import compile_kernels as compile_kernels
    from .io.figure_data import TENSION_VARIABLES as TENSION_VARIABLES
    from .io.figure_data import RunInfo as RunInfo
    from .io.figure_data import run_info as run_info
    from .io.figure_data import tension_inputs as tension_inputs
    from .io.files import locked as locked
    from .io.ledger import check_output_file as check_output_file
    from .io.ledger import is_ours as is_ours
    from .io.ledger import publish as publish
    from .io.output import prepare_output as prepare_output
    from .io.output import write_folder as write_folder
    from .io.output import write_provenance as write_provenance
    from .processes import available_cores as available_cores
    from .processes import die_with_parent as die_with_parent
    from .processes import start_module as start_module
    from .processes import worker_start as worker_start
    from .scenario.bundled import bundled_names as bundled_names
    from .scenario.errors import OutputError as OutputError
    from .scenario.errors import ScenarioError as ScenarioError
    from .scenario.errors import ScenarioErrors as ScenarioErrors
    from .scenario.loader import load_scenario as load_scenario
    from .scenario.loader import read_document as read_document
    from .scenario.loader import validate_document as validate_document
    from .scenario.schema import Event as Event
    from .scenario.schema import Scenario as Scenario
    from .scenario.schema import json_schema as json_schema
    from .submodels.ladder import RUNGS as RUNGS
    from .variables import VARIABLES as VARIABLES


def __getattr__(name: str):
    """Import a public name from its module on first use."""
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'sim' has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
