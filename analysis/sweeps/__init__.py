"""Parameter sweeps: sweep files, samplers, chunked vectorised runs, resumable results.

``load_sweep`` reads and checks a sweep file; ``sample`` turns it into parameter points;
``run_sweep`` runs the points and their replicates a chunk at a time (parameters on the replicate
axis of one ``sim.run`` call), locally or on Dask, writing each chunk atomically so that a sweep
can resume; ``read_sweep`` reads a finished sweep back (``read_trajectories`` its per-point
quantile trajectories, where the sweep file asks for them); ``start_workers`` starts the local
workers' server early.
"""

from .loading import load_sweep
from .runner import read_sweep, read_trajectories, run_sweep, start_workers, sweep
from .samplers import sample
from .spec import SAMPLERS, SweepSpec

__all__ = ["SAMPLERS", "SweepSpec", "load_sweep", "read_sweep", "read_trajectories", "run_sweep",
           "sample", "start_workers", "sweep"]
