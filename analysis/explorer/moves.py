"""The explorer's moves: dated events a user can make happen now ("invasion now", "hotline").

The moves are the events of the bundled scenarios (each declared once, in its scenario file:
the 2022 invasion in ``invasion-2022.yaml``, the collision near Kaliningrad in
``baltic-incident.yaml`` ...) and the hotline of ``baltic-incident-hotline.yaml``, which that file
declares as postures rather than an event and which :data:`HOTLINE` turns into one (a test checks
that both agree). A move applies to the page's run only, never to its comparison run, so the
comparison shows the move's effect.
"""

from __future__ import annotations

from functools import cache

import sim

HOTLINE = {
    "name": "Hotline and transparency measures",
    "description": "a military hotline and transparency measures agreed: NATO and Russian "
                   "dialogue at 0.4 (as baltic-incident-hotline.yaml)",
    "date": "2000-01",  # replaced by the current step's date when applied
    "effects": [{"target": "NATO.dialogue", "set": 0.4}, {"target": "Russia.dialogue", "set": 0.4}],
}
"""The hotline as an event (its values are ``baltic-incident-hotline.yaml``'s postures)."""


@cache
def moves() -> dict[str, dict]:
    """Every move by its label: the bundled scenarios' events, then the hotline.

    Returns:
        ``{label: event mapping}``; the label names the event and the file it comes from.
    """
    found: dict[str, dict] = {}
    seen: set[str] = set()  # an event a scenario inherits (extends) is listed once
    for name in sim.bundled_names():
        try:
            scenario = sim.load_scenario(name, with_reference=False)
        except sim.ScenarioError:  # pragma: no cover - the bundled files are tested to load
            continue
        for event in scenario.events:
            if not event.effects or event.name in seen:
                continue
            seen.add(event.name)
            found[f"{event.name} ({name})"] = event.model_dump()
    found[f"{HOTLINE['name']} (baltic-incident-hotline)"] = HOTLINE
    return found
