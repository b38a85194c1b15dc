"""The assumptions behind the figures: mode parameters, cargo classes, what the report draws."""

from __future__ import annotations

from instc.report.model import ReportInput, Section, Table, ranged

__all__ = ["assumptions_section"]


def assumptions_section(inp: ReportInput) -> Section:
    """Return the report's assumptions and the corridor's mode and cargo parameters."""
    corridor = inp.corridor
    confidence = inp.summary.confidence.set_index("confidence")["numbers"]
    total = int(confidence.sum())
    assumed = int(confidence.get("assumption", 0))
    intro = [
        f"{assumed:,} of the corridor's {total:,} sourced numbers are assumptions (no "
        "source gives them; each row's note says why the value is reasonable). Where "
        "sources disagree a number carries a low–high range, shown in brackets.",
        "Capacities are those the corridor files declare for single elements (t/year); "
        "an element without one is treated as not binding. Services' capacities are "
        "derived from their fleets, never typed in twice.",
        "Projects open in their central year unless a scenario moves them; the timeline "
        "shows the range of years sources give.",
        "Links are drawn as straight lines between their end nodes; country outlines are "
        "background only.",
    ]
    if corridor.meta.price_year:
        intro.insert(0, f"Money is in US dollars of {corridor.meta.price_year}.")
    tables = []
    modes = corridor.modes
    if not modes.empty:
        tables.append(Table("modes", "Mode defaults", modes, {
            "mode": "mode", "km/h": lambda r: ranged(r, "speed_kmh"),
            "USD per t-km": lambda r: ranged(r, "usd_per_tkm", 3),
            "USD per TEU-km": lambda r: ranged(r, "usd_per_teu_km", 2),
            "CO2e g per t-km": lambda r: ranged(r, "co2e_g_per_tkm"),
            "source": "source", "confidence": "confidence"},
            note="Used for links that give no speed or rate of their own."))
    cargo = corridor.cargo
    if not cargo.empty:
        tables.append(Table("cargo_classes", "Cargo classes", cargo, {
            "class": "id", "name": "name", "unit": "unit",
            "t per TEU": lambda r: ranged(r, "tonnes_per_teu"),
            "value USD/t": lambda r: ranged(r, "value_usd_per_t"),
            "value of time USD/t/h": lambda r: ranged(r, "value_of_time_usd_per_t_h", 3),
            "inventory rate /year": lambda r: ranged(r, "inventory_rate", 2)},
            note="Value of time and inventory cost enter the generalized cost of a route."))
    return Section("assumptions", "Assumptions", intro=tuple(intro), tables=tuple(tables))
