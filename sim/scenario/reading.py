"""Bounded reading of YAML files: bytes, text, structure and plain data, each limit checked first.

The scenario loader (:mod:`sim.scenario.loader`) and the shipped calibration
(:mod:`sim.calibration.shipped`) read their files through these functions; neither imports the
other. The limits are :mod:`sim.scenario.limits`'.
"""

from __future__ import annotations

import codecs
import datetime as dt
import difflib
import os
import stat
from pathlib import Path
from typing import Any

import yaml

from . import limits
from .errors import ScenarioError, quote

Origin = tuple[str, int | None]
"""(file, 1-based line) a key came from."""

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser with the safe constructor when PyYAML was built with it (it usually is)."""


# ---- reading bytes and text ------------------------------------------------------------------
def read_bytes(path: Path, cap: int | None = None) -> bytes:
    """Read a regular file of at most ``cap`` bytes.

    Raises:
        ScenarioError: missing, unreadable, not a regular file, or over the cap.
    """
    file = str(path)
    cap = limits.max_file_bytes() if cap is None else cap
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise ScenarioError(file, "file not found" + _bundled_hint(file)) from None
    except OSError as exc:
        raise ScenarioError(file, f"cannot read: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise ScenarioError(file, "is a folder, not a scenario file")
        if not stat.S_ISREG(st.st_mode):
            raise ScenarioError(file, "is not a regular file (a device, pipe or socket); "
                                      "a scenario is a YAML file")
        if st.st_size > cap:
            raise ScenarioError(file, f"is {st.st_size:,} bytes; scenario files may be at most "
                                      f"{cap:,} bytes (FLASHPOINT_MAX_FILE_MB raises the limit)")
        chunks, size = [], 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            size += len(chunk)
            if size > cap:  # the file grew while we read it
                raise ScenarioError(file, f"is larger than {cap:,} bytes")
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise ScenarioError(file, f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def decode(data: bytes, file: str) -> str:
    """UTF-8 text from bytes (a UTF-8 BOM is allowed); anything else is an error naming the line.

    Raises:
        ScenarioError: UTF-16/32 (with a BOM or NUL bytes), invalid UTF-8, or a NUL character.
    """
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise ScenarioError(file, "is UTF-32 encoded; save it as UTF-8", line=1)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ScenarioError(file, "is UTF-16 encoded; save it as UTF-8", line=1)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ScenarioError(file, f"is not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be "
                                  "decoded; save the file as UTF-8", line=line) from None
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise ScenarioError(file, "holds a NUL character: not a text file (UTF-16 without a "
                                  "byte-order mark?); save it as UTF-8", line=line)
    return text


# ---- parsing YAML within bounds --------------------------------------------------------------
def _yaml_error(exc: yaml.YAMLError, file: str) -> ScenarioError:
    """A YAML error as a ScenarioError with a line, never echoing the file's text."""
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    problem = getattr(exc, "problem", None)
    if isinstance(exc, yaml.reader.ReaderError):
        return ScenarioError(file, f"holds a character YAML does not allow (code point "
                                   f"{exc.character!r:.12}); remove it", line=None)
    if isinstance(exc, yaml.constructor.ConstructorError) and problem and "tag" in problem:
        return ScenarioError(file, "unsupported YAML tag: scenarios are plain data (mappings, "
                                   "lists, numbers, strings, dates)", line=line)
    return ScenarioError(file, f"YAML syntax error: {problem or 'malformed YAML'}", line=line)


def check_structure(text: str, file: str) -> None:
    """Bound a YAML text's nesting depth and its node count with aliases expanded.

    Walks libyaml's event stream (no recursion, nothing built), keeping for each anchor the size
    and depth of the subtree it names, so an alias costs what its expansion would cost.

    Raises:
        ScenarioError: too deep, too many nodes, or a YAML syntax error.
    """
    nodes = 0
    anchors: dict[str, tuple[int, int]] = {}  # anchor -> (nodes, levels of nesting it holds)
    open_: list[list] = []  # per open collection: [anchor, nodes before it, deepest level inside]

    def reach(level: int, line: int | None) -> None:
        if level > limits.MAX_DEPTH:
            raise ScenarioError(file, f"nests deeper than {limits.MAX_DEPTH} levels "
                                      "(aliases expanded)", line=line)
        if open_:
            open_[-1][2] = max(open_[-1][2], level)

    try:
        for event in yaml.parse(text, Loader=_Loader):
            line = event.start_mark.line + 1 if event.start_mark else None
            kind = type(event)
            if kind in (yaml.MappingStartEvent, yaml.SequenceStartEvent):
                level = len(open_) + 1
                reach(level, line)
                open_.append([event.anchor, nodes, level])
                nodes += 1
            elif kind in (yaml.MappingEndEvent, yaml.SequenceEndEvent):
                anchor, before, deepest = open_.pop()
                level = len(open_) + 1
                if anchor is not None:
                    anchors[anchor] = (nodes - before, deepest - level + 1)
                if open_:
                    open_[-1][2] = max(open_[-1][2], deepest)
            elif kind is yaml.ScalarEvent:
                nodes += 1
                if event.anchor is not None:
                    anchors[event.anchor] = (1, 0)
            elif kind is yaml.AliasEvent:
                size, levels = anchors.get(event.anchor, (1, 0))
                nodes += size
                reach(len(open_) + levels, line)
            if nodes > limits.MAX_NODES:
                raise ScenarioError(file, f"expands to more than {limits.MAX_NODES:,} YAML nodes "
                                          "(aliases counted each time they are used)", line=line)
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, file) from None


def _plain(value: Any) -> Any:
    """Turn YAML dates into ISO strings so that date fields accept them (recursively)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _convert(node: yaml.Node, loader: Any, path: tuple, file: str,
             origins: dict[tuple, Origin]) -> Any:
    origins[path] = (file, node.start_mark.line + 1)
    plain_tag = {yaml.MappingNode: "tag:yaml.org,2002:map", yaml.SequenceNode: "tag:yaml.org,2002:seq"}
    if type(node) in plain_tag and node.tag != plain_tag[type(node)]:
        raise ScenarioError(file, f"unsupported YAML tag {quote(node.tag)}: scenarios are plain "
                                  "data (mappings, lists, numbers, text); remove the tag",
                            line=node.start_mark.line + 1, field=".".join(map(str, path)) or None)
    if isinstance(node, yaml.MappingNode):
        out: dict = {}
        for knode, vnode in node.value:
            line = knode.start_mark.line + 1
            if not isinstance(knode, yaml.ScalarNode):
                raise ScenarioError(file, "a key must be a plain name, not a list or mapping",
                                    line=line, field=".".join(map(str, path)) or None)
            key = loader.construct_object(knode, deep=True)
            if not isinstance(key, str):
                key = str(_plain(key))
            if key in out:
                raise ScenarioError(file, f"duplicate key {quote(key)}", line=line,
                                    field=".".join(map(str, path + (key,))))
            out[key] = _convert(vnode, loader, path + (key,), file, origins)
            origins[path + (key,)] = (file, line)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_convert(v, loader, path + (i,), file, origins) for i, v in enumerate(node.value)]
    return _plain(loader.construct_object(node, deep=True))


def parse_yaml(text: str, file: str) -> tuple[Any, dict[tuple, Origin]]:
    """Parse bounded YAML text into plain data and the origin of every key.

    Raises:
        ScenarioError: a syntax error, an unsupported tag, too deep or too many nodes.
    """
    check_structure(text, file)
    origins: dict[tuple, Origin] = {}
    try:
        loader = _Loader(text)
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, file) from None
    try:
        node = loader.get_single_node()
        data = None if node is None else _convert(node, loader, (), file, origins)
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, file) from None
    except (RecursionError, MemoryError):
        raise ScenarioError(file, "is too deeply nested or too large to read") from None
    finally:
        loader.dispose()
    return data, origins


def _bundled_hint(name: str) -> str:
    """``; did you mean baseline?`` for a near miss of a bundled scenario's name, else ``""``."""
    from .bundled import bundled_names

    names = bundled_names()
    stem = Path(name).name.removesuffix(".yaml")
    close = difflib.get_close_matches(stem, names, n=1, cutoff=0.6)
    if close:
        return f"; did you mean the bundled scenario {close[0]}?"
    if os.sep not in name and names:
        return f"; bundled scenarios are {', '.join(names)} (flashpoint scenarios lists them)"
    return ""
