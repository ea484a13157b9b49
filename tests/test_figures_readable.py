"""Issue 22, item 13: figures a reader can read (bands visible, titles apart, long names,
no magnified noise, event labels inside and apart, discrete levels keyed as such)."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.colors as mcolors  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import sim  # noqa: E402
from analysis.plots import as_results  # noqa: E402
from analysis.plots.figures import LABELS, small_multiples_figure  # noqa: E402


@pytest.fixture(scope="module")
def hindcast():
    return sim.run("historical-2014", replicates=30, steps=132)


def _saturation(colour) -> float:
    return float(mcolors.rgb_to_hsv(mcolors.to_rgb(colour))[1])


def test_the_fan_charts_bands_are_coloured_not_grey(hindcast, tmp_path):
    from analysis.plots.run import tension_figure
    from sim import run_info

    ax = tension_figure(hindcast.timeseries, hindcast.events, run_info(hindcast),
                            tmp_path / "t.png")
    bands = [c for c in ax.collections if "index," in str(c.get_label())]
    assert len(bands) == 2
    assert all(_saturation(b.get_facecolor()[0][:3]) > 0.3 for b in bands)  # not grey
    # the event labels stay inside the axes and never overlap one another
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(ax.figure).get_renderer()  # the figure was saved and closed
    box = ax.get_window_extent(renderer)
    labels = [t for t in ax.texts if t.get_text().strip()
              and isinstance(t.get_position()[0], pd.Timestamp)]  # not the rung names
    extents = [t.get_window_extent(renderer) for t in labels]
    assert len(labels) >= 5
    assert all(box.x0 - 1 <= e.x0 and e.x1 <= box.x1 + 1 for e in extents)
    for i, a in enumerate(extents):
        for b in extents[i + 1:]:
            assert not a.overlaps(b), "two event labels overlap"


def test_small_multiples_use_long_names_keep_titles_apart_and_do_not_magnify_noise(hindcast):
    fig, axes = small_multiples_figure(as_results(hindcast), ["intel_sharing", "dialogue",
                                                              "spending_pct_gdp"], "postures")
    titles = [ax.get_title() for ax in axes.flat[:3]]
    assert titles == [LABELS["intel_sharing"], LABELS["dialogue"], LABELS["spending_pct_gdp"]]
    renderer = fig.canvas.get_renderer()
    top = fig._suptitle.get_window_extent(renderer)
    assert all(top.y0 > ax.title.get_window_extent(renderer).y1 for ax in axes.flat[:3])
    low, high = axes.flat[0].get_ylim()
    assert high - low >= 0.05 - 1e-9  # a 0-1 intensity: at least 5 % of its range shown


def test_discrete_levels_get_a_legend_not_a_colour_bar(tmp_path, monkeypatch):
    import analysis.plots.base as figures
    from analysis.plots.base import trajectories_figure

    drawn = []
    monkeypatch.setattr(figures, "save_figure", lambda fig, path, fmt, dpi: drawn.append(fig))

    points = pd.DataFrame({"point": range(5), "eFP": [0, 1650, 3300, 4950, 6600]})
    dates = pd.date_range("2016-07-01", periods=4, freq="MS").strftime("%Y-%m-%d")
    rows = [{"point": p, "date": d, "tension_index.p5": 40.0 + p, "tension_index.p50": 50.0 + p,
             "tension_index.p95": 60.0 + p} for p in range(5) for d in dates]
    trajectories_figure(points, pd.DataFrame(rows), ["tension_index"], [5, 50, 95],
                        tmp_path / "t.png", colour="eFP")
    (fig,) = drawn
    assert len(fig.axes) == 1  # no colour bar axes
    legend = fig.axes[0].get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["0", "1650", "3300", "4950", "6600"]
    drawn.clear()
    many = pd.DataFrame({"point": range(5), "eFP": np.linspace(0, 6600, 5)})
    many = pd.concat([many.assign(point=many["point"] + 5 * k, eFP=many["eFP"] + k)
                      for k in range(2)])  # ten distinct values: a scale
    rows10 = [{**r, "point": r["point"] + 5 * k} for k in range(2) for r in rows]
    trajectories_figure(many, pd.DataFrame(rows10), ["tension_index"], [5, 50, 95],
                        tmp_path / "t2.png", colour="eFP")
    assert len(drawn[0].axes) == 2  # the colour bar's axes
