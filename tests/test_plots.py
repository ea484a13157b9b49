"""Figures and reports: each kind from real (small) results, checked on the matplotlib objects;
a paired comparison; the HTML report in a real headless browser; bad inputs."""

from __future__ import annotations

import re
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest

from analysis.plots import KINDS, compare, load_results, report
from analysis.plots.figures import plot_actors, plot_ladder, plot_postures, plot_tension
from sim.cli import main


@pytest.fixture(scope="module")
def ensemble(tmp_path_factory):
    out = tmp_path_factory.mktemp("runs") / "ens"
    assert main(["run", "invasion-2022", "-R", "24", "--steps", "84", "--seed", "3", "--full",
                 "--no-plot", "-q", "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def single(tmp_path_factory):
    out = tmp_path_factory.mktemp("runs") / "one"
    assert main(["run", "baseline", "-R", "1", "--steps", "36", "--no-plot", "-q", "--out",
                 str(out)]) == 0
    return out


def test_tension_fan_chart_of_an_ensemble(ensemble, tmp_path):
    res = load_results(ensemble)
    _, ax = plot_tension(res, tmp_path / "t.png")
    assert (tmp_path / "t.png").stat().st_size > 10_000
    labels = ax.get_legend_handles_labels()[1]
    assert "overall tension index (median)" in labels
    assert {"index, 90 % of replicates", "index, 50 %", "sample replicates"} <= set(labels)
    thin = [line for line in ax.lines if line.get_linewidth() == 0.6]
    assert len(thin) == 5  # five sample paths (the run kept every replicate: --full)
    assert sum(lab.startswith("pair ") for lab in labels) == 7  # every pair with Russia
    assert "R = 24" in ax.get_title() and "seed 3" in ax.get_title()
    assert "0 (partnership)" in ax.get_ylabel()
    lo, hi = ax.get_ylim()
    assert lo > 0 or hi < 100  # fitted to the data, not 0-100
    assert any("Invasion of Ukraine" in t.get_text() for t in ax.texts)  # events named
    assert any(t.get_text() == "confrontation with incidents" for t in ax.texts)  # rungs named


def test_single_replicate_figures(single, tmp_path):
    res = load_results(single)
    _, ax = plot_tension(res, tmp_path / "t.png")
    assert "one replicate" in ax.get_title()
    _, axes = plot_ladder(res, tmp_path / "l.png")
    assert len(axes) == 7 and axes[0, 0].get_yticklabels()[0].get_text() == "cooperation"


def test_postures_and_actors_small_multiples(ensemble, tmp_path):
    res = load_results(ensemble)
    _, axes = plot_postures(res, tmp_path / "p.png")
    titles = [ax.get_title() for ax in axes.flat if ax.get_title()]
    assert "Troops deployed forward" in titles and "Energy sanctions" in titles  # long names
    panel = next(ax for ax in axes.flat if ax.get_title() == "Troops deployed forward")
    assert panel.get_ylabel() == "troops"  # real units
    assert {line.get_label() for line in panel.lines} >= {"NATO", "Russia", "US"}
    _, axes = plot_actors(res, tmp_path / "a.png")
    spending = next(ax for ax in axes.flat
                    if ax.get_title() == "Defence spending, share of GDP")
    assert spending.get_ylabel() == "% of GDP" and len(spending.lines) == 8
    # one fixed colour per actor across figures
    colours = {line.get_label(): line.get_color() for line in spending.lines}
    assert colours["Russia"] == next(line.get_color() for line in panel.lines
                                     if line.get_label() == "Russia")


def test_ladder_of_an_ensemble_is_p_of_each_rung(ensemble, tmp_path):
    _, axes = plot_ladder(load_results(ensemble), tmp_path / "l.png")
    stack = axes[0, 0].collections
    assert len(stack) == 7  # one area per rung
    heights = np.sum([c.get_paths()[0].vertices[:, 1].max() for c in stack[:1]])
    assert heights <= 1.0 + 1e-9


def test_the_command_line_draws_every_kind_and_keeps_the_folder_replaceable(ensemble, tmp_path):
    folder = tmp_path / "ens"
    shutil.copytree(ensemble, folder)
    for kind in ("tension", "postures", "actors", "ladder"):
        assert main(["plot", kind, str(folder)]) == 0
        assert (folder / f"{kind}.png").is_file()
    assert main(["plot", "tension", str(folder), "--format", "svg"]) == 0
    assert (folder / "tension.svg").read_text().lstrip().startswith("<?xml")
    assert main(["plot", "compare", str(folder), str(folder), "--out",
                 str(tmp_path / "c.png")]) == 0
    # the figures are flashpoint's: a new run may replace the folder with them (--force: a
    # result of another scenario)
    assert main(["run", "baseline", "-R", "2", "--steps", "3", "--no-plot", "-q", "--out",
                 str(folder)]) == 2
    assert main(["run", "baseline", "-R", "2", "--steps", "3", "--no-plot", "-q", "--out",
                 str(folder), "--force"]) == 0
    assert not (folder / "postures.png").exists()


def test_compare_on_common_random_numbers(tmp_path):
    out = tmp_path / "cmp"
    written = compare("baseline", "efp-doubled", out, replicates=30, steps=60)
    table = pd.read_csv(written["compare.csv"]).set_index("outcome")
    row = table.loc["Russia.final_deployment_troops"]
    assert row["ci95_lo"] <= row["difference"] <= row["ci95_hi"]
    assert row["difference"] > 500  # the doubled eFP draws a Russian answer (spiral reading)
    assert row["ci95_hi"] - row["ci95_lo"] < row["difference"]  # paired: a tight interval
    again = compare("baseline", "efp-doubled", out, replicates=30, steps=60)  # its own: replaced
    assert pd.read_csv(again["compare.csv"]).equals(pd.read_csv(written["compare.csv"]))
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "compare.csv").write_text("mine")
    with pytest.raises(OSError, match="did not write"):
        compare("baseline", "efp-doubled", theirs, replicates=4, steps=6)
    assert (theirs / "compare.csv").read_text() == "mine"
    same = compare("baseline", "baseline", tmp_path / "same", replicates=10, steps=24)
    same_table = pd.read_csv(same["compare.csv"])
    assert (same_table["difference"].dropna() == 0).all()  # identical streams
    never = same_table["difference"].isna()  # a month neither run ever reaches: no difference
    assert never.any() and (same_table.loc[never, "n_a"] == 0).all()
    assert not any(c.startswith("actors.") for c in table.index)  # parameters are not outcomes


def test_sweep_figure(tmp_path):
    sweep = tmp_path / "s.yaml"
    sweep.write_text("name: s\nscenario: baseline\nlevers:\n"
                     "  actors.NATO.posture.deployment_troops: {values: [0, 3300, 6600]}\n"
                     "uncertainties:\n  actors.Russia.doctrine.threat_sensitivity: "
                     "{values: [0.5, 2.0]}\nsampler: grid\nreplicates: 4\nsteps: 12\n"
                     "outcomes: [NATO-Russia.peak_tension]\n")
    out = tmp_path / "o"
    assert main(["sweep", str(sweep), "--out", str(out), "-q", "--workers", "1"]) == 0
    assert main(["plot", "sweep", str(out)]) == 2  # not analysed yet: a clear error
    assert main(["analyze", str(out)]) == 0
    assert main(["plot", "sweep", str(out)]) == 0 and (out / "sweep.png").is_file()


@pytest.mark.parametrize(("argv", "message"), [
    (["plot", "tension", "nowhere"], "no such results folder"),
    (["plot", "histogram", "."], "no such figure"),
    (["plot", "tension", "{sweep}"], "is a sweep's folder"),
    (["plot", "ladder", "{no_ladder}"], "needs its shares"),
    (["plot", "tension", "{empty}"], "is not a results folder"),
    (["report", "nowhere"], "no such results folder"),
])
def test_bad_inputs_get_a_clear_error(argv, message, tmp_path, capsys):
    sweep = tmp_path / "sweep"
    sweep.mkdir()
    (sweep / "sweep.yaml").write_text("name: x\n")
    empty = tmp_path / "empty"
    empty.mkdir()
    ens = tmp_path / "ens"
    if "{no_ladder}" in argv:  # an ensemble's folder of an older version: no ladder.csv
        assert main(["run", "baseline", "-R", "3", "--steps", "3", "--no-plot", "-q", "--out",
                     str(ens)]) == 0
        (ens / "ladder.csv").unlink()
    argv = [a.format(sweep=sweep, empty=empty, no_ladder=ens) for a in argv]
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_report_is_self_contained_and_renders_in_a_headless_browser(ensemble, tmp_path):
    folder = tmp_path / "ens"
    shutil.copytree(ensemble, folder)
    page = report(folder)
    text = page.read_text()
    assert "<h2>tension</h2>" in text and "<h2>ladder</h2>" in text
    srcs = re.findall(r'src="([^"]+)"', text)
    assert srcs and all(s.startswith("data:image/png;base64,") for s in srcs)
    assert "http://" not in text and "https://" not in text  # nothing to fetch
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    shot = tmp_path / "shot.png"
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu",
                    "--hide-scrollbars", f"--screenshot={shot}", "--window-size=1200,2400",
                    page.as_uri()], check=True, capture_output=True, timeout=120)
    import matplotlib.image as mpimg

    pixels = mpimg.imread(shot)
    assert pixels.shape[0] >= 2000 and pixels.shape[1] >= 1000
    grey = pixels[..., :3].mean(axis=2)
    assert grey.std() > 0.05  # not a blank page
    assert (grey < 0.5).mean() > 0.005  # text and lines drawn


def test_every_kind_is_declared():
    assert set(KINDS) == {"tension", "postures", "actors", "ladder", "sweep", "compare"}


def test_plot_redraws_its_own_figures_in_every_format_but_never_a_users_file(single, tmp_path):
    folder = tmp_path / "one"
    shutil.copytree(single, folder)
    for fmt in ("png", "svg", "pdf"):
        assert main(["plot", "tension", str(folder), "--format", fmt]) == 0
        assert main(["plot", "tension", str(folder), "--format", fmt]) == 0  # its own: redrawn
    mine = tmp_path / "mine.png"
    mine.write_bytes(b"not a figure")
    assert main(["plot", "tension", str(folder), "--out", str(mine)]) == 2
    assert mine.read_bytes() == b"not a figure"


def test_a_users_own_matplotlib_figure_is_not_taken_for_flashpoints(single, tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    theirs = tmp_path / "theirs.png"
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    fig.savefig(theirs)
    plt.close(fig)
    before = theirs.read_bytes()
    assert main(["plot", "tension", str(single), "--out", str(theirs)]) == 2
    assert theirs.read_bytes() == before
