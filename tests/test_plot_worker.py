"""The tension figure drawn in a second process (``flashpoint run``): the same bytes as drawn in
the run's own process, and the run draws it itself when the child is gone."""

from __future__ import annotations

import pytest

from analysis.plots.run import plot_tension
from analysis.plots.worker import PlotWorker
from sim import run, tension_inputs
from sim.cli import main
from sim.io.output import write_run


@pytest.fixture(scope="module")
def result():
    return run("invasion-2022", replicates=6, steps=30, seed=5)


def test_the_child_draws_the_figure_the_run_would_draw(result, tmp_path):
    worker = PlotWorker.start()
    assert worker is not None
    assert worker.send(tension_inputs(result), tmp_path / "child.png")
    assert worker.finish()
    assert worker.process.returncode == 0
    plot_tension(result, tmp_path / "own.png")
    assert (tmp_path / "child.png").read_bytes() == (tmp_path / "own.png").read_bytes()


def test_the_figure_shows_only_the_tension_series_and_the_incidents(result):
    inputs = tension_inputs(result)
    assert set(inputs["ts"]["variable"]) == {"tension_index", "tension"}
    assert set(inputs["events"]["kind"]) == {"incident"}
    assert len(inputs["ts"]) < len(result.timeseries) / 5


def test_a_dead_child_leaves_the_figure_to_the_run(result, tmp_path):
    worker = PlotWorker.start()
    worker.process.kill()
    worker.process.wait()
    write_run(result, tmp_path / "out", plot_worker=worker)
    plot_tension(result, tmp_path / "own.png")
    assert (tmp_path / "out" / "tension.png").read_bytes() == \
        (tmp_path / "own.png").read_bytes()


def test_a_child_with_nothing_to_draw_exits_by_itself():
    worker = PlotWorker.start()
    worker.cancel()  # end-of-file on its input
    assert worker.process.returncode == 0


def test_no_child_when_switched_off_or_not_plotting(monkeypatch, tmp_path):
    monkeypatch.setenv("FLASHPOINT_PLOT_PROCESS", "0")
    assert PlotWorker.start() is None
    monkeypatch.delenv("FLASHPOINT_PLOT_PROCESS")
    started = []
    monkeypatch.setattr(PlotWorker, "start", classmethod(lambda cls: started.append(1)))
    assert main(["run", "baseline", "-R", "2", "--steps", "2", "--no-plot", "-q",
                 "--out", str(tmp_path / "a")]) == 0
    assert main(["run", "no-such-scenario", "-q", "--out", str(tmp_path / "b")]) == 2
    assert started == []


def test_the_command_line_draws_through_the_child(tmp_path, monkeypatch):
    finished = []
    finish = PlotWorker.finish

    def recorded(self, *args):
        finished.append(finish(self, *args))
        return finished[-1]

    monkeypatch.setattr(PlotWorker, "finish", recorded)
    assert main(["run", "baseline", "-R", "3", "--steps", "6", "-q",
                 "--out", str(tmp_path / "r")]) == 0
    assert finished == [True]
    assert (tmp_path / "r" / "tension.png").stat().st_size > 10_000
