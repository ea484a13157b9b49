"""Figures and reports: ``flashpoint plot``, ``compare`` and ``report``, and the run's own figure.

Every figure reads what ``flashpoint run`` (or ``sweep``) wrote, so a figure can be redrawn
from a results folder long after the run; ``compare`` runs two scenarios on common random
numbers and plots their paired difference (:mod:`.comparison`), ``report`` writes a page
(:mod:`.reporting`). :mod:`.run` draws a run's ``tension.png`` in the house style every figure
shares (colours, rung shading, event labels) and :mod:`.worker` draws it in a second process
while ``flashpoint run`` writes its tables. Names are imported on first use, so that the drawing
process imports only what one figure needs.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

_PUBLIC = {"compare": ".comparison", "report": ".reporting", "KINDS": ".figures",
           "Drawn": ".figures", "figure": ".figures", "plot": ".figures",
           "RunResults": ".results", "as_results": ".results", "load_results": ".results"}
"""Each public name and the module that defines it."""

__all__ = sorted(_PUBLIC)

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs
    from .comparison import compare as compare
    from .figures import KINDS as KINDS
    from .figures import Drawn as Drawn
    from .figures import figure as figure
    from .figures import plot as plot
    from .reporting import report as report
    from .results import RunResults as RunResults
    from .results import as_results as as_results
    from .results import load_results as load_results


def __getattr__(name: str):
    """Import a public name from its module on first use."""
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'analysis.plots' has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
