"""Draw ``tension.png`` in a second process while ``flashpoint run`` computes and writes the rest.

Importing matplotlib, loading its fonts and drawing the fan chart take about 0.75 s of a warm
``flashpoint run``; the run itself needs none of it. Once the scenario and the output folder have
passed their checks, :meth:`PlotWorker.start` launches ``python -m analysis.plots.worker``; the child
imports matplotlib and pandas and warms its fonts on the machine's other core while the run
imports the engine and computes, then waits on its standard input. The
run hands it the figure's inputs (:func:`sim.tension_inputs`: a few thousand rows, pickled)
and goes on writing its tables while the child draws into the run's temporary folder.

Nothing depends on the child: if it cannot start, fails or hangs past
:data:`TIMEOUT_SECONDS`, the run draws the same figure itself (the bytes are the same: same code,
same inputs). A child whose parent ends before sending reads end-of-file and exits quietly. The
child's errors are silent unless ``FLASHPOINT_DEBUG`` is set.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

from sim import start_module

TIMEOUT_SECONDS = 120.0
"""How long the run waits for the drawing before drawing the figure itself, seconds."""

DISABLE = "FLASHPOINT_PLOT_PROCESS"
"""Environment variable: ``0`` draws in the run's own process."""


class PlotWorker:
    """A child process that draws one tension figure."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.process = process
        self.path: Path | None = None

    @classmethod
    def start(cls) -> PlotWorker | None:
        """Launch the child (None where that is not possible or ``FLASHPOINT_PLOT_PROCESS=0``)."""
        if os.environ.get(DISABLE, "1") == "0":
            return None
        try:
            process = start_module(__name__, stdin=subprocess.PIPE)
        except OSError:
            return None
        return cls(process)

    def send(self, inputs: dict[str, Any], path: Path) -> bool:
        """Hand the child the figure's inputs and where to write it; False if it is gone."""
        self.path = path
        try:
            pickle.dump((inputs, str(path)), self.process.stdin,
                        protocol=pickle.HIGHEST_PROTOCOL)
            self.process.stdin.close()
        except (OSError, ValueError, pickle.PicklingError):
            self.cancel()
            return False
        return True

    def finish(self, timeout: float = TIMEOUT_SECONDS) -> bool:
        """Wait for the drawing; True when the child wrote the figure."""
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.cancel()
            return False
        return (self.process.returncode == 0 and self.path is not None
                and self.path.is_file() and self.path.stat().st_size > 0)

    def cancel(self) -> None:
        """Stop the child (it has nothing to draw) and reap it."""
        try:
            if self.process.stdin and not self.process.stdin.closed:
                self.process.stdin.close()  # end-of-file: the child exits by itself
        except OSError:
            pass
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def warm_up() -> None:
    """Import what drawing needs and draw a small fan chart into memory (fonts, date axes ...).

    The first figure a process draws costs about twice the next one; the child has time to spare
    while the run computes.
    """
    import io

    import pandas as pd

    from sim import RunInfo

    from .run import tension_figure

    dates = [f"{2016 + k // 12}-{k % 12 + 1:02d}-01" for k in range(25)]
    rows = [(d, q, entity, variable, 40.0 + k)
            for k, d in enumerate(dates) for q in ("p5", "p25", "p50", "p75", "p95")
            for entity, variable in (("", "tension_index"), ("A-B", "tension"))]
    ts = pd.DataFrame(rows, columns=["date", "quantile", "entity", "variable", "value"])
    events = pd.DataFrame({"date": [dates[3]], "replicate": [0], "kind": ["incident"],
                           "detail": ["serious"]})
    info = RunInfo(scenario="warm-up", replicates=2, seed=0, thresholds=[20.0, 40.0, 60.0],
                   rungs=["a", "b", "c", "d"], events=[(dates[5], "event")])
    tension_figure(ts, events, info, io.BytesIO(), fmt="png", dpi=20)


def main() -> int:
    """The child: warm up, read the inputs, draw; 0 when the figure was written."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides; Ctrl-C ends it by EOF
    warm_up()
    try:
        inputs, path = pickle.load(sys.stdin.buffer)
    except EOFError:
        return 0  # the run ended before drawing (an error, --no-plot in the scenario ...)
    from .run import tension_figure

    tension_figure(path=path, **inputs)
    return 0


if __name__ == "__main__":
    code = main()
    sys.stderr.flush()
    os._exit(code)  # the figure is closed and written: skip the interpreter's 0.2-0.3 s teardown
