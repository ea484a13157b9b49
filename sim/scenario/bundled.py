"""The scenarios that ship with flashpoint, found by name from any folder.

They live in the repository's top-level ``scenarios/`` folder; ``sim/scenarios`` links to it, so the
same files are package data in a built wheel (``importlib.resources``) and in a source checkout.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def scenario_dir() -> Path:
    """The folder of the bundled scenarios (inside the installed package, links resolved)."""
    return Path(str(resources.files("sim") / "scenarios")).resolve()


def bundled_names() -> list[str]:
    """Names of the bundled scenarios (file names without ``.yaml``), sorted."""
    d = scenario_dir()
    return sorted(p.stem for p in d.glob("*.yaml")) if d.is_dir() else []


def find_bundled(name: str) -> Path | None:
    """The bundled scenario called ``name`` (with or without ``.yaml``), or None.

    Only a bare name is looked up: anything with a folder part is a path, not a name.
    """
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    file = name if name.endswith((".yaml", ".yml")) else f"{name}.yaml"
    path = scenario_dir() / file
    return path if path.is_file() else None
