"""Issue 22, items 1-4: flashpoint replaces only bytes it recorded writing; variants are named;
no statistic averages "never"; comparisons show their headline outcomes and every row."""

import json
import os

import pandas as pd
import pytest

import sim
from sim.cli import main

RUN = ["run", "baseline", "--steps", "3", "-R", "3", "-q"]


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    out = tmp_path_factory.mktemp("res") / "baseline"
    assert main([*RUN, "--no-plot", "--out", str(out)]) == 0
    return out


def test_a_users_file_that_mentions_flashpoint_is_never_replaced_by_plot(results, tmp_path, capsys):
    readme = tmp_path / "README.md"
    readme.write_text("# my notes on flashpoint\n" + "x" * 100 + "\nflashpoint\n")
    before = readme.read_bytes()
    assert main(["plot", "tension", str(results), "--out", str(readme), "--format", "png"]) == 2
    assert "did not write" in capsys.readouterr().err
    assert readme.read_bytes() == before
    # a PNG a user drew, with flashpoint's own metadata words in it, is not taken for ours
    fake = tmp_path / "tension.png"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + b"Software flashpoint" * 50)
    assert main(["plot", "tension", str(results), "--out", str(fake)]) == 2
    assert fake.read_bytes().startswith(b"\x89PNG") and b"Software flashpoint" in fake.read_bytes()


def test_plot_redraws_its_own_file_but_not_once_a_user_changed_it(results, tmp_path, capsys):
    fig = tmp_path / "fig.svg"
    assert main(["plot", "tension", str(results), "--out", str(fig)]) == 0
    assert sim.is_ours(fig)
    assert main(["plot", "postures", str(results), "--out", str(fig)]) == 0  # ours: replaced
    with open(fig, "a") as fh:
        fh.write("<!-- my edit -->")
    edited = fig.read_bytes()
    assert not sim.is_ours(fig)
    assert main(["plot", "tension", str(results), "--out", str(fig)]) == 2
    assert fig.read_bytes() == edited
    assert not [p for p in tmp_path.iterdir() if "flashpoint-tmp" in p.name]


def test_a_forged_ledger_recognises_nothing(results, tmp_path, capsys):
    mine = tmp_path / "mine.png"
    mine.write_bytes(b"mine")
    (tmp_path / ".flashpoint-files.json").write_text(json.dumps(
        {"kind": "flashpoint files", "files": {"mine.png": {"size": 4, "sha256": "0" * 64}}}))
    assert main(["plot", "tension", str(results), "--out", str(mine)]) == 2
    assert mine.read_bytes() == b"mine"


def test_report_never_reads_or_replaces_a_device_or_a_users_page(results, tmp_path, capsys):
    page = tmp_path / "a.html"
    page.write_text("<!DOCTYPE html>\n<!-- flashpoint report -->\n<p>mine</p>")
    before = page.read_bytes()
    assert main(["report", str(results), "--out", str(page)]) == 2
    assert page.read_bytes() == before
    assert main(["report", str(results), "--out", "/dev/zero"]) == 2  # refused, never read
    assert main(["report", str(results), "--out", str(tmp_path)]) == 2  # a folder
    assert main(["report", str(results), "--out", str(tmp_path / "no" / "r.html")]) == 2


def test_report_keeps_a_users_report_figures_folder(results, tmp_path, capsys):
    copy = tmp_path / "run"
    assert main([*RUN, "--no-plot", "--out", str(copy)]) == 0
    figs = copy / ".report-figures"
    figs.mkdir()
    (figs / "mine.png").write_bytes(b"user figure")
    # the folder now holds a user's folder: report writes beside it, never into it
    assert main(["report", str(copy), "--out", str(tmp_path / "r.html")]) == 0
    assert (figs / "mine.png").read_bytes() == b"user figure"
    assert main(["report", str(results)]) == 0
    assert sim.is_ours(results / "report.html")
    assert main(["report", str(results)]) == 0  # its own page: replaced
    # the run's folder, its report included, is still replaceable by a rerun
    assert main([*RUN, "--no-plot", "--out", str(results)]) == 0
    capsys.readouterr()


def test_an_edited_result_file_makes_the_folder_the_users(tmp_path, capsys):
    out = tmp_path / "r"
    assert main([*RUN, "--no-plot", "--out", str(out)]) == 0
    with open(out / "timeseries.csv", "a") as fh:
        fh.write("my,own,row\n")
    edited = (out / "timeseries.csv").read_bytes()
    assert main([*RUN, "--no-plot", "--out", str(out)]) == 2
    assert "timeseries.csv" in capsys.readouterr().err
    assert (out / "timeseries.csv").read_bytes() == edited


def test_a_variant_gets_its_own_folder_and_title(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main([*RUN, "--no-plot"]) == 0
    base = (tmp_path / "results" / "baseline" / "timeseries.csv").read_bytes()
    assert main([*RUN, "--no-plot", "--set", "actors.NATO.posture.deployment_troops=6600"]) == 0
    assert main([*RUN, "--no-plot", "--event", "2016-08 EU.sanctions_energy=0.9"]) == 0
    names = sorted(p.name for p in (tmp_path / "results").iterdir())
    assert names == ["baseline", "baseline+2016-08_EU.sanctions_energy=0.9",
                     "baseline+NATO.posture.deployment_troops=6600"]
    assert (tmp_path / "results" / "baseline" / "timeseries.csv").read_bytes() == base
    resolved = (tmp_path / "results" / names[2] / "scenario.yaml").read_text()
    assert "name: baseline+NATO.posture.deployment_troops=6600" in resolved
    # a different resolved scenario never replaces a result without --force
    out = str(tmp_path / "results" / "baseline")
    assert main([*RUN, "--no-plot", "--set", "actors.US.doctrine.commitment=0.3", "--out", out]) == 2
    assert "another scenario" in capsys.readouterr().err
    assert (tmp_path / "results" / "baseline" / "timeseries.csv").read_bytes() == base
    assert main([*RUN, "--no-plot", "-R", "4", "--out", out]) == 0  # run settings only: replaced
    assert main([*RUN, "--no-plot", "--set", "actors.US.doctrine.commitment=0.3", "--out", out,
                 "--force"]) == 0


def test_month_outcomes_are_missing_for_never_not_minus_one():
    res = sim.run(sim.load_scenario("baseline"), replicates=40, steps=24, seed=3)
    o = res.outcomes
    col = "NATO-Russia.first_month_at.major war"
    assert o[col].isna().all() and str(o[col].dtype) == "Int64"
    assert o["fait_accompli_month"].isna().all()
    reached = o["NATO-Russia.first_month_at.cooperation"]
    assert reached.notna().all() and (reached == 0).all()


def test_compare_reports_p_reached_and_the_month_among_those_that_reach_it():
    from analysis.plots.comparison import paired_differences

    a = pd.DataFrame({"replicate": range(4), "x.first_month_at.r": pd.array([None, None, None, 10],
                                                                            dtype="Int64")})
    b = pd.DataFrame({"replicate": range(4), "x.first_month_at.r": pd.array([5, 7, None, 9],
                                                                            dtype="Int64")})
    t = paired_differences(a, b).set_index("outcome")
    assert t.loc["x.first_month_at.r.p_reached", "mean_a"] == 0.25
    assert t.loc["x.first_month_at.r.p_reached", "mean_b"] == 0.75
    assert t.loc["x.first_month_at.r.p_reached", "difference"] == pytest.approx(0.5)
    month = t.loc["x.first_month_at.r"]
    assert month["mean_a"] == 10 and month["mean_b"] == 7 and month["difference"] == -3
    assert (month["n_a"], month["n_b"]) == (1, 3)
    assert (t["mean_a"].dropna() >= 0).all()  # no -1 anywhere


def test_sweep_point_means_never_average_never():
    from analysis.sensitivity import analysed_outcomes, point_means

    runs = pd.DataFrame({"point": [0, 0, 1, 1], "replicate": [0, 1, 0, 1],
                         "fait_accompli_month": pd.array([None, 12, None, None], dtype="Int64")})
    points = pd.DataFrame({"point": [0, 1], "p": [0.1, 0.9]})
    m = point_means(points, runs, ["fait_accompli_month"])
    assert list(m["fait_accompli_month.p_reached"]) == [0.5, 0.0]
    assert m["fait_accompli_month"].iloc[0] == 12 and pd.isna(m["fait_accompli_month"].iloc[1])
    assert analysed_outcomes(m, ["fait_accompli_month"]) == ["fait_accompli_month.p_reached"]


def test_compare_prints_headlines_and_its_report_shows_every_row(tmp_path, capsys):
    out = tmp_path / "cmp"
    assert main(["compare", "baseline", "efp-doubled", "-R", "4", "--steps", "6",
                 "--out", str(out)]) == 0
    shown = capsys.readouterr().out
    assert "tension_index.final" in shown and "95 % CI" in shown
    table = pd.read_csv(out / "compare.csv")
    assert table["headline"].iloc[0] and table["outcome"].iloc[0] == "tension_index.peak"
    assert not (table.loc[table["outcome"].str.contains("first_month_at"), "mean_a"] < 0).any()
    assert main(["report", str(out)]) == 0
    page = (out / "report.html").read_text()
    assert f"All {len(table)} outcomes" in page and 'href="compare.csv"' in page
    # a file as --out is refused before either run is computed
    afile = tmp_path / "afile"
    afile.write_text("mine")
    assert main(["compare", "baseline", "efp-doubled", "-R", "4", "--out", str(afile)]) == 2
    assert afile.read_text() == "mine"


def test_run_report_summary_has_bands_not_none(results, tmp_path, capsys):
    page = tmp_path / "r.html"
    assert main(["report", str(results), "--out", str(page)]) == 0
    text = page.read_text()
    assert "None" not in text and "reaches limited conflict or higher" in text


def test_schema_out_is_written_once_then_replaced_only_while_unchanged(tmp_path, capsys):
    target = tmp_path / "s.json"
    assert main(["schema", "--out", str(target)]) == 0
    assert main(["schema", "--out", str(target)]) == 0
    target.write_text(target.read_text().replace("flashpoint", "mine"))
    assert main(["schema", "--out", str(target)]) == 2
    assert "mine" in target.read_text()
    assert not [p for p in os.listdir(tmp_path) if "tmp" in p]


def test_a_results_own_scenario_file_reruns_into_its_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for extra in ([], ["--set", "actors.NATO.posture.dialogue=0.3"]):
        assert main([*RUN, "--no-plot", *extra]) == 0
    for name in ("baseline", "baseline+NATO.posture.dialogue=0.3"):
        folder = tmp_path / "results" / name
        before = (folder / "timeseries.csv").read_bytes()
        # README: "flashpoint run DIR/scenario.yaml reruns the run" (here into DIR itself)
        assert main(["run", str(folder / "scenario.yaml"), "-q", "--no-plot"]) == 0
        assert (folder / "timeseries.csv").read_bytes() == before
