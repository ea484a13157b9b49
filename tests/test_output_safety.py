"""Never lose a user's files: what --out may replace, --force, crash safety, concurrent writers."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

import sim.io.output as output
from sim.cli import main

RUN = ["run", "baseline", "--steps", "3", "--no-plot", "-q"]


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` (hidden ones too) with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def steps_in(folder: Path) -> int:
    return int(pd.read_csv(folder / "timeseries.csv")["step"].max())


@pytest.fixture
def user_folder(tmp_path):
    d = tmp_path / "mine"
    (d / "sub").mkdir(parents=True)
    (d / "precious.txt").write_text("keep me")
    (d / "sub" / "notes.md").write_text("mine too")
    return d


def test_folder_of_user_files_is_refused_before_computing(user_folder, capsys, monkeypatch):
    before = tree(user_folder)
    monkeypatch.setattr("sim.engine.runner.FlashpointModel", None)  # computing would crash
    assert main([*RUN, "--out", str(user_folder)]) == 2
    err = capsys.readouterr().err
    assert str(user_folder) in err and "--force" in err and "precious.txt" in err
    assert tree(user_folder) == before


def test_scenario_folder_as_out_keeps_the_scenarios(tmp_path, capsys):
    sb = tmp_path / "sb"
    sb.mkdir()
    src = Path(__file__).resolve().parent.parent / "scenarios" / "baseline.yaml"
    (sb / "baseline.yaml").write_bytes(src.read_bytes())
    before = tree(sb)
    assert main(["run", str(sb / "baseline.yaml"), "--steps", "2", "--out", str(sb)]) == 2
    assert "baseline.yaml" in capsys.readouterr().err
    assert tree(sb) == before


@pytest.mark.parametrize("name", ["/tmp/evil", "../up", "a/b", ".hidden", ""])
def test_scenario_name_must_be_plain(tmp_path, capsys, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    p = tmp_path / "s.yaml"
    p.write_text(f"extends: baseline\nname: {json.dumps(name)}\n")
    assert main(["run", str(p), "--steps", "2", "--no-plot"]) == 2
    assert "s.yaml:2: name" in capsys.readouterr().err
    assert sorted(x.name for x in tmp_path.iterdir()) == ["s.yaml"]


def test_previous_result_is_replaced_and_leaves_nothing_behind(tmp_path):
    out = tmp_path / "o"
    assert main([*RUN, "--out", str(out)]) == 0
    assert main(["run", "baseline", "--steps", "5", "-q", "--out", str(out)]) == 0
    assert steps_in(out) == 5
    assert (out / "tension.png").exists()
    files = json.loads((out / "provenance.json").read_text())["files"]
    assert sorted(files) == sorted(p.name for p in out.iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o"]


def test_previous_result_with_a_user_file_added_is_refused(tmp_path, capsys):
    out = tmp_path / "o"
    assert main([*RUN, "--out", str(out)]) == 0
    (out / "my-analysis.ipynb").write_text("{}")
    before = tree(out)
    assert main([*RUN, "--out", str(out)]) == 2
    assert "my-analysis.ipynb" in capsys.readouterr().err
    assert tree(out) == before


def test_force_writes_beside_user_files_and_never_over_them(user_folder, capsys):
    assert main([*RUN, "--out", str(user_folder), "--force"]) == 0
    assert (user_folder / "precious.txt").read_text() == "keep me"
    assert (user_folder / "sub" / "notes.md").read_text() == "mine too"
    assert steps_in(user_folder) == 3
    # again, with a plot: our files are replaced, the user's kept
    assert main(["run", "baseline", "--steps", "4", "-q", "--out", str(user_folder),
                 "--force"]) == 0
    assert steps_in(user_folder) == 4 and (user_folder / "tension.png").exists()
    assert (user_folder / "precious.txt").read_text() == "keep me"
    # a file of the user's with one of our names is never overwritten, even with --force
    clash = user_folder.parent / "clash"
    clash.mkdir()
    (clash / "summary.json").write_text("my summary")
    assert main([*RUN, "--out", str(clash), "--force"]) == 2
    assert "summary.json" in capsys.readouterr().err
    assert tree(clash) == {"summary.json": b"my summary"}


def test_unusable_out_is_refused_before_computing(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sim.engine.runner.FlashpointModel", None)
    (tmp_path / "afile").write_text("x")
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    for out, fragment in [(".", "current folder"), ("..", "current folder"),
                          (str(tmp_path), "current folder"), ("/", "current folder"),
                          ("afile", "not a folder"), ("afile/below", "is a file"),
                          ("link", "symbolic link"), ("/proc/flashpoint-out", "cannot write")]:
        assert main([*RUN, "--out", out]) == 2, out
        assert fragment in capsys.readouterr().err, out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile", "link", "real"]
    assert list((tmp_path / "real").iterdir()) == []


CRASH = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    import sim.io.output as out
    from sim import run

    target, point, steps = sys.argv[1], sys.argv[2], int(sys.argv[3])
    result = run("baseline", steps=steps)
    real_exchange, real_rename = out._exchange, Path.rename

    def die(*args, **kwargs):
        os._exit(9)

    if point == "writing":
        def partial(result, tmp, **kwargs):
            (tmp / "timeseries.csv").write_text("partial")
            os._exit(9)
        out._write_files = partial
    elif point == "before-exchange":
        out._exchange = die
    elif point == "after-exchange":
        def exchange(a, b):
            real_exchange(a, b)
            os._exit(9)
        out._exchange = exchange
    elif point == "between-renames":  # a file system without RENAME_EXCHANGE
        out._exchange = lambda a, b: False
        def rename(self, dest):
            done = real_rename(self, dest)
            if "-old-" in str(dest):
                os._exit(9)
            return done
        Path.rename = rename
    out.write_run(result, target, plot=False)
""")


@pytest.mark.parametrize("point", ["writing", "before-exchange", "after-exchange",
                                   "between-renames"])
def test_kill_at_any_point_keeps_old_or_new_and_next_run_cleans_up(tmp_path, point):
    out = tmp_path / "o"
    assert main(["run", "baseline", "--steps", "2", "-q", "--no-plot", "--out", str(out)]) == 0
    proc = subprocess.run([sys.executable, "-c", CRASH, str(out), point, "7"], cwd=tmp_path,
                          capture_output=True, text=True)
    assert proc.returncode == 9, proc.stderr
    hidden = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert hidden, "the killed run leaves its temporary folder"
    if point == "between-renames":
        assert not out.exists()  # the gap, closed by the next run in this folder
        output.clean_stale(tmp_path, "o")
    assert steps_in(out) in (2, 7)
    if point == "after-exchange":
        assert steps_in(out) == 7
    # the next run removes the dead run's folders and works as usual
    assert main(["run", "baseline", "--steps", "3", "-q", "--no-plot", "--out", str(out)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o"]
    assert steps_in(out) == 3


def test_stale_folders_of_live_processes_and_user_folders_are_left_alone(tmp_path):
    (tmp_path / "o").mkdir()
    live = tmp_path / f".o.flashpoint-tmp-{os.getppid()}-0123abcd"
    live.mkdir()
    mine = tmp_path / ".o.flashpoint-tmp-999999999-0123abcd"  # dead pid, but not a result
    mine.mkdir()
    (mine / "thesis.tex").write_text("mine")
    output.clean_stale(tmp_path, "o")
    assert live.exists() and (mine / "thesis.tex").read_text() == "mine"


WRITER = textwrap.dedent("""
    import sys
    from sim.cli import main
    sys.exit(main(["run", "baseline", "-R", "4", "--steps", sys.argv[2], "-q", "--no-plot",
                   "--out", sys.argv[1]]))
""")


def test_concurrent_writers_to_one_folder(tmp_path):
    out = tmp_path / "o"
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(out), str(s)], cwd=tmp_path,
                              stderr=subprocess.PIPE, text=True) for s in (5, 6, 7, 8)]
    codes = [(p.wait(), p.stderr.read()) for p in procs]
    assert all(c == 0 for c, _ in codes), codes
    assert steps_in(out) in (5, 6, 7, 8)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o"]


def test_schema_out_never_overwrites_a_user_file(tmp_path, capsys):
    mine = tmp_path / "schema.json"
    mine.write_text("my notes")
    assert main(["schema", "--out", str(mine)]) == 2
    assert mine.read_text() == "my notes"
    ours = tmp_path / "ours.json"
    assert main(["schema", "--out", str(ours)]) == 0
    assert main(["schema", "--out", str(ours)]) == 0  # its own file may be rewritten
    assert json.loads(ours.read_text())["title"] == "flashpoint scenario"
