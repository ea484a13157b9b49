"""The explorer page: Mesa's SolaraViz serving :class:`ExplorerModel` (``flashpoint explore``).

``solara run analysis.explorer.app`` serves :func:`Page`; ``flashpoint explore`` starts that
server (:func:`analysis.explorer.serve`) with the scenario choices in ``FLASHPOINT_EXPLORE``.
The sidebar holds SolaraViz's own controls (reset, play, step) and the model's parameters,
generated from :data:`~analysis.explorer.levers.LEVERS`; changed parameters apply on Reset, as
in every SolaraViz page. Four pages of views, each redrawn after every step while shown:
tension (fan chart, moves, event log), escalation (P(each rung), the paired difference),
actors (postures and spending) and the map.
"""

from __future__ import annotations

import json
import os

import solara
from mesa.visualization import SolaraViz, solara_viz
from mesa.visualization.utils import force_update, update_counter

import sim

from . import views
from .levers import LEVERS, READINGS
from .model import MAX_REPLICATES, ExplorerModel, scenario_choices
from .moves import moves

ENVIRONMENT = "FLASHPOINT_EXPLORE"
"""Environment variable with the page's settings as JSON: ``{"scenario": ..., "choices": [...],
"replicates": R, "seed": s}`` (what ``flashpoint explore`` passes to the server)."""


def settings() -> dict:
    """The page's settings from :data:`ENVIRONMENT` (defaults: the bundled baseline, R = 200)."""
    given = json.loads(os.environ.get(ENVIRONMENT, "{}") or "{}")
    choices = scenario_choices(given.get("choices") or [])

    def setting(key: str, default: int) -> int:
        value = given.get(key)
        return default if value is None else int(value)  # 0 is a seed like any other

    return {"scenario": given.get("scenario") or "baseline", "choices": choices,
            "replicates": setting("replicates", 200), "seed": setting("seed", 1)}


def model_params(config: dict) -> dict:
    """The sidebar's inputs, in SolaraViz's form: scenario, R, seed, every lever, reading."""
    params: dict = {
        "scenario_file": {"type": "Select", "value": config["scenario"],
                          "values": config["choices"], "label": "Scenario"},
        "replicates": {"type": "SliderInt", "value": config["replicates"], "min": 1,
                       "max": max(min(5000, MAX_REPLICATES), config["replicates"]), "step": 1,
                       "label": "Replicates R"},
        "seed": {"type": "InputText", "value": str(config["seed"]), "label": "Seed"},
        "first_replicate": {"type": "InputText", "value": "0",
                            "label": "First replicate (R = 1 from K replays replicate K)"},
        "compare": {"type": "Checkbox", "value": True,
                    "label": "Compare with the scenario as written (paired)"},
        "reading": {"type": "Select", "value": READINGS[0], "values": list(READINGS),
                    "label": "Theory reading (spiral or deterrence)"},
    }
    for lever in LEVERS:
        params[lever.name] = {"type": "SliderFloat", "value": lever.neutral, "min": lever.lo,
                              "max": lever.hi, "step": lever.step, "label": lever.label}
    return params


class PageModel(ExplorerModel):
    """The page's model: a bad input is reported on the page instead of replacing it.

    SolaraViz's Reset builds the model from the sidebar's inputs and shows any exception as a
    page-wide traceback. Here a seed that is not a whole number falls back to 1, and a scenario
    file that no longer loads (edited since the server started) to the baseline; the reason is
    kept in ``input_error`` and shown in the status line.
    """

    def __init__(self, **kwargs) -> None:
        problems = []
        for fallback in ({}, {"seed": 1, "first_replicate": 0},
                         {"seed": 1, "first_replicate": 0, "scenario_file": "baseline"}):
            try:
                super().__init__(**{**kwargs, **fallback})
                break
            except (ValueError, sim.ScenarioError) as exc:
                problems.append(str(exc))
                if len(problems) == 3:
                    raise
        self.input_error = "; ".join(problems) or None


def grid_layout(num_components: int) -> list[dict]:
    """Each page's layout: its first view across the whole width, the others in pairs below.

    SolaraViz gives every view half the width (``make_initial_grid_layout``); the fan chart and
    the small multiples need the whole of it. The layout stays draggable and resizable.
    """
    layout = [{"i": 0, "x": 0, "y": 0, "w": 12, "h": 20, "moved": False}]
    for i in range(1, num_components):
        layout.append({"i": i, "x": 6 * ((i - 1) % 2), "y": 20 + 14 * ((i - 1) // 2), "w": 6,
                       "h": 14, "moved": False})
    return layout


solara_viz.make_initial_grid_layout = grid_layout  # SolaraViz reads it when it lays out a page


def plain_markdown(text: str):
    """Markdown as HTML, without solara.Markdown (which fetches KaTeX from a CDN for math).

    Raw HTML in the text (a scenario file's event names reach the log) is escaped first.
    """
    import html

    import markdown

    return solara.HTML(tag="div", unsafe_innerHTML=markdown.markdown(
        html.escape(text, quote=False), extensions=["tables"]))


TAB_NAMES = {"Page 0": "Overview", "Page 1": "Escalation", "Page 2": "Actors", "Page 3": "Map"}
"""What each of SolaraViz's pages shows (it names them Page 0, Page 1 ...)."""

_mesa_tab = solara.v.Tab


def named_tab(*args, children=None, **kwargs):
    """SolaraViz's page tab, named after what the page shows (:data:`TAB_NAMES`)."""
    children = [TAB_NAMES.get(c, c) if isinstance(c, str) else c for c in children or []]
    return _mesa_tab(*args, children=children, **kwargs)


_mesa_slider_float, _mesa_slider_int = solara.SliderFloat, solara.SliderInt


def slider_float(*args, **kwargs):
    """A sidebar slider that always shows its value (Solara shows it only while dragging)."""
    return _mesa_slider_float(*args, **{"thumb_label": "always", **kwargs})


def slider_int(*args, **kwargs):
    """As :func:`slider_float`, for whole numbers."""
    return _mesa_slider_int(*args, **{"thumb_label": "always", **kwargs})


# the explorer's server process only: SolaraViz builds its tabs and sliders through these names
solara_viz.solara.v.Tab = named_tab
solara_viz.solara.SliderFloat = slider_float
solara_viz.solara.SliderInt = slider_int


def tension_view(model: ExplorerModel):
    """The tension fan chart of the run so far."""
    return solara.Image(views.tension_png(model), width="100%")


def escalation_view(model: ExplorerModel):
    """P(each rung) over time and the paired difference against the comparison run."""
    with solara.Column() as column:
        solara.Image(views.ladder_png(model), width="100%")
        diff = views.difference_png(model)
        if diff is None:
            solara.Info("Tick 'Compare with the scenario as written' and press Reset to see the "
                        "levers' and moves' effect as a paired difference.")
        else:
            solara.Image(diff, width="100%")
    return column


@solara.component
def ActorsView(model: ExplorerModel):
    """Postures, spending, sanctions, cohesion and belief per actor, a group at a time."""
    update_counter.get()
    group, set_group = solara.use_state(next(iter(views.ACTOR_PANELS)))
    with solara.Column() as column:
        solara.ToggleButtonsSingle(value=group, on_value=set_group,
                                   values=list(views.ACTOR_PANELS))
        solara.Image(views.actors_png(model, group), width="100%")
    return column


@solara.component
def MapView(model: ExplorerModel):
    """The Baltic region, frontline states shaded by belief or margin, forces as symbols."""
    update_counter.get()
    shade, set_shade = solara.use_state("article5_belief")
    with solara.Column() as column:
        solara.ToggleButtonsSingle(value=shade, on_value=set_shade,
                                   values=list(views.SHADES))
        solara.Image(views.map_png(model, shade), width="70%")
    return column


def log_view(model: ExplorerModel):
    """The latest events: shocks, moves and replicate 0's incidents and rung changes."""
    log = views.event_log(model, rows=12)
    lines = [views.status(model), ""]
    if len(log):  # a Markdown table: much cheaper to re-render every step than a data grid
        lines += ["| date | kind | who | what |", "|---|---|---|---|"]
        lines += [f"| {r.date[:7]} | {r.kind} | {r.entity} | {r.detail} |"
                  for r in log.itertuples()]
    else:
        lines.append("No events yet.")
    return plain_markdown("\n".join(lines))


@solara.component
def MovesView(model: ExplorerModel):
    """Make a dated event happen now ("invasion now", "hotline"), in this run only."""
    labels = list(moves())
    invasion = next((k for k in labels if k.startswith("Invasion of Ukraine")), labels[0])
    chosen, set_chosen = solara.use_state(invasion)
    message, set_message = solara.use_state("")

    def make_move():
        skipped = model.move(chosen)
        note = f"; skipped (not in this scenario): {'; '.join(skipped)}" if skipped else ""
        set_message(f"{chosen.rsplit(' (', 1)[0]} at step {model.steps}{note}")
        force_update()

    with solara.Card("Moves: make an event happen now") as card:
        solara.Select("Event", value=chosen, values=labels, on_value=set_chosen)
        solara.Button("Apply now", color="warning", on_click=make_move)
        if message:
            solara.Success(message)
        with solara.Details("What the sliders do (they apply on Reset)"):
            plain_markdown("\n".join(f"- **{lever.label}**: {lever.description}"
                                      for lever in LEVERS)
                           + "\n- **Compare**: runs the scenario as written beside it, same "
                           "seed (common random numbers); the Escalation tab shows the paired "
                           "difference.")
    return card


COMPONENTS = [(tension_view, 0), (MovesView, 0), (log_view, 0), (escalation_view, 1),
              (ActorsView, 2), (MapView, 3)]
"""Each view and its page."""


@solara.component
def Page():
    """The page (``solara run analysis.explorer.app``): one model per browser session.

    Mesa's examples build the model at module level, which every open tab would then share
    (stepping in one moves the other); here each session makes its own.
    """
    config = solara.use_memo(settings, [])
    model = solara.use_memo(lambda: PageModel(scenario_file=config["scenario"],
                                              replicates=config["replicates"],
                                              seed=config["seed"]), [])
    # room above each slider for its value's bubble (shown always: slider_float)
    solara.Style(".v-input__slider { padding-top: 26px; }")
    SolaraViz(model, components=list(COMPONENTS), model_params=model_params(config),
              name="flashpoint explorer")
