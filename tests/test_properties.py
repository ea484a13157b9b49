"""Property-based tests over the input ranges the schema allows and forbids."""

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel

from sim import ScenarioError, load_scenario
from sim.engine.model import FlashpointModel
from sim.scenario.schema import Submodels

BASE = "baseline"


def _numeric_fields():
    """(path, lower, upper, strict_lower) for every bounded real submodel parameter."""
    out = []
    for sub, f in Submodels.model_fields.items():
        model: type[BaseModel] = f.annotation
        for name, fld in model.model_fields.items():
            if fld.annotation is not float:
                continue
            lo = hi = None
            strict = False
            for m in fld.metadata:
                if getattr(m, "ge", None) is not None:
                    lo = m.ge
                if getattr(m, "gt", None) is not None:
                    lo, strict = m.gt, True
                if getattr(m, "le", None) is not None:
                    hi = m.le
            if lo is not None and hi is not None:
                out.append((f"submodels.{sub}.{name}", float(lo), float(hi), strict))
    return out


FIELDS = _numeric_fields()


@given(data=st.data())
def test_out_of_range_values_are_rejected_with_their_field(data):
    path, lo, hi, strict = data.draw(st.sampled_from(FIELDS))
    below = st.floats(lo - 1e6, lo, exclude_max=not strict, allow_nan=False)
    above = st.floats(hi, hi + 1e6, exclude_min=True, allow_nan=False)
    value = data.draw(st.one_of(below, above))
    try:
        load_scenario(BASE, [f"{path}={value!r}"])
    except ScenarioError as exc:
        assert path in str(exc) and "--set" in str(exc)
    else:
        raise AssertionError(f"{path}={value} was accepted")


@given(data=st.data(), seed=st.integers(0, 2**32))
def test_any_valid_submodel_parameters_keep_invariants(data, seed, check_state):
    picks = data.draw(st.lists(st.sampled_from(FIELDS), min_size=1, max_size=6, unique=True))
    sets = []
    for path, lo, hi, strict in picks:
        v = data.draw(st.floats(lo, hi, exclude_min=strict, allow_nan=False))
        sets.append(f"{path}={v!r}")
    try:
        sc = load_scenario("invasion-2022", sets)
    except ScenarioError as exc:  # joint constraints (shares, weights) may reject a combination
        assert "must not exceed 1" in str(exc) or "fiscal ceiling" in str(exc)
        return
    m = FlashpointModel(sc, replicates=4, seed=seed, record="summary")
    for _ in range(80):
        m.step()
        check_state(m)
    assert math.isfinite(float(np.sum(m.tension_index)))


def test_fields_were_found():
    assert len(FIELDS) > 40
