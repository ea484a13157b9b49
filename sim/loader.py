"""Load scenario YAML: ``extends`` inheritance, ``--set`` overrides, validation with file and line.

Only ``yaml.SafeLoader`` is used. Every mapping key keeps the file and line it came from, so a
validation error can say ``scenarios/x.yaml:42: actors.Russia.doctrine.memory: ...``.
"""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .errors import ScenarioError, ScenarioErrors
from .schema import (
    ACTOR_VARIABLES,
    DEFAULT_SIDE,
    PAIR_VARIABLES,
    Scenario,
)

Origin = tuple[str, int]
"""(file, 1-based line) a key came from."""


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


def _convert(node: yaml.Node, loader: yaml.SafeLoader, path: tuple, file: str,
             origins: dict[tuple, Origin]) -> Any:
    origins[path] = (file, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict = {}
        for knode, vnode in node.value:
            key = loader.construct_object(knode, deep=True)
            if not isinstance(key, str):
                key = str(key)
            if key in out:
                raise ScenarioError(
                    file, f"duplicate key {key!r}", line=knode.start_mark.line + 1,
                    field=".".join(map(str, path + (key,))),
                )
            out[key] = _convert(vnode, loader, path + (key,), file, origins)
            origins[path + (key,)] = (file, knode.start_mark.line + 1)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_convert(v, loader, path + (i,), file, origins) for i, v in enumerate(node.value)]
    return _plain(loader.construct_object(node, deep=True))


def read_yaml(path: Path) -> tuple[dict, dict[tuple, Origin]]:
    """Read one YAML file into a dict and the origin of every key.

    Raises:
        ScenarioError: missing file, YAML syntax error, or a top level that is not a mapping.
    """
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(file, "file not found") from None
    except OSError as exc:
        raise ScenarioError(file, f"cannot read: {exc.strerror}") from None
    loader = yaml.SafeLoader(text)
    origins: dict[tuple, Origin] = {}
    try:
        node = loader.get_single_node()
        data = {} if node is None else _convert(node, loader, (), file, origins)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise ScenarioError(file, f"YAML syntax error: {exc.problem}", line=line) from None
    except yaml.YAMLError as exc:
        raise ScenarioError(file, f"YAML error: {exc}") from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise ScenarioError(file, "the top level must be a mapping of scenario fields", line=1)
    return data, origins


def _merge(base: dict, over: dict, bo: dict, oo: dict, path: tuple = ()) -> dict:
    """Deep-merge ``over`` into ``base`` (mappings merge, everything else replaces)."""
    out = dict(base)
    for key, val in over.items():
        p = path + (key,)
        if isinstance(val, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], val, bo, oo, p)
        else:
            out[key] = val
            for k in [k for k in bo if k[: len(p)] == p]:
                del bo[k]
        for k, v in oo.items():
            if k[: len(p)] == p:
                bo[k] = v
    return out


def _resolve(path: Path, stack: tuple[Path, ...]) -> tuple[dict, dict[tuple, Origin]]:
    real = path.resolve()
    if real in stack:
        chain = " -> ".join(str(p) for p in stack + (real,))
        raise ScenarioError(str(path), f"'extends' forms a cycle: {chain}", field="extends")
    data, origins = read_yaml(path)
    parent = data.get("extends")
    if parent is None:
        return data, origins
    if not isinstance(parent, str):
        raise ScenarioError(str(path), "'extends' must be a file path (string)",
                            line=origins.get(("extends",), (None, None))[1], field="extends")
    ppath = (path.parent / parent)
    try:
        base, bo = _resolve(ppath, stack + (real,))
    except ScenarioError as exc:
        if exc.problem == "file not found" and exc.file == str(ppath):
            raise ScenarioError(str(path), f"'extends' names a missing file: {ppath}",
                                line=origins[("extends",)][1], field="extends") from None
        raise
    merged = _merge(base, data, bo, origins)
    merged.pop("extends", None)
    merged["extends"] = parent
    return merged, bo


def parse_override(text: str) -> tuple[list[str], Any]:
    """Split ``path.to.field=value`` into its path and a YAML-parsed value.

    Raises:
        ScenarioError: when the override is not of that form.
    """
    if "=" not in text:
        raise ScenarioError("--set", f"expected path.to.field=value, got {text!r}")
    key, raw = text.split("=", 1)
    parts = [p for p in key.strip().split(".")]
    if not key.strip() or any(not p for p in parts):
        raise ScenarioError("--set", f"empty field name in {text!r}")
    try:
        value = _plain(yaml.safe_load(raw)) if raw.strip() else None
    except yaml.YAMLError:
        value = raw
    return parts, value


def apply_overrides(data: dict, origins: dict, overrides: list[str]) -> None:
    """Apply ``--set`` overrides in place; list items are addressed by index (``events.0.date``)."""
    for text in overrides:
        parts, value = parse_override(text)
        node: Any = data
        path: tuple = ()
        for i, part in enumerate(parts):
            key: Any = part
            if isinstance(node, list):
                if not part.isdigit() or int(part) >= len(node):
                    raise ScenarioError("--set", f"no list item {part!r} (list has {len(node)})",
                                        field=".".join(parts[: i + 1]))
                key = int(part)
            last = i == len(parts) - 1
            path += (key,)
            if last:
                node[key] = value
                origins[path] = ("--set", None)
            else:
                if isinstance(node, dict) and key not in node:
                    node[key] = {}
                    origins[path] = ("--set", None)
                node = node[key]
                if not isinstance(node, dict | list):
                    raise ScenarioError("--set", "cannot set a field inside a scalar",
                                        field=".".join(parts[: i + 1]))


def _origin(origins: dict[tuple, Origin], loc: tuple, default: str) -> Origin:
    for n in range(len(loc), -1, -1):
        if loc[:n] in origins:
            return origins[loc[:n]]
    return (default, None)


def _model_at(loc: tuple) -> type[BaseModel] | None:
    """The pydantic model whose fields are allowed at ``loc`` (for 'unknown field' help)."""
    model: Any = Scenario
    for part in loc:
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        field = model.model_fields.get(part) if isinstance(part, str) else None
        if field is None:
            if model is Scenario:
                return None
            return model if part == loc[-1] else None
        ann = field.annotation
        args = getattr(ann, "__args__", ())
        if part == "actors":
            from .schema import Actor

            model = Actor
            continue
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            model = ann
        elif args:
            inner = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            model = inner[0] if inner else None
        else:
            model = None
    return model


def _describe(err: dict, loc: tuple) -> str:
    kind = err["type"]
    if kind == "extra_forbidden":
        model = _model_at(_strip_names(loc))
        allowed = sorted(model.model_fields) if model else []
        near = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        return f"unknown field{hint}; allowed: {', '.join(allowed)}"
    if kind == "missing":
        return "required field is missing"
    msg = err["msg"].removeprefix("Value error, ")
    ctx = err.get("ctx") or {}
    if kind == "literal_error" and "expected" in ctx:
        return f"{msg} (got {err.get('input')!r})"
    return f"{msg} (got {err.get('input')!r})" if "input" in err and kind != "value_error" else msg


def _strip_names(loc: tuple) -> tuple:
    """Replace actor names and list indices by the schema's field names for model lookup."""
    out = []
    skip = False
    for i, part in enumerate(loc):
        if skip:
            skip = False
            continue
        out.append(part)
        if part == "actors" and i + 1 < len(loc):
            skip = True
        if isinstance(part, int):
            out.pop()
    return tuple(out)


def validate(data: dict, origins: dict[tuple, Origin], file: str) -> Scenario:
    """Validate a merged scenario dict; collect every problem with its file and line.

    Raises:
        ScenarioErrors: all schema and cross-reference problems found.
    """
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        errors = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            f, line = _origin(origins, loc, file)
            errors.append(ScenarioError(f, _describe(err, loc), line=line,
                                        field=".".join(map(str, loc)) or None))
        raise ScenarioErrors(errors) from None
    errors = cross_check(scenario, origins, file)
    if errors:
        raise ScenarioErrors(errors)
    return scenario


def cross_check(sc: Scenario, origins: dict[tuple, Origin], file: str) -> list[ScenarioError]:
    """Checks that need the whole scenario: names that must refer to defined actors."""
    errors: list[ScenarioError] = []
    names = set(sc.actors)

    def err(loc: tuple, problem: str) -> None:
        f, line = _origin(origins, loc, file)
        errors.append(ScenarioError(f, problem, line=line, field=".".join(map(str, loc))))

    sides = {n: a.side or DEFAULT_SIDE[a.kind] for n, a in sc.actors.items()}
    if not any(s == "west" for s in sides.values()) or not any(s == "east" for s in sides.values()):
        err(("actors",), "a scenario needs at least one actor on each side (west and east)")
    for name, actor in sc.actors.items():
        for host, share in actor.hosts.items():
            if host not in names:
                err(("actors", name, "hosts", host),
                    f"host {host!r} is not a defined actor; defined: {', '.join(sorted(names))}")
            elif sc.actors[host].kind != "frontline" or sides[host] != sides[name]:
                err(("actors", name, "hosts", host),
                    f"host {host!r} must be a frontline actor on {name}'s side")
            if not 0 <= share <= 1:
                err(("actors", name, "hosts", host), f"share must lie in [0, 1], got {share}")
        if actor.hosts and abs(sum(actor.hosts.values()) - 1.0) > 1e-6:
            err(("actors", name, "hosts"),
                f"host shares must sum to 1, got {sum(actor.hosts.values()):.4f}")
    ceiling = sc.submodels.arms.max_spending_pct
    for name, actor in sc.actors.items():
        if sc.submodels.arms.enabled and actor.military.spending_pct_gdp > ceiling:
            err(("actors", name, "military", "spending_pct_gdp"),
                f"{actor.military.spending_pct_gdp:g} % of GDP is above the fiscal ceiling "
                f"submodels.arms.max_spending_pct = {ceiling:g}")
    for i, rel in enumerate(sc.relations):
        a, b = rel.between
        for x in (a, b):
            if x not in names:
                err(("relations", i, "between"),
                    f"{x!r} is not a defined actor; defined: {', '.join(sorted(names))}")
        if a in names and b in names and sides[a] == sides[b]:
            err(("relations", i, "between"),
                f"{a} and {b} are on the same side; relations are between blocs")
    for i, ev in enumerate(sc.events):
        for j, eff in enumerate(ev.effects):
            loc = ("events", i, "effects", j, "target")
            problem = check_target(eff.target, names, sides)
            if problem:
                err(loc, problem)
            if sum(x is not None for x in (eff.set, eff.add, eff.scale)) != 1:
                err(("events", i, "effects", j), "give exactly one of set, add, scale")
    return errors


def check_target(target: str, names: set[str], sides: dict[str, str]) -> str | None:
    """Return a problem with an effect target, or None when it is valid."""
    if "." not in target:
        return "target must be Actor.variable or A-B.variable"
    who, var = target.split(".", 1)
    if "-" in who:
        a, b = who.split("-", 1)
        for x in (a, b):
            if x not in names:
                return f"{x!r} is not a defined actor; defined: {', '.join(sorted(names))}"
        if sides[a] == sides[b]:
            return f"{a} and {b} are on the same side; pair targets cross blocs"
        if var not in PAIR_VARIABLES:
            return f"unknown pair variable {var!r}; allowed: {', '.join(PAIR_VARIABLES)}"
        return None
    if who not in names:
        return f"{who!r} is not a defined actor; defined: {', '.join(sorted(names))}"
    if var not in ACTOR_VARIABLES:
        return f"unknown actor variable {var!r}; allowed: {', '.join(ACTOR_VARIABLES)}"
    return None


def load_scenario(path: str | Path, overrides: list[str] | None = None) -> Scenario:
    """Load, merge (``extends``), override (``--set``) and validate a scenario file.

    Args:
        path: the scenario YAML file.
        overrides: ``path.to.field=value`` strings applied after ``extends`` is resolved.

    Returns:
        The validated scenario.

    Raises:
        ScenarioError: with file, line, field and what is allowed, for any problem.
    """
    p = Path(path)
    data, origins = _resolve(p, ())
    if overrides:
        apply_overrides(data, origins, overrides)
    return validate(data, origins, str(p))
