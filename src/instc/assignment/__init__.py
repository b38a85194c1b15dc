"""Assignment: equilibrium, min-cost flow and max-flow on the compiled graph."""
