"""Generate the parameter tables of docs/ODD.md from the scenario schema.

Usage: python docs/gen_params.py --write   (rewrites the tables between the markers in ODD.md)
tests/test_docs.py fails when ODD.md and the schema disagree.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pydantic import BaseModel

from sim.scenario.schema import Doctrine, Submodels
from sim.variables import VARIABLES

ODD = Path(__file__).resolve().parent / "ODD.md"
MARKERS = {
    "submodels": ("<!-- params:submodels:start -->", "<!-- params:submodels:end -->"),
    "doctrine": ("<!-- params:doctrine:start -->", "<!-- params:doctrine:end -->"),
    "variables": ("<!-- variables:start -->", "<!-- variables:end -->"),
}


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, tuple | list):
        return "(" + ", ".join(_fmt(x) for x in v) + ")"
    return str(v)


def _rows(prefix: str, model: type[BaseModel]) -> list[str]:
    out = []
    for name, f in model.model_fields.items():
        if name == "enabled":
            continue
        desc = (f.description or "").replace("|", "/")
        out.append(f"| `{prefix}{name}` | {_fmt(f.default)} | {desc} |")
    return out


def tables() -> dict[str, str]:
    """The markdown tables, keyed like MARKERS."""
    head = "| parameter | default | unit, meaning and reason for the default |\n|---|---|---|"
    sub = [head]
    for name, f in Submodels.model_fields.items():
        sub += _rows(f"{name}.", f.annotation)
    doc = [head, *_rows("", Doctrine)]
    var = ["| variable | level | range | unit | role |", "|---|---|---|---|---|"]
    for v in VARIABLES:
        role = ", ".join(r for r, on in (("posture", v.posture), ("policy level", v.policy),
                                         ("event target", v.target), ("recorded", v.recorded),
                                         ("derived", not v.state)) if on)
        var.append(f"| `{v.name}` | {v.level} | {_fmt(v.lo)} – {_fmt(v.hi)} | {v.unit} | {role} |")
    return {"submodels": "\n".join(sub), "doctrine": "\n".join(doc), "variables": "\n".join(var)}


def render(text: str) -> str:
    """``text`` with the tables between the markers replaced by fresh ones."""
    for key, (a, b) in MARKERS.items():
        i, j = text.index(a) + len(a), text.index(b)
        text = text[:i] + "\n" + tables()[key] + "\n" + text[j:]
    return text


if __name__ == "__main__":
    new = render(ODD.read_text())
    if "--write" in sys.argv:
        ODD.write_text(new)
    else:
        print(new)
