"""Which actors interact: one rule, used by validation and by the model alike."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol


class _ActorLike(Protocol):
    kind: str
    side: str | None


DEFAULT_SIDE = {
    "alliance": "west",
    "frontline": "west",
    "patron": "west",
    "union": "west",
    "challenger": "east",
    "partner": "east",
    "satellite": "east",
}
"""Bloc of each kind when the scenario does not say: pairs across blocs interact."""


def sides_of(actors: Mapping[str, _ActorLike]) -> dict[str, str]:
    """Each actor's bloc (``west``/``east``): its own ``side`` or its kind's default."""
    return {n: a.side or DEFAULT_SIDE[a.kind] for n, a in actors.items()}


def interacting_pairs(actors: Mapping[str, _ActorLike],
                      listed: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The pairs that interact, as (west, east) names in scenario order.

    Every pair across the blocs interacts, except that a partner (China) acts through its bloc and
    has pairs of its own only where a relation lists them.

    Args:
        actors: the scenario's actors, in order.
        listed: the ``between`` of each relation.
    """
    names = list(actors)
    sides = sides_of(actors)
    listed_set = {frozenset(p) for p in listed}
    pairs = []
    for ia, a in enumerate(names):
        for b in names[ia + 1:]:
            if sides[a] == sides[b]:
                continue
            partner = "partner" in (actors[a].kind, actors[b].kind)
            if partner and frozenset((a, b)) not in listed_set:
                continue
            pairs.append((a, b) if sides[a] == "west" else (b, a))
    return pairs
