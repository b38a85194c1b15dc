"""Forgiving node-name matching: ids, names, aliases, case, accents, "St"/"Saint".

A name given by a user is compared with every node's id, name (with and
without the parenthesised part), UN/LOCODE and aliases after normalising
both: Unicode accents removed (NFKD), case folded, punctuation turned into
spaces, and the usual transliterations of *Saint* (``St``, ``St.``,
``Sankt``, ``San``) made one word. So "St Petersburg", "saint-petersburg"
and "Sankt-Peterburg" find the node whose aliases hold any of them.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from instc.errors import UnknownNodeError

if TYPE_CHECKING:
    from instc.network.corridor import Corridor

__all__ = ["NodeMatcher", "closest_nodes", "normalize_name", "resolve_node"]

_SAINT = re.compile(r"\b(saint|sankt|st|ste|san|sint)\b")
_PAREN = re.compile(r"\s*\([^)]*\)")
_NONWORD = re.compile(r"[\W_]+")


def normalize_name(text: str) -> str:
    """Return ``text`` folded for matching: no accents, lower case, one space."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = _NONWORD.sub(" ", text).strip()
    text = _SAINT.sub("st", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class NodeMatcher:
    """Every spelling of every node of a corridor, normalised.

    Attributes
    ----------
    names : dict of str to str
        Node id to its display name.
    keys : dict of str to tuple of str
        Normalised spelling to the node ids it names.
    """

    names: dict[str, str]
    keys: dict[str, tuple[str, ...]]

    @classmethod
    def from_corridor(cls, corridor: Corridor) -> NodeMatcher:
        """Collect the spellings of the nodes of ``corridor``."""
        names: dict[str, str] = {}
        keys: dict[str, list[str]] = {}
        for row in corridor.nodes.to_dict("records"):
            nid = str(row["id"])
            names[nid] = str(row["name"])
            spellings = [nid, str(row["name"]), _PAREN.sub("", str(row["name"]))]
            aliases = row.get("aliases") or ()
            spellings += [str(a) for a in aliases]
            spellings += [_PAREN.sub("", str(a)) for a in aliases]
            if isinstance(row.get("unlocode"), str) and row["unlocode"]:
                spellings.append(row["unlocode"])
            for s in spellings:
                key = normalize_name(s)
                if key and nid not in keys.setdefault(key, []):
                    keys[key].append(nid)
        return cls(names, {k: tuple(v) for k, v in keys.items()})

    def candidates(self, name: str) -> list[str]:
        """Return the node ids ``name`` may mean, best first (empty if none fits)."""
        if name in self.names:
            return [name]
        key = normalize_name(name)
        if key in self.keys:
            return list(self.keys[key])
        words = set(key.split())
        if not words:
            return []
        # Every word given appears in a spelling: rank by the share of the
        # spelling the words cover, so "aktau" prefers "Aktau port" over
        # "Mangyshlak (Aktau rail station)".
        share: dict[str, float] = {}
        for k, ids in self.keys.items():
            kw = k.split()
            if words <= set(kw):
                for i in ids:
                    share[i] = max(share.get(i, 0.0), len(words) / len(kw))
        if not share:
            return []
        best = max(share.values())
        return sorted((i for i in share if share[i] == best), key=list(self.names).index)

    def resolve(self, name: str) -> str:
        """Return the one node id ``name`` means.

        Raises
        ------
        UnknownNodeError
            If no node or more than one node fits; the message lists the
            closest nodes.
        """
        hits = self.candidates(name)
        if len(hits) == 1:
            return hits[0]
        if hits:
            listed = "; ".join(f"{self.names[h]} ({h})" for h in hits[:6])
            raise UnknownNodeError(f"node {name!r} is ambiguous; it may be: {listed}. "
                                   "Give the id or a fuller name")
        close = self.closest(name)
        listed = "; ".join(f"{self.names[h]} ({h})" for h in close)
        hint = f"; closest matches: {listed}" if close else ""
        raise UnknownNodeError(f"unknown node {name!r}{hint}. Expected a node id, name or alias "
                               "of the corridor")

    def closest(self, name: str, n: int = 5) -> list[str]:
        """Return up to ``n`` node ids whose spellings are closest to ``name``."""
        key = normalize_name(name)
        scored: dict[str, float] = {}
        for k, ids in self.keys.items():
            ratio = difflib.SequenceMatcher(None, key, k).ratio()
            if any(w in k.split() for w in key.split()):
                ratio += 0.2
            for i in ids:
                scored[i] = max(scored.get(i, 0.0), ratio)
        ranked = sorted(scored, key=lambda i: -scored[i])
        return [i for i in ranked if scored[i] >= 0.45][:n]


def resolve_node(corridor: Corridor, name: str) -> str:
    """Return the id of the node of ``corridor`` that ``name`` means.

    Parameters
    ----------
    corridor : Corridor
    name : str
        A node id, name or alias, in any case, with or without accents.

    Raises
    ------
    UnknownNodeError
        If no node or more than one fits; the message lists the closest matches.
    """
    return NodeMatcher.from_corridor(corridor).resolve(name)


def closest_nodes(corridor: Corridor, name: str, n: int = 5) -> list[str]:
    """Return up to ``n`` node ids whose spellings are closest to ``name``."""
    return NodeMatcher.from_corridor(corridor).closest(name, n)
