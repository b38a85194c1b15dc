"""Route constraints: force a route through, or keep it away from, parts of a corridor.

A constraint is a string: a node (its id, name or alias), or ``kind:value``
with kind one of

- ``country:AZ`` — any node of a country (ISO 3166 alpha-2);
- ``branch:west`` — any link tagged with a branch of the corridor;
- ``mode:road`` — any link of a mode (and, for ``avoid``, every transfer to it);
- ``border:B01`` — the link that crosses a border crossing;
- ``link:W06`` — one link;
- ``strait:suez`` — any link tagged with a strait, in a ``straits`` (or
  ``x_straits``) column of ``links.csv``;
- ``node:RU_MCX`` — a node, written explicitly.

``via`` constraints are passed in the order given; ``avoid`` constraints
close every edge they name. ``branches`` keeps a route on the links tagged
with one of the given branches (links without tags stay open).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from instc.errors import UnreachableError
from instc.network.graph import EDGE_LINK, EDGE_TRANSFER
from instc.network.schema import MODES
from instc.routing._errors import RoutingOptionError
from instc.routing.edge_values import EdgeFactors
from instc.routing.names import NodeMatcher
from instc.routing.paths import Waypoint

__all__ = ["CONSTRAINT_KINDS", "RouteConstraints"]

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]

CONSTRAINT_KINDS: tuple[str, ...] = ("node", "country", "branch", "mode", "border", "link",
                                     "strait")
_STRAIT_COLUMNS = ("straits", "x_straits")


def _split(token: str) -> tuple[str, str]:
    kind, sep, value = token.partition(":")
    if sep and kind.strip().lower() in CONSTRAINT_KINDS:
        return kind.strip().lower(), value.strip()
    return "node", token.strip()


@dataclass(frozen=True)
class RouteConstraints:
    """Where a route must pass and where it must not.

    Parameters
    ----------
    via : tuple of str
        Constraints the route passes, in this order (see the module's syntax).
    avoid : tuple of str
        Constraints the route keeps away from.
    branches : tuple of str or None
        Keep to links tagged with one of these branches (untagged links
        stay open); ``None`` for no restriction.
    """

    via: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()
    branches: tuple[str, ...] | None = None

    @classmethod
    def make(cls, via: str | Sequence[str] = (), avoid: str | Sequence[str] = (),
             branches: str | Sequence[str] | None = None) -> RouteConstraints:
        """Build constraints from strings or sequences of strings."""
        def tup(x: str | Sequence[str]) -> tuple[str, ...]:
            return (x,) if isinstance(x, str) else tuple(x)
        return cls(tup(via), tup(avoid), None if branches is None else tup(branches))

    @property
    def empty(self) -> bool:
        """Whether there is no constraint at all."""
        return not self.via and not self.avoid and self.branches is None

    def closed(self, factors: EdgeFactors, matcher: NodeMatcher, *,
               endpoints: tuple[str, str]) -> BoolArray:
        """Return the edges closed by ``avoid`` and ``branches``.

        Raises
        ------
        RoutingOptionError
            For an unknown country, branch, mode, border, link or strait, or
            when the origin or destination itself is avoided.
        """
        g = factors.graph
        closed = np.zeros(g.n_edges, dtype=bool)
        for token in self.avoid:
            kind, value = _split(token)
            if kind in ("node", "country"):
                if kind == "node":
                    nodes = {matcher.resolve(value)}
                else:
                    nodes = _country_nodes(factors, value)
                hit = nodes & set(endpoints)
                if hit:
                    raise RoutingOptionError(
                        f"cannot avoid {token!r}: the route starts or ends at {sorted(hit)[0]!r}")
                closed |= np.array([a in nodes or b in nodes for a, b in
                                    zip(factors.from_node, factors.to_node, strict=True)])
            elif kind == "mode":
                _check_mode(value)
                closed |= np.array([g.vertex_mode[int(t)] == value or g.vertex_mode[int(h)] == value
                                    for t, h in zip(g.tail, g.head, strict=True)])
            else:
                closed |= _edges_of(factors, kind, value) & (g.kind == EDGE_LINK)
        if self.branches is not None:
            allowed = set(self.branches)
            for b in allowed:
                _check_branch(factors, b)
            closed |= np.array([bool(tags) and not (allowed & set(tags))
                                for tags in factors.branches])
        return closed

    def waypoints(self, factors: EdgeFactors, matcher: NodeMatcher,
                  weight: FloatArray) -> list[list[Waypoint]]:
        """Return one set of waypoints per ``via`` constraint, in order.

        Raises
        ------
        RoutingOptionError
            For an unknown country, branch, mode, border, link or strait, or a
            ``via`` constraint that no open edge satisfies.
        """
        g = factors.graph
        sets: list[list[Waypoint]] = []
        for token in self.via:
            kind, value = _split(token)
            if kind in ("node", "country"):
                nodes = ({matcher.resolve(value)} if kind == "node"
                         else _country_nodes(factors, value))
                idx = {g.node_ids.index(n) for n in nodes if n in g.node_ids}
                wps = [Waypoint(v, v) for v in range(g.n_vertices)
                       if int(g.vertex_node[v]) in idx
                       and g.vertex_mode[v] not in ("origin", "destination")]
            else:
                mask = _edges_of(factors, kind, value)
                if kind != "mode":
                    mask &= g.kind == EDGE_LINK
                wps = [Waypoint(int(g.tail[e]), int(g.head[e]), float(weight[e]), (int(e),))
                       for e in np.flatnonzero(mask) if np.isfinite(weight[e])]
            if not wps:  # it exists (names are checked above), but is closed or avoided
                raise UnreachableError(f"via {token!r}: nothing open in {g.year} satisfies "
                                       "it (closed that year, or left out by avoid)")
            sets.append(wps)
        return sets


def _country_nodes(factors: EdgeFactors, code: str) -> set[str]:
    code = code.upper()
    nodes = {n for n, c in zip(factors.from_node, factors.from_country, strict=True) if c == code}
    if not nodes:
        known = sorted(set(factors.from_country))
        raise RoutingOptionError(f"country {code!r} has no node in the {factors.graph.year} "
                                 f"network; expected one of {', '.join(known)}")
    return nodes


def _check_mode(mode: str) -> None:
    if mode not in MODES:
        raise RoutingOptionError(f"unknown mode {mode!r}; expected one of {', '.join(MODES)}")


def _check_branch(factors: EdgeFactors, branch: str) -> None:
    known = sorted({b for tags in factors.branches for b in tags})
    if branch not in known:
        raise RoutingOptionError(f"unknown branch {branch!r}; expected one of "
                                 f"{', '.join(known)}")


def _edges_of(factors: EdgeFactors, kind: str, value: str) -> BoolArray:
    g = factors.graph
    if kind == "branch":
        _check_branch(factors, value)
        return np.array([value in tags for tags in factors.branches], dtype=bool)
    if kind == "mode":
        _check_mode(value)
        on: BoolArray = np.array([m == value for m in factors.mode], dtype=bool)
        on &= g.kind != EDGE_TRANSFER
        return on
    if kind == "border":
        mask = np.array([b == value for b in g.border], dtype=bool)
        if not mask.any():
            known = sorted({b for b in g.border if b})
            raise RoutingOptionError(f"unknown border {value!r} in {g.year}; expected one of "
                                     f"{', '.join(known)}")
        return mask
    if kind == "link":
        mask = np.array([el == value for el in g.element], dtype=bool)
        mask &= g.kind == EDGE_LINK
        if not mask.any():
            raise RoutingOptionError(f"unknown link {value!r}: not in the {g.year} network")
        return mask
    if kind == "strait":
        return _strait_edges(factors, value)
    raise RoutingOptionError(f"unknown constraint kind {kind!r}; expected one of "
                             f"{', '.join(CONSTRAINT_KINDS)}")


def _strait_edges(factors: EdgeFactors, strait: str) -> BoolArray:
    tags = factors.straits or ()
    known = sorted({s for t in tags for s in t})
    if not known:
        raise RoutingOptionError(
            f"cannot use strait {strait!r}: the corridor tags no straits (the 'straits' "
            "column of links.csv lists the straits each sea link passes); use "
            "'link:<id>' or 'branch:<id>' instead")
    if strait not in known:
        raise RoutingOptionError(f"unknown strait {strait!r}; expected one of {', '.join(known)}")
    return np.array([strait in t for t in tags], dtype=np.bool_)
