"""Copy a calibration's report and figures into docs/calibration.md and docs/figures/.

Usage:
    flashpoint calibrate --out results/calibration        # the shipped fit (seeded)
    python docs/calibration_report.py results/calibration --write

The report (``report.md``) goes between ``<!-- report:start -->`` and ``<!-- report:end -->`` of
docs/calibration.md, its title dropped and one heading level down; ``fit.png``, ``posterior.png`` and ``pairs.png`` go
to docs/figures/ as ``calibration-fit.png``, ``calibration-posterior.png`` and
``calibration-pairs.png``. Without ``--write`` it prints what it would write. It refuses a folder
whose ``calibration.yaml`` is not the shipped one (the docs describe what ships).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PAGE = HERE / "calibration.md"
START, END = "<!-- report:start -->", "<!-- report:end -->"
FIGURES = {"fit.png": "calibration-fit.png", "posterior.png": "calibration-posterior.png",
           "pairs.png": "calibration-pairs.png"}


def section(report: str) -> str:
    """The report one heading level down, with its figures linked."""
    lines = []
    for line in report.splitlines():
        if line.startswith("# "):  # the report's title: the page's own heading stands for it
            continue
        if line.startswith("#"):
            line = "#" + line
        lines.append(line)
    lines += ["", *(f"![{name}](figures/{target})" for name, target in FIGURES.items())]
    return "\n".join(lines).strip() + "\n"


def main(argv: list[str] | None = None) -> int:
    """Copy (``--write``) or print the report of a calibration folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="the output folder of flashpoint calibrate")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE.parent))
    from sim.calibration.shipped import SHIPPED

    if (args.folder / "calibration.yaml").read_bytes() != SHIPPED.read_bytes():
        print(f"{args.folder}/calibration.yaml is not the shipped calibration", file=sys.stderr)
        return 2
    text = section((args.folder / "report.md").read_text(encoding="utf-8"))
    if not args.write:
        print(text)
        return 0
    page = PAGE.read_text(encoding="utf-8")
    head, rest = page.split(START, 1)
    _, tail = rest.split(END, 1)
    PAGE.write_text(f"{head}{START}\n{text}{END}{tail}", encoding="utf-8")
    for name, target in FIGURES.items():
        shutil.copyfile(args.folder / name, HERE / "figures" / target)
    print(f"wrote {PAGE} and {len(FIGURES)} figures")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
