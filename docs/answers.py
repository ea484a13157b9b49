"""Sobol indices of the headline what-ifs over the posterior (docs/calibration.md, its figure).

Usage: python docs/answers.py [CALIBRATION.yaml] [--write]
    (the docs: python docs/answers.py sim/calibration/calibrated.yaml --write)
Without a file it first runs `flashpoint calibrate` in memory (about 4 min). N = 256 Saltelli
points (k = 14: 4,096 runs a side),
seed 1, the tension index at the end of the baseline (2016-2026). --write puts the table into
docs/calibration.md between its markers and draws docs/figures/answers-sobol.png.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from sim.calibration.answers import answer_indices
from sim.calibration.shipped import load_ensemble

HERE = Path(__file__).resolve().parent
WHAT_IFS = {
    "eFP doubled": ["actors.NATO.posture.deployment_troops=6600"],
    "US commitment 0.2": ["actors.US.doctrine.commitment=0.2"],
    "dialogue 0.6 and arms control 0.9": ["actors.NATO.posture.dialogue=0.6",
                                          "actors.Russia.posture.dialogue=0.6",
                                          "relations.0.arms_control=0.9"],
    "sanctions deepened (0.9)": [f"actors.{a}.posture.sanctions_{s}=0.9" for a in ("EU", "US")
                                 for s in ("finance", "energy", "defence")],
}
START, END = "<!-- answers:start -->", "<!-- answers:end -->"


def members(path: str | None) -> list[dict[str, float]]:
    """The posterior's draws: a calibration file's ensemble, or a fresh ABC fit's."""
    if path:
        return load_ensemble(path)
    from sim.calibration.fit import calibrate_abc

    cal = calibrate_abc(data_dir=HERE.parent / "data")
    return cal.ensemble()


def main() -> None:
    """Print the table; with --write, put it into docs/calibration.md and draw the figure."""
    args = [a for a in sys.argv[1:] if a != "--write"]
    draws = members(args[0] if args else None)
    results = [answer_indices(label, sets, draws, n=256, seed=1)
               for label, sets in WHAT_IFS.items()]
    names = results[0].names
    lines = ["| parameter (posterior 5-95 %) | " + " | ".join(
        f"{r.label} ({r.effect:+.1f})" for r in results) + " |",
             "|---|" + "---:|" * len(results)]
    for j, name in enumerate(names):
        lo, hi = results[0].bounds[j]
        lines.append(f"| `{name}` ({lo:.3g}-{hi:.3g}) | " + " | ".join(
            f"{r.ST[j]:.2f} ± {r.ST_conf[j]:.2f}" for r in results) + " |")
    table = "\n".join(lines)
    print(table)
    if "--write" in sys.argv:
        doc = HERE / "calibration.md"
        text = doc.read_text(encoding="utf-8")
        head, rest = text.split(START)
        _, tail = rest.split(END)
        doc.write_text(f"{head}{START}\n{table}\n{END}{tail}", encoding="utf-8")
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(9, 4.5))
        width = 0.8 / len(results)
        for i, r in enumerate(results):
            ax.bar(np.arange(len(names)) + i * width, r.ST, width, yerr=r.ST_conf,
                   label=f"{r.label} ({r.effect:+.1f})", capsize=2)
        ax.set_xticks(np.arange(len(names)) + 0.4 - width / 2)
        ax.set_xticklabels([n.split(".", 1)[1] for n in names], rotation=40, ha="right",
                           fontsize=7)
        ax.set_ylabel("Sobol total index of the effect")
        ax.set_title("What each what-if's effect on the final tension index depends on "
                     "(posterior 5-95 % ranges, N = 256)", fontsize=9)
        ax.legend(fontsize=7, frameon=False)
        fig.tight_layout()
        fig.savefig(HERE / "figures" / "answers-sobol.png", dpi=120)
        print("wrote", doc, "and", HERE / "figures" / "answers-sobol.png")


if __name__ == "__main__":
    main()
