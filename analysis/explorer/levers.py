"""The explorer's levers: each slider, what it changes in a scenario, and how.

Declared once here; the page's sliders, the model's keyword arguments and the ``--set``
overrides a lever becomes are all generated from :data:`LEVERS`. A lever acts on every actor of
the named kinds (so it works on any scenario, not only the bundled ones) and is either

* ``scale``: the scenario's value times the slider (``1`` leaves the scenario as written), for
  sizes such as troops; or
* ``shift``: the scenario's value plus the slider (``0`` leaves it), for 0-1 intensities,

clipped to the schema's bounds of that field (``sim.parameter_space``). The result is passed as
``--set`` overrides, so it is measured against the scenario as written exactly as ``flashpoint
run --set`` is (its calibrated starting state is the scenario's, not re-calibrated away); a
calibrated parameter a lever moves keeps the moved value in every replicate, as with ``--set``.
A lever at its neutral value sets nothing: the page then runs the scenario itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import sim


@dataclass(frozen=True)
class Lever:
    """One slider.

    Attributes:
        name: the keyword argument of :class:`~analysis.explorer.model.ExplorerModel`.
        label: the slider's short label (x: times the scenario's value; ±: plus a change).
        description: what it changes, with the unit.
        kinds: the actor kinds it acts on.
        field: ``section.variable`` of each such actor (``posture.deployment_troops``).
        how: ``scale`` (times) or ``shift`` (plus).
        lo: the slider's lowest value.
        hi: the slider's highest value.
        step: the slider's step.
    """

    name: str
    label: str
    description: str
    kinds: tuple[str, ...]
    field: str
    how: str
    lo: float
    hi: float
    step: float

    @property
    def neutral(self) -> float:
        """The slider value that leaves the scenario as written."""
        return 1.0 if self.how == "scale" else 0.0


LEVERS: tuple[Lever, ...] = (
    Lever("efp_scale", "eFP troops ×",
          "NATO's forward presence near the border, times the scenario's", ("alliance",),
          "posture.deployment_troops", "scale", 0.0, 4.0, 0.25),
    Lever("exercises_scale", "NATO exercises ×",
          "troops in NATO exercises near the border, times the scenario's", ("alliance",),
          "posture.exercises_troops", "scale", 0.0, 4.0, 0.25),
    Lever("us_commitment", "US commitment ±",
          "the patron's commitment to defend the frontline states (0-1), plus the change", ("patron",),
          "doctrine.commitment", "shift", -1.0, 1.0, 0.05),
    Lever("eu_cohesion", "EU cohesion ±", "the union's cohesion (0-1), plus the change",
          ("union",), "doctrine.commitment", "shift", -1.0, 1.0, 0.05),
    Lever("sanctions_finance", "Finance sanctions ±",
          "US and EU financial sanctions (0-1), plus the change", ("patron", "union"),
          "posture.sanctions_finance", "shift", -1.0, 1.0, 0.05),
    Lever("sanctions_energy", "Energy sanctions ±",
          "US and EU energy sanctions (0-1), plus the change", ("patron", "union"),
          "posture.sanctions_energy", "shift", -1.0, 1.0, 0.05),
    Lever("sanctions_defence", "Defence sanctions ±",
          "US and EU defence-technology sanctions (0-1), plus the change", ("patron", "union"),
          "posture.sanctions_defence", "shift", -1.0, 1.0, 0.05),
    Lever("dialogue", "Dialogue ±",
          "NATO's and Russia's dialogue and confidence building (0-1), plus the change",
          ("alliance", "challenger"),
          "posture.dialogue", "shift", -1.0, 1.0, 0.05),
    Lever("russia_risk_tolerance", "Russia risk tolerance ±",
          "Russia's risk tolerance (0-1), plus the change", ("challenger",),
          "doctrine.risk_tolerance", "shift", -1.0, 1.0, 0.05),
    Lever("russia_threat_sensitivity", "Russia threat sensitivity ×",
          "how strongly Russia reads western forces as threat, times the scenario's",
          ("challenger",), "doctrine.threat_sensitivity", "scale", 0.25, 3.0, 0.05),
)
"""The sliders, in the order the page shows them."""

READINGS = ("as scenario", "spiral", "deterrence")
"""The theory reading choices (``submodels.threat.reading``; Jervis's two models)."""

BY_LEVER = {lever.name: lever for lever in LEVERS}


def _bounds(scenario: sim.Scenario) -> dict[str, tuple[float, float]]:
    space = sim.parameter_space(scenario)
    return {name: (float(lo), float(hi))
            for name, (lo, hi) in zip(space["names"], space["bounds"], strict=True)}


def overrides(scenario: sim.Scenario, values: dict[str, float], reading: str = "as scenario"
              ) -> list[str]:
    """The ``--set`` overrides that the levers' ``values`` make of ``scenario``.

    Args:
        scenario: the scenario as written (loaded without overrides).
        values: slider values by lever name; a missing or neutral lever changes nothing.
        reading: ``as scenario``, ``spiral`` or ``deterrence``.

    Returns:
        ``path=value`` strings, for :func:`sim.load_scenario`'s ``overrides``.

    Raises:
        ValueError: an unknown lever or reading, or a value outside a slider's range or not finite.
    """
    unknown = sorted(set(values) - set(BY_LEVER))
    if unknown:
        raise ValueError(f"unknown lever(s) {', '.join(unknown)}; known: {', '.join(BY_LEVER)}")
    if reading not in READINGS:
        raise ValueError(f"reading must be one of {', '.join(READINGS)}, not {reading!r}")
    bounds = _bounds(scenario)
    out = []
    for name, value in values.items():
        lever = BY_LEVER[name]
        value = float(value)
        if not lever.lo <= value <= lever.hi:  # also refuses NaN
            raise ValueError(f"{lever.label}: {value!r} is outside [{lever.lo:g}, {lever.hi:g}]")
        if value == lever.neutral:
            continue
        section, variable = lever.field.split(".")
        for actor, spec in scenario.actors.items():
            if spec.kind not in lever.kinds:
                continue
            path = f"actors.{actor}.{lever.field}"
            base = float(getattr(getattr(spec, section), variable))
            new = base * value if lever.how == "scale" else base + value
            lo, hi = bounds[path]
            out.append(f"{path}={min(max(new, lo), hi)!r}")
    if reading != "as scenario" and reading != scenario.submodels.threat.reading:
        out.append(f"submodels.threat.reading={reading}")
    return out
