"""Who interacts with whom: built once from a scenario, frozen, shared by validation and the model.

Pairs exist across the blocs; a partner (China) acts through its bloc and has pairs of its own only
where a relation lists them. Arcs are ordered pairs: arc k < P is the west actor's view of the east
one, arc P + k the reverse. The aggregation matrices turn arc, pair and rival quantities into
per-actor means weighted by the other side's ``weight``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np

from ..kinds import DEFAULT_SIDE, with_role

if TYPE_CHECKING:
    from ..scenario.schema import Scenario


class _ActorLike(Protocol):
    kind: str
    side: str | None





def sides_of(actors: Mapping[str, _ActorLike]) -> dict[str, str]:
    """Each actor's bloc (``west``/``east``): its own ``side`` or its kind's default."""
    return {n: a.side or DEFAULT_SIDE[a.kind] for n, a in actors.items()}


def interacting_pairs(actors: Mapping[str, _ActorLike],
                      listed: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The pairs that interact, as (west, east) names in scenario order (see the module docstring)."""
    names = list(actors)
    sides = sides_of(actors)
    listed_set = {frozenset(p) for p in listed}
    pairs = []
    for ia, a in enumerate(names):
        for b in names[ia + 1:]:
            if sides[a] == sides[b]:
                continue
            partner = bool(with_role("partner") & {actors[a].kind, actors[b].kind})
            if partner and frozenset((a, b)) not in listed_set:
                continue
            pairs.append((a, b) if sides[a] == "west" else (b, a))
    return pairs


def _normalised_rows(m: np.ndarray) -> np.ndarray:
    return m / np.maximum(m.sum(axis=1, keepdims=True), 1e-12)


@dataclass(frozen=True, eq=False)
class Topology:
    """The scenario's actors, blocs, pairs, arcs and frontline states, and how they aggregate.

    Attributes:
        names: actor names in scenario order (N).
        kinds: each actor's kind.
        sides: each actor's bloc.
        index: name -> row.
        pairs: (west, east) rows of each interacting pair (P).
        pair_names: ``West-East`` names.
        pair_a, pair_b: west and east rows of each pair, (P,).
        arc_i, arc_j: perceiver and perceived rows of each arc, (2P,).
        arc_names: ``A->B`` names.
        front: rows of the frontline states (F,).
        front_names: their names.
        front_index: actor row -> position among the frontline states.
        host: (F, N) share of actor a's deployment standing in frontline state f.
        west, challengers, patrons, unions, defenders: (N,) masks (kinds' roles, sim.kinds).
        weight: (N,) weights in the tension index.
        rivals: (N, N) 1 where two actors form a pair.
        actor_from_arcs: (N, 2P) weighted mean over an actor's own arcs.
        actor_from_pairs: (N, P) weighted mean over an actor's pairs.
        actor_from_rivals: (N, N) weighted mean over an actor's rivals.
        bloc_mean: (N, N) mean over an actor's bloc.
        pair_weight: (P,) weights of the tension index.
        pair_challenger: (P,) whether the pair's eastern side is a challenger.
        pair_front: (P,) position among the frontline states of the pair's western side (-1:
            not a frontline state).
        pair_defender: (P,) whether the pair's western side is a defender.
    """

    names: tuple[str, ...]
    kinds: tuple[str, ...]
    sides: tuple[str, ...]
    index: Mapping[str, int]
    pairs: tuple[tuple[int, int], ...]
    pair_names: tuple[str, ...]
    pair_a: np.ndarray
    pair_b: np.ndarray
    arc_i: np.ndarray
    arc_j: np.ndarray
    arc_names: tuple[str, ...]
    front: np.ndarray
    front_names: tuple[str, ...]
    front_index: Mapping[int, int]
    host: np.ndarray
    west: np.ndarray
    challengers: np.ndarray
    patrons: np.ndarray
    unions: np.ndarray
    defenders: np.ndarray
    weight: np.ndarray
    rivals: np.ndarray
    actor_from_arcs: np.ndarray
    actor_from_pairs: np.ndarray
    actor_from_rivals: np.ndarray
    bloc_mean: np.ndarray
    pair_weight: np.ndarray
    pair_challenger: np.ndarray
    pair_front: np.ndarray
    pair_defender: np.ndarray

    def __repr__(self) -> str:
        return (f"Topology({self.N} actors, {self.P} pairs, {self.F} frontline states: "
                f"{', '.join(self.names)})")

    @property
    def N(self) -> int:  # noqa: N802 - the ODD's symbol
        """Number of actors."""
        return len(self.names)

    @property
    def P(self) -> int:  # noqa: N802
        """Number of interacting pairs."""
        return len(self.pairs)

    @property
    def F(self) -> int:  # noqa: N802
        """Number of frontline states."""
        return len(self.front)

    def pair_index(self, a: str, b: str) -> int | None:
        """The pair of actors ``a`` and ``b`` (either order), or None if they do not interact."""
        ia, ib = self.index.get(a), self.index.get(b)
        if ia is None or ib is None:
            return None
        for k, (x, y) in enumerate(self.pairs):
            if {x, y} == {ia, ib}:
                return k
        return None

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> Topology:
        """Build the topology of a validated scenario."""
        actors = scenario.actors
        names = tuple(actors)
        index = {n: i for i, n in enumerate(names)}
        side_of = sides_of(actors)
        kinds = tuple(a.kind for a in actors.values())
        sides = tuple(side_of[n] for n in names)
        pairs = tuple((index[w], index[e]) for w, e in
                      interacting_pairs(actors, [r.between for r in scenario.relations]))
        N, P = len(names), len(pairs)
        pa = np.array([p[0] for p in pairs], dtype=np.intp)
        pb = np.array([p[1] for p in pairs], dtype=np.intp)
        arc_i, arc_j = np.concatenate([pa, pb]), np.concatenate([pb, pa])
        w = np.array([a.weight for a in actors.values()], dtype=float)
        rivals = np.zeros((N, N))
        rivals[pa, pb] = rivals[pb, pa] = 1.0
        from_arcs = np.zeros((N, 2 * P))
        from_arcs[arc_i, np.arange(2 * P)] = np.maximum(w[arc_j], 1e-9)
        from_pairs = np.zeros((N, P))
        from_pairs[pa, np.arange(P)] = np.maximum(w[pb], 1e-9)
        from_pairs[pb, np.arange(P)] = np.maximum(w[pa], 1e-9)
        pw = w[pa] * w[pb]
        pair_weight = pw / pw.sum() if pw.sum() > 0 else np.full(P, 1.0 / max(P, 1))
        same = np.array([[1.0 if si == sj else 0.0 for sj in sides] for si in sides]
                        ).reshape(N, N)
        front = np.array([i for i, k in enumerate(kinds) if k in with_role("frontline")],
                         dtype=np.intp)
        fpos = {int(f): k for k, f in enumerate(front)}
        host = np.zeros((len(front), N))
        for a, act in enumerate(actors.values()):
            for h, share in act.hosts.items():
                if h in index and index[h] in fpos:
                    host[fpos[index[h]], a] = share
        return cls(
            names=names, kinds=kinds, sides=sides, index=index, pairs=pairs,
            pair_names=tuple(f"{names[a]}-{names[b]}" for a, b in pairs),
            pair_a=pa, pair_b=pb, arc_i=arc_i, arc_j=arc_j,
            arc_names=tuple(f"{names[i]}->{names[j]}" for i, j in zip(arc_i, arc_j, strict=True)),
            front=front, front_names=tuple(names[f] for f in front), front_index=fpos, host=host,
            west=np.array([s == "west" for s in sides]),
            challengers=np.array([k in with_role("challenger") for k in kinds]),
            patrons=np.array([k in with_role("patron") for k in kinds]),
            unions=np.array([k in with_role("union") for k in kinds]),
            defenders=np.array([k in with_role("defender") for k in kinds]),
            weight=w, rivals=rivals,
            actor_from_arcs=_normalised_rows(from_arcs),
            actor_from_pairs=_normalised_rows(from_pairs),
            actor_from_rivals=_normalised_rows(rivals * w[None, :]),
            bloc_mean=same / np.maximum(same.sum(axis=1, keepdims=True), 1.0),
            pair_weight=pair_weight,
            pair_challenger=np.array([kinds[e] in with_role("challenger") for _, e in pairs],
                                     dtype=np.bool_),
            pair_front=np.array([fpos.get(w_, -1) for w_, _ in pairs], dtype=np.int64),
            pair_defender=np.array([kinds[w_] in with_role("defender") for w_, _ in pairs],
                                   dtype=np.bool_),
        )
