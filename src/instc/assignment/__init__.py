"""Assignment: equilibrium, min-cost flow and max-flow on the compiled graph.

Static traffic assignment (user equilibrium and system optimum) with
all-or-nothing, MSA, Frank–Wolfe, conjugate and bi-conjugate Frank–Wolfe,
and Algorithm B; link cost functions (BPR, conical, Davidson); the relative
gap; and the TNTP benchmark formats.

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
from instc.assignment.conical import conical
from instc.assignment.equilibrium import ALGORITHMS, assign_equilibrium
from instc.assignment.frank_wolfe import frank_wolfe
from instc.assignment.gap import Gap, relative_gap
from instc.assignment.link_costs import FUNCTIONS, LinkCosts
from instc.assignment.network import AssignmentNetwork, network_from_tntp
from instc.assignment.result import AssignmentResult
from instc.assignment.tntp import (
    TntpFormatError,
    TntpNetwork,
    TntpWarning,
    load_tntp,
    read_tntp_flow,
    read_tntp_net,
    read_tntp_node,
    read_tntp_trips,
    write_tntp_flow,
)

__all__ = [
    "ALGORITHMS",
    "FUNCTIONS",
    "AssignmentNetwork",
    "AssignmentResult",
    "Gap",
    "LinkCosts",
    "TntpFormatError",
    "TntpNetwork",
    "TntpWarning",
    "algorithm_b",
    "all_or_nothing",
    "assign_equilibrium",
    "bpr",
    "bpr_derivative",
    "bpr_integral",
    "conical",
    "frank_wolfe",
    "load_tntp",
    "network_from_tntp",
    "read_tntp_flow",
    "read_tntp_net",
    "read_tntp_node",
    "read_tntp_trips",
    "relative_gap",
    "write_tntp_flow",
]
