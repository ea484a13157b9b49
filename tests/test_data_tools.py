"""Issue 22, items 9-10: what pandas, pyarrow, polars, Dask and notebooks expect."""

import datetime as dt

import pyarrow.parquet as pq
import pytest

import sim
from sim.cli import main


@pytest.fixture(scope="module")
def full_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("full") / "inv"
    assert main(["run", "invasion-2022", "-R", "20", "--steps", "90", "--full", "--no-plot", "-q",
                 "--out", str(out)]) == 0
    return out


def test_parquet_has_dates_as_dates_and_no_empty_column(full_run):
    schema = pq.read_schema(full_run / "timeseries.parquet")
    assert str(schema.field("date").type) == "date32[day]"
    assert "quantile" not in schema.names
    table = pq.read_table(full_run / "timeseries.parquet")
    assert all(table.column(n).null_count < len(table) for n in table.column_names)
    first = table.column("date")[0].as_py()
    assert isinstance(first, dt.date) and first == dt.date.fromisoformat(
        sim.load_scenario("invasion-2022").start + "-01")


def test_polars_reads_every_table_with_its_defaults(full_run):
    pl = pytest.importorskip("polars")
    events = pl.read_csv(full_run / "events.csv")
    assert events.schema["value"] == pl.Float64 and events.height > 0
    summary = pl.read_csv(full_run / "summary.csv")
    assert summary.columns == ["section", "entity", "metric", "statistic", "value"]
    assert pl.read_csv(full_run / "timeseries.csv").height > 0
    assert pl.read_parquet(full_run / "timeseries.parquet").schema["date"] == pl.Date


def test_summary_csv_is_tidy_and_matches_the_json(full_run):
    import json

    import pandas as pd

    tidy = pd.read_csv(full_run / "summary.csv", keep_default_na=False)
    doc = json.loads((full_run / "summary.json").read_text())
    peak = tidy[(tidy.entity == "tension_index") & (tidy.metric == "peak") &
                (tidy.statistic == "p50")]["value"].item()
    assert peak == pytest.approx(doc["overall"]["tension_index"]["peak"]["p50"], rel=1e-5)
    assert len(tidy.columns) == 5 and len(tidy) > 100


def test_the_sweep_api_takes_a_distributed_client(tmp_path):
    distributed = pytest.importorskip("distributed")
    from analysis.sweeps import sweep

    text = ("name: s\nscenario: baseline\nuncertainties:\n"
            "  actors.Russia.doctrine.threat_sensitivity: {values: [0.5, 2.0]}\n"
            "sampler: grid\nreplicates: 2\nsteps: 4\noutcomes: [NATO-Russia.peak_tension]\n")
    (tmp_path / "s.yaml").write_text(text)
    with distributed.Client(processes=False, n_workers=1, threads_per_worker=1,
                            dashboard_address=None) as client:
        points, runs = sweep(tmp_path / "s.yaml", tmp_path / "o", dask=client)
        assert client.status == "running"  # the caller's client is not closed
    local_points, local_runs = sweep(tmp_path / "s.yaml", tmp_path / "o2")
    assert runs.equals(local_runs) and len(points) == 2


def test_a_result_in_a_notebook_is_short_and_draws_itself(tmp_path):
    from analysis.plots import figure, plot

    res = sim.run("invasion-2022", replicates=12, steps=36, record="full")
    assert len(repr(res)) < 250 and "invasion-2022" in repr(res)
    page = res._repr_html_()
    assert "<table>" in page and len(page) < 4000
    for kind in ("tension", "postures", "actors", "ladder"):
        drawn = figure(kind, res)
        assert drawn._repr_png_().startswith(b"\x89PNG") and len(drawn.png) > 20_000
    assert figure("ladder", res).save(tmp_path / "ladder.png").stat().st_size > 20_000
    assert plot("tension", res, tmp_path / "t.svg").read_text().lstrip().startswith("<?xml")
    with pytest.raises(sim.ScenarioError, match="out="):
        plot("tension", res)


def test_progress_bars_are_tqdm_auto(monkeypatch):
    import tqdm.auto

    shown = []

    class Bar(tqdm.auto.tqdm):  # tqdm.auto: a widget in a notebook, text in a terminal
        def __init__(self, *args, **kwargs):
            shown.append(kwargs.get("unit"))
            super().__init__(*args, **{**kwargs, "disable": True})

    monkeypatch.setattr(tqdm.auto, "tqdm", Bar)
    sim.run("baseline", replicates=2, steps=3, progress=True)
    assert shown == ["step"]
