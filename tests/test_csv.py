"""The CSV writer gives pandas' ``to_csv(index=False, float_format="%.6g")`` byte for byte."""

import numpy as np
import pandas as pd
import pytest

from sim import load_scenario, run
from sim.io.output import write_csv


def pandas_bytes(frame, tmp_path):
    frame.to_csv(tmp_path / "want.csv", index=False, float_format="%.6g")
    return (tmp_path / "want.csv").read_bytes()


def test_a_runs_tables_are_written_as_pandas_writes_them(tmp_path):
    r = run(load_scenario("baltic-incident"), seed=2, replicates=20, steps=30)
    for frame in (r.timeseries, r.events):
        write_csv(frame, tmp_path / "got.csv")
        assert (tmp_path / "got.csv").read_bytes() == pandas_bytes(frame, tmp_path)


@pytest.mark.parametrize("text", ["plain", "a, comma", 'a "quote"', "two\nlines", ""])
def test_edge_values_and_text_that_needs_quoting(tmp_path, text):
    frame = pd.DataFrame({
        "step": np.array([0, 1, 2, 3, 4]),
        "replicate": pd.array([1, None, 3, 4, 5], dtype="Int64"),
        "label": pd.array([text, None, "x", "y", "z"], dtype="string"),
        "value": [np.nan, -0.0, np.inf, 1234567.891, 1e-300],
        "flag": [True, False, True, False, True],
    })
    write_csv(frame, tmp_path / "got.csv")
    assert (tmp_path / "got.csv").read_bytes() == pandas_bytes(frame, tmp_path)


def test_columns_of_other_objects_fall_back_to_pandas(tmp_path):
    frame = pd.DataFrame({"what": ["a", 1, 2.5, None], "value": [1.0, 2.0, 3.0, 4.0]})
    write_csv(frame, tmp_path / "got.csv")
    assert (tmp_path / "got.csv").read_bytes() == pandas_bytes(frame, tmp_path)
