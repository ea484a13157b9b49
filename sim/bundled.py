"""The scenarios that ship with flashpoint, found by name from any folder."""

from __future__ import annotations

from pathlib import Path


def scenario_dir() -> Path:
    """The bundled scenarios: ``scenarios/`` beside the package (source checkout or editable)."""
    return Path(__file__).resolve().parent.parent / "scenarios"


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
