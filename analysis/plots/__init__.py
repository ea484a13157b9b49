"""Figures and reports from results folders: ``flashpoint plot``, ``compare`` and ``report``.

Every figure reads what ``flashpoint run`` (or ``sweep``) wrote, so a figure can be redrawn
from a results folder long after the run; ``compare`` runs two scenarios on common random
numbers and plots their paired difference.
"""

from .compare import compare
from .figures import KINDS, Drawn, figure, plot
from .report import report
from .results import RunResults, as_results, load_results

__all__ = ["KINDS", "Drawn", "RunResults", "as_results", "compare", "figure", "load_results",
           "plot", "report"]
