"""Corridor files, their validation, and the compiled graph."""

from instc.network.corridor import Corridor, load_corridor, validate_corridor
from instc.network.graph import CompiledGraph, compile_graph
from instc.network.meta import CorridorMeta

__all__ = [
    "CompiledGraph",
    "Corridor",
    "CorridorMeta",
    "compile_graph",
    "load_corridor",
    "validate_corridor",
]
