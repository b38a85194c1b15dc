"""Simulation: a discrete-event model of services, ports, borders and fleets."""
