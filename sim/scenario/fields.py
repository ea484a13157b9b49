"""What the schema's fields are: which are real-valued parameters, and their bounds.

Read from the schema's own annotations (:mod:`sim.scenario.schema`), so that the parameter
space (:func:`sim.parameter_space`), the named parameter arrays the kernels take
(:mod:`sim.kernels.parameters`) and the checks of ``vary`` all follow one declaration.
"""

from __future__ import annotations

import types
import typing

import numpy as np
from annotated_types import Ge, Gt, Le, Lt
from pydantic import BaseModel


def file_fields(model: type[BaseModel]) -> list[str]:
    """The fields a file may write, in declaration order (not those the loader sets)."""
    return [n for n, info in model.model_fields.items() if not info.exclude]


def is_real(model: type[BaseModel], name: str) -> bool:
    """Whether a schema field is real-valued (float, possibly optional or with a literal)."""
    ann = model.model_fields[name].annotation
    if ann is float:
        return True
    if typing.get_origin(ann) not in (typing.Union, types.UnionType):
        return False  # tuples (thresholds, impulses, pairs of values) are structure
    return any(a is float or (typing.get_origin(a) is typing.Annotated
                              and typing.get_args(a)[0] is float) for a in typing.get_args(ann))


def real_fields(model: type[BaseModel]) -> list[str]:
    """The real-valued fields of a schema model, in declaration order."""
    return [n for n in model.model_fields if is_real(model, n)]


def field_bounds(model: type[BaseModel], name: str) -> tuple[float, float]:
    """The schema's (lowest, highest) for a real field (open bounds closed at the limit)."""
    lo, hi = -np.inf, np.inf
    info = model.model_fields[name]
    metadata = list(info.metadata)
    for arg in typing.get_args(info.annotation):
        for inner in typing.get_args(arg)[1:]:
            metadata += getattr(inner, "metadata", [])
    for m in metadata:
        if isinstance(m, Ge | Gt):
            lo = float(m.ge if isinstance(m, Ge) else m.gt)
        elif isinstance(m, Le | Lt):
            hi = float(m.le if isinstance(m, Le) else m.lt)
    return lo, hi
