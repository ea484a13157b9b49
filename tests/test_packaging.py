"""The built wheel carries the bundled scenarios and runs them by name from any folder."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow  # builds and installs a wheel: about 30 s (CI runs the slow tests)
def test_wheel_ships_scenarios_and_runs_them_by_name(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w",
                    str(dist)], check=True, capture_output=True, text=True, timeout=300)
    wheel = next(dist.glob("flashpoint-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    shipped = sorted(n for n in names if n.startswith("sim/scenarios/"))
    assert shipped == sorted(f"sim/scenarios/{p.name}" for p in (ROOT / "scenarios").glob("*.yaml"))
    for module in ("sim/cli.py", "sim/variables.py", "sim/engine/model.py",
                   "sim/scenario/loader.py", "sim/submodels/threat.py", "sim/io/output.py",
                   "analysis/explorer/app.py", "analysis/explorer/baltic.json"):
        assert module in names
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}

    def flashpoint(*args):
        return subprocess.run([sys.executable, "-m", "sim", *args], cwd=elsewhere, env=env,
                              capture_output=True, text=True, timeout=300)

    where = subprocess.run([sys.executable, "-c", "import sim; print(sim.__file__)"],
                           cwd=elsewhere, env=env, capture_output=True, text=True)
    assert where.stdout.startswith(str(site))  # the wheel's copy, not the checkout
    listed = flashpoint("scenarios")
    assert listed.returncode == 0 and "baseline.yaml" in listed.stdout
    ran = flashpoint("run", "baseline", "--steps", "3", "--no-plot", "-q", "--out", "r")
    assert ran.returncode == 0, ran.stderr
    assert (elsewhere / "r" / "timeseries.csv").exists()
    ext = flashpoint("run", "invasion-2022.yaml", "--steps", "3", "--no-plot", "-q", "--out", "i")
    assert ext.returncode == 0, ext.stderr
