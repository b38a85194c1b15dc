"""Assignment: equilibrium, min-cost flow and max-flow on the compiled graph.

Static traffic assignment (user equilibrium and system optimum) with
all-or-nothing, MSA, Frank–Wolfe, conjugate and bi-conjugate Frank–Wolfe,
and Algorithm B; multi-class equilibrium of a corridor's demand with queueing
delays (:mod:`~instc.assignment.corridor`, :mod:`~instc.assignment.multiclass`);
logit and path-size logit route choice (:mod:`~instc.assignment.logit`);
link cost functions (BPR, conical, Davidson); the relative
gap; the TNTP benchmark formats; and, under hard capacities, the
throughput ceiling with its minimum cut (:mod:`~instc.assignment.max_flow`),
min-cost multicommodity flow with unserved demand and fleet constraints
(:mod:`~instc.assignment.min_cost_flow`) and expansion planning
(:mod:`~instc.assignment.expansion`), solved by scipy (max-flow), our network
simplex (one-commodity min-cost flow; OR-Tools on request) and HiGHS (the
multicommodity LP and the expansion MIP).

Examples
--------
>>> from instc.assignment import load_tntp, network_from_tntp, assign_equilibrium
>>> net = network_from_tntp(load_tntp("SiouxFalls"))  # doctest: +SKIP
>>> result = assign_equilibrium(net, gap=1e-8)  # doctest: +SKIP
>>> result.links.head()  # doctest: +SKIP
"""

from instc.assignment.algorithm_b import algorithm_b
from instc.assignment.all_or_nothing import all_or_nothing
from instc.assignment.bpr import bpr, bpr_derivative, bpr_integral
from instc.assignment.capacities import EdgeCapacities, FleetConstraint, edge_capacities
from instc.assignment.conical import conical
from instc.assignment.corridor import (
    CORRIDOR_METHODS,
    CorridorAssignment,
    CorridorNetwork,
    assign_corridor,
    corridor_network,
)
from instc.assignment.equilibrium import ALGORITHMS, assign_equilibrium
from instc.assignment.expansion import ExpansionPlan, plan_expansion
from instc.assignment.frank_wolfe import frank_wolfe
from instc.assignment.gap import Gap, relative_gap
from instc.assignment.link_costs import FUNCTIONS, LinkCosts
from instc.assignment.logit import RouteChoice, logit_shares, path_size, route_choice
from instc.assignment.max_flow import (
    MaxFlow,
    ThroughputCeiling,
    direction_groups,
    max_flow,
    throughput_ceiling,
)
from instc.assignment.min_cost_flow import (
    Commodity,
    FlowSolution,
    MinCostFlowResult,
    SharedCapacity,
    min_cost_flow,
    solve_min_cost_flow,
)
from instc.assignment.multiclass import (
    MulticlassSolution,
    multiclass_equilibrium,
    multiclass_gap,
)
from instc.assignment.network import AssignmentNetwork, network_from_tntp
from instc.assignment.result import AssignmentResult
from instc.assignment.tntp import (
    TntpFormatError,
    TntpWarning,
    read_tntp_flow,
    read_tntp_net,
    read_tntp_node,
    read_tntp_trips,
    write_tntp_flow,
)
from instc.assignment.tntp_folder import TntpNetwork, load_tntp

__all__ = [
    "ALGORITHMS",
    "CORRIDOR_METHODS",
    "FUNCTIONS",
    "AssignmentNetwork",
    "AssignmentResult",
    "Commodity",
    "CorridorAssignment",
    "CorridorNetwork",
    "EdgeCapacities",
    "ExpansionPlan",
    "FleetConstraint",
    "FlowSolution",
    "Gap",
    "LinkCosts",
    "MaxFlow",
    "MinCostFlowResult",
    "MulticlassSolution",
    "RouteChoice",
    "SharedCapacity",
    "ThroughputCeiling",
    "TntpFormatError",
    "TntpNetwork",
    "TntpWarning",
    "algorithm_b",
    "all_or_nothing",
    "assign_corridor",
    "assign_equilibrium",
    "bpr",
    "bpr_derivative",
    "bpr_integral",
    "conical",
    "corridor_network",
    "direction_groups",
    "edge_capacities",
    "frank_wolfe",
    "load_tntp",
    "logit_shares",
    "max_flow",
    "min_cost_flow",
    "multiclass_equilibrium",
    "multiclass_gap",
    "network_from_tntp",
    "path_size",
    "plan_expansion",
    "read_tntp_flow",
    "read_tntp_net",
    "read_tntp_node",
    "read_tntp_trips",
    "relative_gap",
    "route_choice",
    "solve_min_cost_flow",
    "throughput_ceiling",
    "write_tntp_flow",
]
