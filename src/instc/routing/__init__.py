"""Routing: generalized cost, shortest paths, alternatives and itineraries."""
