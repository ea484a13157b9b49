"""Fuzz layer: mutated bundled scenarios either run or exit 2 with a message, and touch nothing else.

Each case mutates a bundled scenario — as data (keys deleted, renamed or added; values replaced by
other types, extreme or non-finite numbers, long or odd strings) or as text and bytes (YAML syntax
damaged, lines duplicated, bytes inserted, other encodings, oversized files) — and runs it through
the command line in-process. Every case must end in exit 0 with a complete result folder, or exit 2
with an ``error:`` message; never a traceback or an internal error; nothing left on disk besides the
result; a file of the user's beside it untouched. ``FLASHPOINT_FUZZ_EXAMPLES`` sets the number of
cases (100 by default; CI runs 3,000).
"""

import contextlib
import copy
import io
import os
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.cli import main

ROOT = Path(__file__).resolve().parent.parent
SOURCES = {p.name: p.read_text(encoding="utf-8") for p in sorted((ROOT / "scenarios").glob("*.yaml"))}
EXAMPLES = int(os.environ.get("FLASHPOINT_FUZZ_EXAMPLES", "100"))

scalars = st.one_of(
    st.none(), st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, -1, 1e-324, 5e-324, 1e308, 2**63, 0.5, 100, 12000, "auto", "2016-07",
                     "9999-12", "0000-00", "NATO", "NATO-Russia.tension", "Russia.gdp_usd_bn",
                     ".nan", "~", "", "../../etc/passwd", "/dev/zero", "baseline"]),
    st.text(max_size=30),
)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)),
    max_leaves=12)


def paths(data, prefix=()):
    """Every path into nested dicts and lists."""
    out = [prefix]
    if isinstance(data, dict):
        for k, v in data.items():
            out += paths(v, prefix + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += paths(v, prefix + (i,))
    return out


@st.composite
def data_mutation(draw, data):
    data = copy.deepcopy(data)
    for _ in range(draw(st.integers(1, 3))):
        options = [p for p in paths(data) if p]
        if not options:
            break
        path = draw(st.sampled_from(options))
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        key = path[-1]
        action = draw(st.sampled_from(["delete", "replace", "rename", "add"]))
        if action == "delete":
            del parent[key]
        elif action == "replace":
            parent[key] = draw(values)
        elif action == "rename" and isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=20))] = parent.pop(key)
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=20))] = draw(values)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")


@st.composite
def text_mutation(draw, text):
    lines = text.splitlines(keepends=True)
    action = draw(st.sampled_from(["insert", "delete", "duplicate", "indent", "truncate",
                                   "swap", "encoding", "oversize", "bytes"]))
    if action == "insert":
        i = draw(st.integers(0, len(lines)))
        lines.insert(i, draw(st.text(max_size=40)) + "\n")
    elif action == "delete" and lines:
        i = draw(st.integers(0, len(lines) - 1))
        del lines[i: i + draw(st.integers(1, 5))]
    elif action == "duplicate" and lines:
        i = draw(st.integers(0, len(lines) - 1))
        lines[i: i + 1] = [lines[i]] * draw(st.integers(2, 4))
    elif action == "indent" and lines:
        i = draw(st.integers(0, len(lines) - 1))
        lines[i] = " " * draw(st.integers(1, 7)) + lines[i]
    elif action == "truncate":
        cut = draw(st.integers(0, len(text)))
        return text[:cut].encode("utf-8")
    elif action == "swap":
        i = draw(st.integers(0, max(len(text) - 1, 0)))
        ch = draw(st.sampled_from(list(":-[]{}&*!|>'\"#%@`\t,?")))
        return (text[:i] + ch + text[i + 1:]).encode("utf-8")
    elif action == "encoding":
        codec = draw(st.sampled_from(["utf-16", "utf-16-le", "utf-32", "latin-1", "utf-8-sig",
                                      "cp1252"]))
        return text.replace("–", "-").encode(codec, errors="replace")
    elif action == "oversize":
        return (text + "# " + "x" * (5 * 1024 * 1024) + "\n").encode("utf-8")
    elif action == "bytes":
        raw = bytearray(text.encode("utf-8"))
        for _ in range(draw(st.integers(1, 4))):
            raw.insert(draw(st.integers(0, len(raw))), draw(st.integers(0, 255)))
        return bytes(raw)
    return "".join(lines).encode("utf-8")


@st.composite
def mutated(draw):
    name = draw(st.sampled_from(sorted(SOURCES)))
    text = SOURCES[name]
    if draw(st.booleans()):
        return draw(data_mutation(yaml.safe_load(text)))
    return draw(text_mutation(text))


def cli(argv: list[str]) -> int:
    """The command's exit code: argparse's own usage errors exit 2 with a message too."""
    try:
        return main(argv)
    except SystemExit as exc:
        return int(exc.code)


def listing(folder: Path) -> dict[str, bytes | None]:
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None)
            for p in sorted(folder.rglob("*"))}


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(content=mutated(), command=st.sampled_from(["run", "validate"]))
def test_mutated_scenarios_run_or_fail_cleanly(content, command):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "baseline.yaml").write_text(SOURCES["baseline.yaml"])  # for extends
        (folder / "precious.txt").write_text("the user's")
        scenario = folder / "fuzzed.yaml"
        scenario.write_bytes(content)
        before = listing(folder)
        out = folder / "out"
        argv = (["run", str(scenario), "--steps", "3", "-R", "2", "--no-plot", "-q", "--out",
                 str(out)] if command == "run" else ["validate", str(scenario)])
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = cli(argv)
        message = err.getvalue()
        assert code in (0, 2), message
        assert "Traceback" not in message and "internal error" not in message, message
        if code == 2:
            assert message.strip(), "exit 2 without a message"
            if command == "run":
                assert "error:" in message, message
        after = listing(folder)
        if command == "run" and code == 0:
            written = {k for k in after if k == "out" or k.startswith("out/")}
            assert {"out/timeseries.csv", "out/summary.json", "out/provenance.json"} <= written
            for k in written:
                del after[k]
        assert after == before  # nothing else written, removed or changed


BASE_PATHS = [".".join(map(str, p)) for p in paths(yaml.safe_load(SOURCES["baseline.yaml"])) if p]


@settings(max_examples=max(EXAMPLES // 3, 20), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(key=st.one_of(st.sampled_from(BASE_PATHS), st.text(max_size=40)),
       value=st.one_of(st.text(max_size=40), values.map(lambda v: yaml.safe_dump(v).strip())))
def test_fuzzed_overrides_run_or_fail_cleanly(key, value):
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = cli(["run", "baseline", "--set", f"{key}={value}", "--steps", "2", "-R", "1", "--no-plot",
                        "-q", "--out", str(out)])
        message = err.getvalue()
        assert code in (0, 2), message
        assert "Traceback" not in message and "internal error" not in message, message
        if code == 2:
            assert "error:" in message and not out.exists(), message
        assert [p.name for p in Path(tmp).iterdir()] == (["out"] if code == 0 else [])
