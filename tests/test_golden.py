"""Golden trajectories: known inputs give the stored outputs (float32 series, rtol 1e-6).

Regenerate with ``python tests/golden/make_golden.py`` only after a deliberate model change.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

HERE = Path(__file__).resolve().parent
CASES = ("baseline_seed1", "invasion_seed2")


@pytest.mark.parametrize("name", CASES)
def test_golden(name, golden):
    assert set(golden.CASES) == set(CASES)
    want = pd.read_csv(HERE / "golden" / f"{name}.csv", keep_default_na=False)
    got = golden.golden_frame(name)
    assert list(got[["step", "entity", "variable"]].itertuples(index=False)) == list(
        want[["step", "entity", "variable"]].itertuples(index=False))
    np.testing.assert_allclose(got["value"].to_numpy(), want["value"].to_numpy(), rtol=1e-6,
                               atol=1e-9)
