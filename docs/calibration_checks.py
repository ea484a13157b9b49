"""Print the calibration's checks for docs/calibration.md: screening and the rolling origin.

Usage: python docs/calibration_checks.py   (about 45 s on one core)

1. Morris screening of every prior on the hindcast's loss (sim.calibration.screen: 8
   trajectories, 4 noise replicates a point, seed 1): the 15 constants with the largest mu*.
2. The rolling origin (sim.calibration.validate: ABC fit to 2016 with 500 particles and 4
   generations, seed 1; forecast 2017-2019 with the stated observation error): CRPS, the 90 %
   interval score, coverage of the 50 % and 90 % bands, against persistence and a linear trend;
   then the same without the observation error (the model's state alone).
"""

from __future__ import annotations

from sim.calibration.screen import screen
from sim.calibration.validate import rolling_origin


def main() -> None:
    """Print both checks."""
    s = screen(trajectories=8, noise=4, seed=1)
    print(f"screening: {len(s.priors)} priors, {s.settings['runs']:,} runs; mu* of the loss:")
    for name, value in s.ranking()[:15]:
        print(f"  {value:8.2f}  {name}")
    for error in (None, 0.0):
        kw = {} if error is None else {"observation_error": error}
        v = rolling_origin(origin=2016, particles=500, generations=4, seed=1, **kw)
        label = "with the observation error" if error is None else "the model's state alone"
        print(f"rolling origin 2016 -> 2017-2019, {label}:")
        for key, value in v.summary().items():
            print(f"  {key}: {value:.3f}")


if __name__ == "__main__":
    main()
