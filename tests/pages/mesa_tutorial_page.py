"""A SolaraViz page written as Mesa's tutorial teaches, for flashpoint's model (the browser test
serves it and presses Reset and Step)."""

from mesa.visualization import SolaraViz, make_plot_component

from sim import FlashpointModel

model_params = {
    "replicates": {"type": "SliderInt", "value": 20, "label": "Replicates", "min": 1, "max": 200,
                   "step": 1},
}

model = FlashpointModel("efp-doubled", replicates=20)
page = SolaraViz(model, components=[make_plot_component("tension_index")],
                 model_params=model_params, name="flashpoint, as Mesa's tutorial")
