"""instc: an open, reproducible model of multimodal freight corridors.

The embedded corridor is the International North-South Transport Corridor
(INSTC); any corridor described in the same files can be loaded instead.

Examples
--------
>>> import instc
>>> corridor = instc.load_corridor()           # the embedded INSTC corridor
>>> graph = corridor.graph(2028)               # the compiled network of 2028
>>> graph.n_vertices > 0
True
"""

from instc._numba_cache import choose_cache_dir

choose_cache_dir()  # before any module imports numba

from instc.errors import CorridorValidationError, InstcError  # noqa: E402
from instc.network import (  # noqa: E402
    CompiledGraph,
    Corridor,
    compile_graph,
    load_corridor,
    validate_corridor,
)
from instc.routing import (  # noqa: E402
    Router,
    compare_routes,
    route_alternatives,
    routes_from,
    shortest_route,
    skim_matrices,
)
from instc.settings import Settings  # noqa: E402

__all__ = [
    "CompiledGraph",
    "Corridor",
    "CorridorValidationError",
    "InstcError",
    "Router",
    "Settings",
    "__version__",
    "compare_routes",
    "compile_graph",
    "load_corridor",
    "route_alternatives",
    "routes_from",
    "shortest_route",
    "skim_matrices",
    "validate_corridor",
]

__version__ = "0.1.0"
