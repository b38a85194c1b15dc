"""Build a corridor from DataFrames, compile two years and read the edges.

Run: python examples/tiny_corridor.py  (its output is examples/tiny_corridor.out)
"""

from instc import Corridor
from instc.testing import tiny_corridor_frames, tiny_corridor_meta

corridor = Corridor.from_frames(tiny_corridor_frames(), meta=tiny_corridor_meta())
for year in (2024, 2028):
    graph = corridor.graph(year)
    print(f"{year}: {graph.n_vertices} vertices, {graph.n_edges} edges, "
          f"links {sorted(graph.link_ids())}")

edges = corridor.graph(2028).edges()
crossing = edges[edges["border"] != ""][["element", "from_node", "to_node", "border",
                                         "hours", "usd_t"]]
print(crossing.to_string(index=False))
