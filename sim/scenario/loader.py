"""Load scenario YAML: a bounded reader, ``extends`` inheritance, ``--set`` overrides, validation.

Every mapping key keeps the file and line it came from, so a validation error can say
``scenarios/x.yaml:42: actors.Russia.doctrine.memory: ...``. The reader is built for files from
anyone: regular files only, a size cap, UTF-8 only, the C parser where PyYAML has it, nesting depth
and the node count *after alias expansion* bounded before anything is built (a 363-byte
"billion laughs" file is refused in microseconds), and no file's content echoed in a message
beyond a short quoted value. ``extends`` reaches only files below the referring file's folder, or a
bundled scenario by name. Limits are declared in :mod:`sim.limits`.
"""

from __future__ import annotations

import copy
import difflib
import re
from pathlib import Path, PurePath
from typing import Any

from pydantic import BaseModel, ValidationError

from ..engine.topology import Topology, sides_of
from ..variables import ACTOR_TARGETS, PAIR_TARGETS
from . import limits
from .bundled import bundled_names, find_bundled
from .errors import ScenarioError, ScenarioErrors, quote
from .fields import file_fields
from .reading import (  # noqa: F401 - the bounded reader, re-exported for its users
    Origin,
    _plain,
    check_structure,
    decode,
    parse_yaml,
    read_bytes,
)
from .schema import MAX_SCALE, Actor, CalibratedOn, Scenario


def read_yaml(path: Path) -> tuple[dict, dict[tuple, Origin]]:
    """Read one YAML file into a dict and the origin of every key.

    Raises:
        ScenarioError: missing, unreadable, too large, not UTF-8, a YAML error, or a top level
            that is not a mapping.
    """
    file = str(path)
    data, origins = parse_yaml(decode(read_bytes(path), file), file)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ScenarioError(file, "the top level must be a mapping of scenario fields", line=1)
    if data and not set(data) & set(file_fields(Scenario)):
        # Not a scenario at all (a configuration file, a password file ...): say so without
        # quoting its keys, which may be anything.
        raise ScenarioError(file, f"is not a scenario file: none of its {len(data)} top-level "
                                  f"keys is a scenario field ({', '.join(file_fields(Scenario))})",
                            line=1)
    return data, origins


# ---- extends -----------------------------------------------------------------------------------
def read_document(path: str | Path) -> tuple[dict, dict[tuple, Origin]]:
    """Read any of flashpoint's YAML files (a sweep file ...) with the scenario reader's limits.

    Regular files only, the size cap, UTF-8, libyaml's parser, depth and node budgets; returns
    the mapping and the ``(file, line)`` origin of every key, for :func:`validate_document`.

    Raises:
        ScenarioError: as for a scenario file, or a top level that is not a mapping.
    """
    file = str(path)
    data, origins = parse_yaml(decode(read_bytes(Path(path)), file), file)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ScenarioError(file, "the top level must be a mapping", line=1)
    return data, origins


def validate_document(model: type[BaseModel], data: dict, origins: dict[tuple, Origin],
                      file: str) -> Any:
    """Validate ``data`` with a pydantic model, every problem with its file, line and field.

    Raises:
        ScenarioErrors: all problems found.
    """
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            f, line = _origin(origins, loc, file)
            if err["type"] == "extra_forbidden":
                allowed = sorted(_fields_at(model, loc[:-1]))
                hint = _close(str(loc[-1]), allowed)
                problem = (f"unknown field {quote(str(loc[-1]))}{hint}"
                           + (f"; allowed: {', '.join(allowed)}" if allowed else ""))
            else:
                problem = _describe(err, loc)
            errors.append(ScenarioError(f, problem, line=line, field=field_path(loc)))
        raise ScenarioErrors(errors) from None


def _fields_at(model: Any, loc: tuple) -> list[str]:
    """The field names of the pydantic model reached by following ``loc`` from ``model``."""
    for part in loc:
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return []
        field = model.model_fields.get(part) if isinstance(part, str) else None
        if field is None:
            continue  # a mapping key or list index: the value type is looked at below
        args = [field.annotation, *getattr(field.annotation, "__args__", ())]
        for a in list(args):
            args.extend(getattr(a, "__args__", ()))
        inner = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
        model = inner[0] if inner else None
    return file_fields(model) if isinstance(model, type) and issubclass(model, BaseModel) else []


def _drop_below(origins: dict, path: tuple) -> None:
    for k in [k for k in origins if k[: len(path)] == path]:
        del origins[k]


def _merge(base: dict, over: dict, bo: dict, oo: dict, path: tuple = ()) -> dict:
    """Deep-merge ``over`` into ``base`` (mappings merge, everything else replaces)."""
    out = dict(base)
    for key, val in over.items():
        p = path + (key,)
        if isinstance(val, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], val, bo, oo, p)
        else:
            out[key] = val
            _drop_below(bo, p)
        for k, v in oo.items():
            if k[: len(p)] == p:
                bo[k] = v
    return out


def _parent_file(path: Path, parent: str, line: int | None, field: str = "extends",
                 bundled: bool = True) -> Path:
    """The file a scenario's ``extends`` (or ``reference``, ``calibration``) names.

    A path below ``path``'s folder, or, with ``bundled``, a bundled scenario's name.
    """
    def refuse(problem: str) -> ScenarioError:
        return ScenarioError(str(path), problem, line=line, field=field)

    what = "a bundled scenario's name" if bundled else "'shipped'" if field == "calibration" \
        else "a file"
    if not parent.strip() or "\x00" in parent:
        raise refuse(f"'{field}' must name a file")
    pure = PurePath(parent)
    if pure.is_absolute() or parent.startswith("~"):
        raise refuse(f"'{field}' must be a path relative to this file's folder or {what}, not an "
                     f"absolute path ({quote(parent)})")
    folder = path.parent.resolve()
    candidate = (folder / pure).resolve()
    inside = candidate.is_relative_to(folder)
    if inside and candidate.exists():
        return candidate
    found = find_bundled(parent) if bundled else None
    if found is not None:
        return found
    if not inside:
        raise refuse(f"'{field}' may only name files in this file's folder or below it, or "
                     f"{what}; {quote(parent)} leaves the folder")
    raise refuse(f"'{field}' names a missing file: {quote(parent)} (not in {folder}"
                 + (f" and not a bundled scenario; bundled: {', '.join(bundled_names())})"
                    if bundled else ")"))


def _resolve(path: Path, stack: tuple[Path, ...], chain: list[str] | None = None
             ) -> tuple[dict, dict[tuple, Origin]]:
    """Read ``path`` and merge it over the files it extends; ``chain`` collects their labels."""
    if chain is not None:
        chain.append(str(path))
    real = path.resolve()
    if real in stack:
        chain = " -> ".join(str(p) for p in stack + (real,))
        raise ScenarioError(str(path), f"'extends' forms a cycle: {chain}", field="extends")
    if len(stack) >= limits.MAX_EXTENDS:
        raise ScenarioError(str(path), f"'extends' chain is longer than {limits.MAX_EXTENDS} files",
                            field="extends")
    data, origins = read_yaml(path)
    parent = data.get("extends")
    if parent is None:
        return data, origins
    line = origins.get(("extends",), (None, None))[1]
    if not isinstance(parent, str):
        raise ScenarioError(str(path), "'extends' must be a file path or a bundled scenario's name",
                            line=line, field="extends")
    base, bo = _resolve(_parent_file(path, parent, line), stack + (real,), chain)
    merged = _merge(base, data, bo, origins)
    merged.pop("extends", None)
    merged["extends"] = parent
    return merged, bo


# ---- --set overrides ---------------------------------------------------------------------------
def override_label(text: str) -> str:
    """How an override is named in messages: ``--set actors.X.y=3`` (shortened when long)."""
    return f"--set {quote(text, 80)[1:-1]}"


def parse_override(text: str) -> tuple[list[str], Any]:
    """Split ``path.to.field=value`` into its path and a YAML-parsed value.

    Raises:
        ScenarioError: when the override is not of that form.
    """
    label = override_label(text)
    if len(text) > 65536:
        raise ScenarioError(label, "an override may be at most 65,536 characters")
    if "=" not in text:
        raise ScenarioError(label, "expected path.to.field=value")
    key, raw = text.split("=", 1)
    parts = key.strip().split(".")
    if not key.strip() or any(not p for p in parts):
        raise ScenarioError(label, "empty field name")
    if not raw.strip():
        return parts, None
    try:
        value, _ = parse_yaml(raw, label)
    except ScenarioError:
        value = raw  # not YAML: take it as a string and let the schema judge it
    return parts, _plain(value)


def _close(word: str, options: list[str]) -> str:
    near = difflib.get_close_matches(word, options, n=1, cutoff=0.7)
    return f" (did you mean {near[0]}?)" if near else ""


def apply_overrides(data: dict, origins: dict, overrides: list[str]) -> None:
    """Apply ``--set`` overrides in place; list items are addressed by index (``events.0.date``).

    An override may add an actor only by setting its ``kind`` (``actors.Finland.kind=frontline``)
    or a whole mapping holding one; any other path through an actor that does not exist is an
    error naming the actors there are.
    """
    if len(overrides) > limits.MAX_OVERRIDES:
        raise ScenarioError("--set", f"at most {limits.MAX_OVERRIDES} overrides")
    for text in overrides:
        parts, value = parse_override(text)
        label = override_label(text)
        if parts[0] == "actors" and len(parts) >= 2:
            actors = data.get("actors")
            names = list(actors) if isinstance(actors, dict) else []
            adds = (len(parts) == 3 and parts[2] == "kind") or (
                len(parts) == 2 and isinstance(value, dict) and "kind" in value)
            if parts[1] not in names and not adds:
                raise ScenarioError(
                    label, f"no actor {quote(parts[1])}; actors are {', '.join(names) or 'none'}"
                    f"{_close(parts[1], names)}. To add an actor, set its kind first "
                    f"(actors.{parts[1]}.kind=frontline)", field=".".join(parts[:2]))
        node: Any = data
        path: tuple = ()
        for i, part in enumerate(parts):
            key: Any = part
            if isinstance(node, list):
                if not part.isdigit() or int(part) >= len(node):
                    raise ScenarioError(label, f"no list item {quote(part)} (the list has "
                                               f"{len(node)} items, numbered from 0)",
                                        field=".".join(parts[: i + 1]))
                key = int(part)
            path += (key,)
            if i == len(parts) - 1:
                node[key] = value
                _drop_below(origins, path)
                origins[path] = (label, None)
            else:
                if isinstance(node, dict) and key not in node:
                    node[key] = {}
                    origins[path] = (label, None)
                node = node[key]
                if not isinstance(node, dict | list):
                    raise ScenarioError(label, "cannot set a field inside a single value",
                                        field=".".join(parts[: i + 1]))


# ---- validation --------------------------------------------------------------------------------
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
            return model if part == loc[-1] else None
        if part == "actors":
            model = Actor
            continue
        ann = field.annotation
        args = getattr(ann, "__args__", ())
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
        allowed = sorted(file_fields(model)) if model else []
        hint = _close(str(loc[-1]), allowed).replace("(did you mean ", "(did you mean '")
        hint = hint.replace("?)", "'?)") if hint else ""
        where = f"; allowed: {', '.join(allowed)}" if allowed else ""
        return f"unknown field {quote(str(loc[-1]))}{hint}{where}"
    if kind == "missing":
        return "required field is missing"
    msg = err["msg"].removeprefix("Value error, ")
    if kind == "value_error" or "input" not in err:
        return msg
    return f"{msg} (got {quote(err['input'])})"


def field_path(loc: tuple) -> str | None:
    """A location as a dotted path for messages, each part shortened to 40 characters."""
    parts = [str(p) if len(str(p)) <= 40 else str(p)[:37] + "..." for p in loc]
    return ".".join(parts) or None


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
                                        field=field_path(loc)))
        raise ScenarioErrors(errors) from None
    errors = cross_check(scenario, origins, file)
    if errors:
        raise ScenarioErrors(errors)
    return scenario


def cross_check(sc: Scenario, origins: dict[tuple, Origin], file: str) -> list[ScenarioError]:
    """Checks that need the whole scenario: names that must refer to defined actors."""
    errors: list[ScenarioError] = []
    names = list(sc.actors)

    def err(loc: tuple, problem: str) -> None:
        f, line = _origin(origins, loc, file)
        errors.append(ScenarioError(f, problem, line=line, field=field_path(loc)))

    def unknown(name: str) -> str:
        return (f"no actor {quote(name)}; actors are {', '.join(names)}"
                f"{_close(name, names)}")

    sides = sides_of(sc.actors)
    if not any(s == "west" for s in sides.values()) or not any(s == "east" for s in sides.values()):
        err(("actors",), "a scenario needs at least one actor on each side (west and east)")
    for name, actor in sc.actors.items():
        for host, share in actor.hosts.items():
            if host not in sc.actors:
                err(("actors", name, "hosts", host), f"host: {unknown(host)}")
            elif sc.actors[host].kind != "frontline" or sides[host] != sides[name]:
                err(("actors", name, "hosts", host),
                    f"host {quote(host)} must be a frontline actor on {name}'s side")
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
            if x not in sc.actors:
                err(("relations", i, "between"), unknown(x))
        if a in sc.actors and b in sc.actors and sides[a] == sides[b]:
            err(("relations", i, "between"),
                f"{a} and {b} are on the same side; relations are between blocs")
    topology = Topology.from_scenario(sc)
    for i, ev in enumerate(sc.events):
        for j, eff in enumerate(ev.effects):
            found = effect_problem(eff, sc, topology)
            if found:
                where, problem = found
                err(("events", i, "effects", j, *((where,) if where else ())), problem)
    return errors


def effect_problem(eff: Any, sc: Scenario, topology: Topology) -> tuple[str, str] | None:
    """The first problem of an event's effect in a scenario, as (field, problem), or None.

    ``field`` is ``""`` (the effect as a whole), ``target``, ``set``, ``add`` or ``scale``.
    """
    if sum(x is not None for x in (eff.set, eff.add, eff.scale)) != 1:
        return "", "give exactly one of set, add, scale"
    problem = check_target(eff.target, sc, topology)
    if problem:
        return "target", problem
    problem = check_value(eff)
    if problem:
        return ("set" if eff.set is not None else "add" if eff.add is not None else "scale"), problem
    return None


def target_range(target: str) -> tuple[float, float, str]:
    """The (lowest, highest, unit) of a valid event target's variable."""
    who, var = target.split(".", 1)
    return (PAIR_TARGETS if "-" in who else ACTOR_TARGETS)[var]


def check_target(target: str, sc: Scenario, topology: Topology) -> str | None:
    """Return a problem with an effect target, or None when it is valid."""
    names = list(sc.actors)
    if target.count(".") != 1:
        return (f"target {quote(target)} must be Actor.variable (Russia.deployment_troops) or "
                f"A-B.variable (NATO-Russia.tension)")
    who, var = target.split(".", 1)
    if "-" in who:
        if who.count("-") != 1:
            return f"target {quote(target)}: a pair is two actor names joined by '-'"
        a, b = who.split("-", 1)
        for x in (a, b):
            if x not in sc.actors:
                return f"target {quote(target)}: no actor {quote(x)}; actors are {', '.join(names)}" \
                       f"{_close(x, names)}"
        if topology.pair_index(a, b) is None:
            return (f"target {quote(target)}: {a} and {b} do not form an interacting pair (pairs cross "
                    f"the blocs; a partner has pairs only where a relation lists them)")
        if var not in PAIR_TARGETS:
            return f"unknown pair variable {quote(var)}; allowed: {', '.join(PAIR_TARGETS)}"
        return None
    if who not in sc.actors:
        return f"target {quote(target)}: no actor {quote(who)}; actors are {', '.join(names)}" \
               f"{_close(who, names)}"
    if var not in ACTOR_TARGETS:
        return (f"unknown actor variable {quote(var)}{_close(var, list(ACTOR_TARGETS))}; "
                f"allowed: {', '.join(ACTOR_TARGETS)}")
    return None


def check_value(eff: Any) -> str | None:
    """Return a problem with an effect's value against its target's range, or None."""
    lo, hi, unit = target_range(eff.target)
    if eff.set is not None and not lo <= eff.set <= hi:
        return f"{eff.set:g} is outside {eff.target}'s range [{lo:g}, {hi:g}] ({unit})"
    if eff.add is not None and abs(eff.add) > hi - lo:
        return f"{eff.add:g} is larger than {eff.target}'s whole range [{lo:g}, {hi:g}] ({unit})"
    if eff.scale is not None and not 0 <= eff.scale <= MAX_SCALE:
        return f"scale must lie in [0, {MAX_SCALE:g}], got {eff.scale:g}"
    return None


# ---- the entry point ---------------------------------------------------------------------------
RUN_FIELDS = {"seed": "--seed", "replicates": "--replicates", "steps": "--steps"}
"""Scenario fields the command line may set directly, and the option that does."""


def resolve_path(path: str | Path) -> Path:
    """A scenario file: the path itself, or a bundled scenario's name (``baseline``)."""
    p = Path(path)
    if not p.exists():
        bundled = find_bundled(str(path))
        if bundled is not None:
            return bundled
    return p


EVENT_PATTERN = re.compile(
    r"^\s*(?P<date>\d{4}-\d{2}(?:-\d{2})?)\s+(?P<target>[A-Za-z][\w-]*\.\w+)\s*"
    r"(?P<op>\*|\+|-|=)\s*(?P<value>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*$")
"""``--event "2017-01 NATO.deployment_troops*2"``: a date, a target, ``*`` (scale), ``+``/``-``
(add) or ``=`` (set), and a number."""


def _check_events_in_run(sc: Scenario, events: list[str]) -> None:
    """Refuse an ``--event`` dated outside the run (it would silently do nothing)."""
    from .schema import add_months, parse_date

    start = parse_date(sc.start)
    end = add_months(start, sc.steps * sc.time_step_months)
    for text, event in zip(events, sc.events[len(sc.events) - len(events):], strict=True):
        when = parse_date(event.date)
        if not start <= when < end:
            raise ScenarioError(f"--event {quote(text, 80)[1:-1]}",
                                f"dated {event.date}, outside the run ({start:%Y-%m} to the month "
                                f"before {end:%Y-%m}: {sc.steps} steps of {sc.time_step_months} "
                                "month(s)); date it inside, or run more --steps")


_SHORT_PREFIXES = (("actors.", ""), ("submodels.", ""))
_UNSAFE = re.compile(r"[^A-Za-z0-9_.=,+-]+")
MAX_VARIANT_NAME = 100


def variant_name(name: str, overrides: list[str], events: list[str]) -> str:
    """A ``--set``/``--event`` variant's name: its scenario's, and what differs, readably.

    ``baseline`` with ``--set actors.NATO.posture.deployment_troops=6600`` is
    ``baseline+NATO.posture.deployment_troops=6600``; an event ``2018-01 EU.sanctions_energy=0.9``
    adds ``+2018-01.EU.sanctions_energy=0.9`` (``*`` reads ``x``). It names the default results
    folder and every title, so that two variants never share a folder or a legend entry. Past
    100 characters the end gives way to a short hash of the whole list.
    """
    parts = []
    for text in overrides:
        path, _, value = text.partition("=")
        path = path.strip()
        for prefix, short in _SHORT_PREFIXES:
            if path.startswith(prefix):
                path = short + path[len(prefix):]
        parts.append(f"{path}={value.strip()}")
    parts += [" ".join(text.split()).replace("*", "x") for text in events]
    cleaned = [_UNSAFE.sub("_", part).strip("_") for part in parts]
    full = "+".join([name, *cleaned])
    if len(full) <= MAX_VARIANT_NAME:
        return full
    import hashlib

    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:8]
    return full[: MAX_VARIANT_NAME - 10].rstrip("+._-") + "+h" + digest


def parse_event(text: str) -> dict:
    """A ``--event`` string as a scenario event (a mapping the schema validates).

    Raises:
        ScenarioError: when the text is not of the form DATE TARGET(*|+|-|=)NUMBER.
    """
    label = f"--event {quote(text, 80)[1:-1]}"
    m = EVENT_PATTERN.match(text)
    if not m:
        raise ScenarioError(label, "expected 'YYYY-MM[-DD] Actor.variable*2' (or +N, -N, =N), e.g. "
                                   "'2017-01 NATO.deployment_troops*2'")
    value = float(m["value"])
    op = {"*": "scale", "+": "add", "-": "add", "=": "set"}[m["op"]]
    if m["op"] == "-":
        value = -value
    return {"date": m["date"], "name": text.strip()[:200],
            "description": "from the command line", "effects": [{"target": m["target"], op: value}]}


def _chosen_doctrine(origins: dict, chosen: tuple[str, ...]) -> set[str]:
    """Doctrine values that a what-if extending the calibrated file sets: its choices."""
    return {".".join(map(str, k)) for k, (file, _) in origins.items()
            if len(k) == 4 and k[0] == "actors" and k[2] == "doctrine" and file in chosen}


def _origin_of(origins: dict, dotted: str) -> str | None:
    """The file (or ``--set``) that gave a dotted path its value: its own or its nearest parent's."""
    key = tuple(dotted.split("."))
    while key:
        if key in origins:
            return origins[key][0]
        key = key[:-1]
    return None


def _scenario_calibration_file(path: Path, name: str, line: int | None) -> str | Path:
    """The calibration file a scenario's ``calibration:`` names ('shipped' or a file below it)."""
    if name == "shipped":
        return "shipped"
    return _parent_file(path, name, line, field="calibration", bundled=False)


def _resolve_reference(path: Path, sc: Scenario, base: dict, base_origins: dict,
                       changed: bool, calibration: dict[str, float] | None = None
                       ) -> Scenario | None:
    """The reference of a loaded scenario (see ``Scenario.reference``); None when it is itself."""
    if sc.reference == "self":
        return None
    line = base_origins.get(("reference",), (None, None))[1]
    if sc.reference is not None:
        ref_path = _parent_file(path, sc.reference, line, field="reference")
        return load_scenario(ref_path, with_reference=False, calibration=calibration)
    if sc.extends is not None:
        parent_line = base_origins.get(("extends",), (None, None))[1]
        return load_scenario(_parent_file(path, sc.extends, parent_line), with_reference=False,
                             calibration=calibration)
    if changed:
        return validate(copy.deepcopy(base), base_origins, str(path))
    return None


def load_scenario(path: str | Path, overrides: list[str] | None = None,
                  run_settings: dict[str, int | None] | None = None,
                  events: list[str] | None = None, with_reference: bool = True,
                  calibration: dict[str, float] | str | Path | None = None) -> Scenario:
    """Load, merge (``extends``), override (``--set``), add events and validate a scenario file.

    Args:
        path: the scenario YAML file, or a bundled scenario's name.
        overrides: ``path.to.field=value`` strings applied after ``extends`` is resolved.
        run_settings: ``seed``, ``replicates``, ``steps`` from the command line (None keeps the
            file's); validated by the same schema limits as the file's own values.
        events: ``--event`` strings (``"2017-01 NATO.deployment_troops*2"``) added to the events.
        with_reference: resolve the scenario's reference (its calibrated starting state).
        calibration: fitted values ``{path: value}``, or a calibration file of ``flashpoint
            calibrate`` (``"shipped"`` for the shipped one, whose ensemble the replicates then
            draw from); applied to the scenario and to its reference alike, before ``--set``.
            Default: the scenario's own ``calibration:``.

    Returns:
        The validated scenario, its reference resolved.

    Raises:
        ScenarioError: with file, line, field and what is allowed, for any problem.
    """
    p = resolve_path(path)
    chain: list[str] = []
    data, origins = _resolve(p, (), chain)
    members = None
    chosen: tuple[str, ...] = ()  # files extending the one that declares the calibration
    if calibration is None and isinstance(data.get("calibration"), str):
        declared_in, line = origins.get(("calibration",), (None, None))
        calibration = _scenario_calibration_file(p, data["calibration"], line)
        if declared_in in chain:
            chosen = tuple(chain[: chain.index(declared_in)])
    calibration_source = None
    draws = None
    if isinstance(calibration, str | Path):
        from ..calibration.shipped import load_calibration, load_draws, load_ensemble

        file = None if str(calibration) == "shipped" else Path(calibration).resolve()
        calibration_source = file if file is not None else "shipped"
        calibration, members = load_calibration(file), load_ensemble(file)
        draws = load_draws(file)
    # a submodel constant a file sets is the scenario's premise, not a draw of the world; a file
    # that lists calibration_keeps (a results folder's scenario.yaml) states its choices there
    explicit = isinstance(data.get("calibration_keeps"), list)
    own_constants = set() if explicit else {
        ".".join(map(str, k)) for k in origins if len(k) == 3 and k[0] == "submodels"}
    actors = data.get("actors") if isinstance(data.get("actors"), dict) else {}
    # a value that a what-if extending the calibrated file sets, or that its calibration_keeps
    # lists, is its choice, not calibrated away (nor redrawn from the ensemble)
    keeps = data.get("calibration_keeps")
    keeps = set(keeps) if isinstance(keeps, list) and all(isinstance(k, str) for k in keeps) \
        else set()
    kept = {k for k in (calibration or {})
            if k in keeps or _origin_of(origins, k) in chosen}
    calibrated = [f"{k}={v!r}" for k, v in (calibration or {}).items()
                  if (not k.startswith("actors.") or k.split(".")[1] in actors) and k not in kept]
    if calibrated:
        apply_overrides(data, origins, calibrated)
    base, base_origins = copy.deepcopy(data), dict(origins)
    if overrides:
        apply_overrides(data, origins, overrides)
        kept |= {k for k in (calibration or {})
                 if _origin_of(origins, k) != _origin_of(base_origins, k)}  # set by --set
        # --set's own paths: never drawn from a prior either
        kept |= {".".join(map(str, k)) for k in origins if origins[k] != base_origins.get(k)}
    if events:
        listed = data.setdefault("events", [])
        if not isinstance(listed, list):
            raise ScenarioError("--event", "the scenario's events are not a list")
        for text in events:
            listed.append(parse_event(text))
            origins[("events", len(listed) - 1)] = (f"--event {quote(text, 80)[1:-1]}", None)
    for key, value in (run_settings or {}).items():
        if value is not None:
            data[key] = value
            origins[(key,)] = (RUN_FIELDS[key], None)
    if (overrides or events) and isinstance(data.get("name"), str):
        data["name"] = variant_name(data["name"], overrides or [], events or [])
    sc = validate(data, origins, str(p))
    if events:
        _check_events_in_run(sc, events)
    # the ensemble varies what the run has calibrated; a path a what-if or --set chose keeps
    # the chosen value in every replicate (its reference still draws the ensemble)
    reference = (_resolve_reference(p, sc, base, base_origins, bool(overrides) or bool(events),
                                    calibration) if with_reference else None)
    return sc.calibrated(CalibratedOn(
        reference=reference, members=None if members is None else tuple(members),
        source=calibration_source,  # what the results folder must keep to rerun
        # (a calibrated constant the declaring file sets is calibrated like any other)
        chosen_paths=frozenset(kept | {c for c in own_constants if c not in (calibration or {})}
                               | set(sc.calibration_keeps) | (
            set() if explicit else _chosen_doctrine(origins, chosen))),
        draws=None if draws is None else tuple(draws)))
