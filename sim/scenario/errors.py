"""The error every bad input raises: it names the file, the line, the field and what is allowed."""

from __future__ import annotations

from typing import Any


def quote(value: Any, width: int = 60) -> str:
    """``repr`` of a value for a message, shortened to about ``width`` characters.

    Messages quote the offending value so the user sees what was read, but never more than a
    short piece of it: a file that is not a scenario is not echoed into the terminal.
    """
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    text = repr(value)
    if len(text) <= width:
        return text
    tail = "...'" if text.endswith("'") else "..."
    return text[: width - len(tail)] + tail


class ScenarioError(ValueError):
    """A scenario (or a command-line override) that cannot be run.

    Attributes:
        file: the file the problem is in, or ``--set`` for a command-line override.
        line: 1-based line number, when known.
        field: dotted path of the offending field, when there is one.
        problem: what is wrong and what is allowed.
    """

    def __init__(
        self, file: str, problem: str, *, line: int | None = None, field: str | None = None
    ) -> None:
        self.file = file
        self.line = line
        self.field = field
        self.problem = problem
        super().__init__(str(self))

    def __reduce__(self) -> tuple:
        """Pickled by its fields (a sweep's worker raises it in another process)."""
        return (_scenario_error, (self.file, self.problem, self.line, self.field))

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        what = f"{self.field}: " if self.field else ""
        return f"{where}: {what}{self.problem}"


class ScenarioErrors(ScenarioError):
    """Several problems found in one pass; printed one per line."""

    def __init__(self, errors: list[ScenarioError]) -> None:
        self.errors = errors
        first = errors[0]
        super().__init__(first.file, first.problem, line=first.line, field=first.field)

    def __reduce__(self) -> tuple:
        """Pickled by its errors."""
        return (ScenarioErrors, (self.errors,))

    def __str__(self) -> str:
        return "\n".join(ScenarioError.__str__(e) for e in self.errors)


def _scenario_error(file: str, problem: str, line: int | None, field: str | None
                    ) -> ScenarioError:
    return ScenarioError(file, problem, line=line, field=field)


class OutputError(OSError):
    """The output folder cannot be used: it is a file, not writable, or holds files of the user's."""


class SimulationError(RuntimeError):
    """A run produced non-finite numbers: the scenario's values are outside what the model handles."""
