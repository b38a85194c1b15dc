"""The corridor format: every table, column, unit and allowed value.

This module is the single definition of the corridor files. Loading,
validation and ``docs/corridor-format.md`` all follow it.

A corridor is a folder holding ``corridor.yaml`` (name, whether it claims to
be sourced, branches) and one CSV file per table below. Numeric columns
marked *sourced* may carry companion columns: ``<column>_low`` and
``<column>_high`` (the range where sources disagree), ``<column>_source``
and ``<column>_confidence`` (a source and confidence for this number alone,
overriding the row's ``source`` and ``confidence``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "COMPANIONS",
    "CONFIDENCES",
    "MODES",
    "TABLES",
    "Column",
    "Table",
]

MODES: tuple[str, ...] = (
    "rail_1520",
    "rail_1435",
    "rail_1676",
    "road",
    "caspian_sea",
    "deep_sea",
    "inland_water",
)
"""Transport modes. Rail modes carry their track gauge in millimetres, so a
rail border between 1,520 mm and 1,435 mm networks is a change of mode."""

NODE_KINDS: tuple[str, ...] = (
    "city",
    "port",
    "rail_terminal",
    "rail_hub",
    "border_crossing",
    "junction",
)

TRANSFER_KINDS: tuple[str, ...] = (
    "transshipment",
    "port_handling",
    "gauge_change_bogie",
    "gauge_change_reload",
    "modal_transfer",
)

PROJECT_KINDS: tuple[str, ...] = (
    "new_link",
    "second_track",
    "electrification",
    "terminal",
    "port_expansion",
    "border_upgrade",
    "fleet",
    "other",
)

PROJECT_STATUSES: tuple[str, ...] = (
    "proposed",
    "agreed",
    "under_construction",
    "completed",
)

CONFIDENCES: tuple[str, ...] = ("measured", "published_estimate", "computed", "assumption")
"""How a number was obtained: measured (an observation or official
statistic), published_estimate (a figure a source states), computed (derived
here from a named dataset or tool), assumption (no source gives it; the
row's note says why the value is reasonable)."""

SOURCE_QUALITIES: tuple[str, ...] = ("high", "medium", "low")

COMPANIONS: tuple[str, ...] = ("_low", "_high", "_source", "_confidence")

Kind = Literal[
    "id", "str", "float", "int", "year", "bool", "enum", "country",
    "ref", "refs", "list", "opens",
]


@dataclass(frozen=True)
class Column:
    """One column of a corridor table.

    Parameters
    ----------
    name : str
        Column header, exactly as in the CSV file.
    kind : str
        ``id`` (unique key), ``str``, ``float``, ``int``, ``year``, ``bool``,
        ``enum`` (one of ``allowed``), ``country`` (ISO 3166 alpha-2),
        ``ref`` (an id in table ``ref``), ``refs`` (``;``-separated ids),
        ``list`` (``;``-separated free values), ``opens`` (a year or a
        project id whose year is used).
    description : str
        One sentence for the documentation.
    required : bool
        The column must exist and every row must give a value.
    unit : str
        Unit of a numeric column (``km``, ``h``, ``USD/t``, ``t/year``, ...).
    allowed : tuple of str
        Allowed values of an ``enum`` column.
    ref : str
        Table a ``ref``/``refs`` column points into.
    minimum, maximum : float or None
        Inclusive bounds of a numeric column.
    positive : bool
        The value must be strictly greater than zero.
    sourced : bool
        A number from outside: it needs a source and a confidence in a
        sourced corridor and may carry ``_low``/``_high`` companions.
    default : str
        Value used where the cell is empty (as written in a CSV).
    """

    name: str
    kind: Kind
    description: str
    required: bool = False
    unit: str = ""
    allowed: tuple[str, ...] = ()
    ref: str = ""
    minimum: float | None = None
    maximum: float | None = None
    positive: bool = False
    sourced: bool = False
    default: str = ""


@dataclass(frozen=True)
class Table:
    """One corridor table (one CSV file)."""

    name: str
    description: str
    columns: tuple[Column, ...]
    required: bool = False
    key: str = "id"
    extra: tuple[str, ...] = field(default=())

    @property
    def file(self) -> str:
        """File name of the table inside a corridor folder."""
        return f"{self.name}.csv"

    def column(self, name: str) -> Column:
        """Return the column called ``name``."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def column_names(self) -> tuple[str, ...]:
        """Names of the declared columns, in order."""
        return tuple(c.name for c in self.columns)

    def allowed_columns(self) -> set[str]:
        """Return the declared columns plus the companions of sourced columns."""
        names = set(self.column_names)
        for col in self.columns:
            if col.sourced:
                names.update(col.name + suffix for suffix in COMPANIONS)
        return names


def _source_columns() -> tuple[Column, ...]:
    return (
        Column("source", "refs", "Source id(s) of the row's numbers, `;`-separated.",
               ref="sources"),
        Column("confidence", "enum", "Confidence of the row's numbers.", allowed=CONFIDENCES),
        Column("notes", "str", "Free text: reasoning, caveats, other figures."),
    )


def _life_columns() -> tuple[Column, ...]:
    return (
        Column("opens", "opens", "First year the element is in service: a year, or a project "
               "id (the project's year). Empty means always.", ref="projects"),
        Column("closes", "opens", "First year the element is no longer in service: a year or a "
               "project id (replaced when that project opens). Empty means never.",
               ref="projects"),
        Column("project", "ref", "Project that builds the element; the element opens in the "
               "project's year (leave `opens` empty or equal to it).", ref="projects"),
    )


SOURCES = Table(
    "sources",
    "Where the numbers come from. Every `source` id in other tables resolves here.",
    (
        Column("id", "id", "Source id, referenced from other tables.", required=True),
        Column("title", "str", "Title of the document, page or dataset.", required=True),
        Column("publisher", "str", "Publisher, agency or author."),
        Column("year", "year", "Year of publication."),
        Column("url", "str", "Address of the document, if public."),
        Column("quality", "enum", "How far the source can be trusted: an official or primary "
               "source (high), a single press report (medium), a secondary blog or an "
               "ambiguous statement (low).", allowed=SOURCE_QUALITIES),
        Column("note", "str", "What the source says that is used, and any caveat."),
    ),
    required=False,
)

NODES = Table(
    "nodes",
    "Places: ports, rail hubs and terminals, border stations, junctions.",
    (
        Column("id", "id", "Node id, referenced from other tables.", required=True),
        Column("name", "str", "Name shown to users.", required=True),
        Column("country", "country", "ISO 3166-1 alpha-2 country code.", required=True),
        Column("lat", "float", "Latitude (WGS 84).", required=True, unit="degrees",
               minimum=-90.0, maximum=90.0, sourced=True),
        Column("lon", "float", "Longitude (WGS 84).", required=True, unit="degrees",
               minimum=-180.0, maximum=180.0, sourced=True),
        Column("kind", "enum", "What the node is.", required=True, allowed=NODE_KINDS),
        Column("unlocode", "str", "UN/LOCODE, where the place has one."),
        Column("aliases", "list", "Other names and transliterations, `;`-separated."),
        Column("branches", "list", "Corridor branches the node belongs to, `;`-separated."),
        Column("capacity_t", "float", "Throughput capacity.", unit="t/year", minimum=0.0,
               sourced=True),
        Column("handling_usd_t", "float", "Handling cost added to every transfer at the node.",
               unit="USD/t", minimum=0.0, sourced=True),
        Column("dwell_h", "float", "Dwell added to every transfer at the node.", unit="h",
               minimum=0.0, sourced=True),
        *_life_columns(),
        *_source_columns(),
    ),
    required=True,
)

MODES_TABLE = Table(
    "modes",
    "Defaults per mode, used where a link gives no value of its own.",
    (
        Column("mode", "enum", "The mode.", required=True, allowed=MODES),
        Column("speed_kmh", "float", "Average commercial speed, stops included.", unit="km/h",
               positive=True, sourced=True),
        Column("usd_per_tkm", "float", "Line-haul rate per tonne-km.", unit="USD/t-km",
               minimum=0.0, sourced=True),
        Column("usd_per_teu_km", "float", "Line-haul rate per TEU-km.", unit="USD/TEU-km",
               minimum=0.0, sourced=True),
        Column("co2e_g_per_tkm", "float", "Well-to-wheel emission factor.", unit="g CO2e/t-km",
               minimum=0.0, sourced=True),
        *_source_columns(),
    ),
    key="mode",
)

LINKS = Table(
    "links",
    "Line-haul links between two nodes on one mode.",
    (
        Column("id", "id", "Link id.", required=True),
        Column("from", "ref", "Node at one end.", required=True, ref="nodes"),
        Column("to", "ref", "Node at the other end.", required=True, ref="nodes"),
        Column("mode", "enum", "Mode of the link.", required=True, allowed=MODES),
        Column("distance_km", "float", "Length along the line or sea lane.", required=True,
               unit="km", positive=True, sourced=True),
        Column("hours", "float", "Running time one way; if empty, distance / speed.", unit="h",
               minimum=0.0, sourced=True),
        Column("speed_kmh", "float", "Average speed; if empty, the mode's.", unit="km/h",
               positive=True, sourced=True),
        Column("usd_per_t", "float", "Fixed charge per tonne per trip (tolls, fees).",
               unit="USD/t", minimum=0.0, sourced=True),
        Column("usd_per_tkm", "float", "Rate per tonne-km; if empty, the mode's.",
               unit="USD/t-km", minimum=0.0, sourced=True),
        Column("usd_per_teu", "float", "Fixed charge per TEU per trip (tolls, canal dues).",
               unit="USD/TEU", minimum=0.0, sourced=True),
        Column("usd_per_teu_km", "float", "Rate per TEU-km; if empty, the mode's.",
               unit="USD/TEU-km", minimum=0.0, sourced=True),
        Column("capacity_t", "float", "Capacity in each direction.", unit="t/year",
               minimum=0.0, sourced=True),
        Column("departures_per_week", "float", "Scheduled departures on the link besides "
               "its services' (a liner's sailings); half the interval between departures is "
               "waited before the link.", unit="1/week", positive=True, sourced=True),
        Column("bidirectional", "bool", "Usable in both directions.", default="true"),
        Column("branch", "list", "Corridor branches the link belongs to, `;`-separated."),
        Column("straits", "list", "Straits and canals a sea link passes (`suez`, "
               "`bab_el_mandeb`, `hormuz`...), `;`-separated: routes can avoid them and "
               "scenarios close them."),
        *_life_columns(),
        *_source_columns(),
    ),
    required=True,
)

TRANSFERS = Table(
    "transfers",
    "Changes of mode at one node: transshipment, gauge change, port handling.",
    (
        Column("id", "id", "Transfer id.", required=True),
        Column("node", "ref", "Node where the transfer happens.", required=True, ref="nodes"),
        Column("from_mode", "enum", "Mode the cargo arrives on.", required=True, allowed=MODES),
        Column("to_mode", "enum", "Mode the cargo leaves on.", required=True, allowed=MODES),
        Column("kind", "enum", "What happens to the cargo.", required=True,
               allowed=TRANSFER_KINDS),
        Column("hours", "float", "Time for the transfer, queueing excluded.", unit="h",
               minimum=0.0, sourced=True),
        Column("usd_per_t", "float", "Cost per tonne.", unit="USD/t", minimum=0.0,
               sourced=True),
        Column("usd_per_teu", "float", "Cost per TEU.", unit="USD/TEU", minimum=0.0,
               sourced=True),
        Column("capacity_t", "float", "Capacity.", unit="t/year", minimum=0.0, sourced=True),
        Column("bidirectional", "bool", "Also from `to_mode` to `from_mode`.", default="true"),
        *_life_columns(),
        *_source_columns(),
    ),
)

BORDERS = Table(
    "borders",
    "Border crossings: customs and frontier dwell and fees on the link that crosses.",
    (
        Column("id", "id", "Border crossing id.", required=True),
        Column("name", "str", "Name of the crossing."),
        Column("link", "ref", "The link that crosses the frontier.", required=True,
               ref="links"),
        Column("from_country", "country", "Country at one end of the link.", required=True),
        Column("to_country", "country", "Country at the other end.", required=True),
        Column("hours", "float", "Border dwell (customs, frontier, inspections).", unit="h",
               minimum=0.0, sourced=True),
        Column("usd_per_t", "float", "Fees per tonne.", unit="USD/t", minimum=0.0,
               sourced=True),
        Column("usd_per_teu", "float", "Fees per TEU.", unit="USD/TEU", minimum=0.0,
               sourced=True),
        Column("capacity_t", "float", "Processing capacity.", unit="t/year", minimum=0.0,
               sourced=True),
        *_source_columns(),
    ),
)

SERVICES = Table(
    "services",
    "Fleet-based or scheduled services; their capacity is derived: "
    "fleet_size x unit_capacity_t x operating_days / round_trip_days.",
    (
        Column("id", "id", "Service id.", required=True),
        Column("name", "str", "Name of the service or operator."),
        Column("mode", "enum", "Mode of the service.", required=True, allowed=MODES),
        Column("links", "refs", "Links the service runs on, `;`-separated.", required=True,
               ref="links"),
        Column("vessel_class", "str", "Vessel or train class."),
        Column("fleet_size", "float", "Vessels or train sets in service.", required=True,
               unit="units", minimum=0.0, sourced=True),
        Column("unit_capacity_t", "float", "Payload of one vessel or train.", required=True,
               unit="t", positive=True, sourced=True),
        Column("unit_capacity_teu", "float", "Payload of one vessel or train.", unit="TEU",
               minimum=0.0, sourced=True),
        Column("round_trip_days", "float", "Days for one round trip, port time included.",
               required=True, unit="days", positive=True, sourced=True),
        Column("operating_days", "float", "Days a year the service runs (ice, low water).",
               unit="days/year", positive=True, maximum=366.0, sourced=True, default="365"),
        Column("departures_per_week", "float", "Departures on each of its links in each "
               "direction; if empty, fleet_size x 7 / round_trip_days / number of links. "
               "On the links of a service that limits them, half the interval between all "
               "their departures is waited before the link.", unit="1/week", positive=True,
               sourced=True),
        Column("boarding_links", "refs", "Links of a service that does not limit its links "
               "where cargo boarding it waits for its departure (half the interval), once a "
               "trip: the link next to the terminals where its trains or ships are made up, "
               "`;`-separated. Only cargo carried in TEU waits when the service gives "
               "unit_capacity_teu (a container train); otherwise every cargo.", ref="links"),
        Column("limits_links", "bool", "The service is the only carrier on its links (a "
               "Caspian fleet), so their capacity is at most the services' capacity; false for "
               "a service sharing its links with other traffic (a container block train on a "
               "main line).", default="true"),
        *_life_columns(),
        *_source_columns(),
    ),
)

PROJECTS = Table(
    "projects",
    "Projects that build, extend or replace elements, with their opening year.",
    (
        Column("id", "id", "Project id, referenced by `project`, `opens` and `closes`.",
               required=True),
        Column("name", "str", "Name of the project.", required=True),
        Column("year", "year", "Year the project opens (central estimate).", required=True,
               sourced=True),
        Column("kind", "enum", "What the project does.", allowed=PROJECT_KINDS),
        Column("status", "enum", "Where the project stands.", allowed=PROJECT_STATUSES),
        Column("cost_musd", "float", "Capital cost.", unit="million USD", minimum=0.0,
               sourced=True),
        Column("description", "str", "What the project adds or changes."),
        *_source_columns(),
    ),
)

DEMAND = Table(
    "demand",
    "Freight demand between two nodes by cargo class and year, in named scenarios.",
    (
        Column("id", "id", "Demand row id.", required=True),
        Column("scenario", "str", "Named demand scenario (e.g. `observed`, `target-2030`).",
               required=True),
        Column("origin", "ref", "Origin node.", required=True, ref="nodes"),
        Column("destination", "ref", "Destination node.", required=True, ref="nodes"),
        Column("cargo", "str", "Cargo class (an id in `cargo.csv` when the corridor has one).",
               required=True),
        Column("year", "year", "Year of the flow.", required=True),
        Column("tonnes", "float", "Flow from origin to destination.", required=True,
               unit="t/year", minimum=0.0, sourced=True),
        *_source_columns(),
    ),
)

CARGO = Table(
    "cargo",
    "Cargo classes: how they are carried and what their time is worth.",
    (
        Column("id", "id", "Cargo class id (e.g. `container`, `grain`).", required=True),
        Column("name", "str", "Name shown to users.", required=True),
        Column("unit", "enum", "Unit the class is priced in.", allowed=("t", "TEU"),
               default="t"),
        Column("tonnes_per_teu", "float", "Average payload of a loaded TEU.", unit="t/TEU",
               positive=True, sourced=True),
        Column("value_usd_per_t", "float", "Value of the cargo.", unit="USD/t", minimum=0.0,
               sourced=True),
        Column("value_of_time_usd_per_t_h", "float", "Value of time of the cargo.",
               unit="USD/(t h)", minimum=0.0, sourced=True),
        Column("inventory_rate", "float", "Annual cost of capital on cargo in transit.",
               unit="1/year", minimum=0.0, sourced=True),
        Column("empty_return_share", "float", "Empty moves per loaded move where the trade "
               "is unbalanced (boxes hauled back empty), charged as that share of the line "
               "haul; routing's `empty_return_share` option overrides it.", unit="share",
               minimum=0.0, maximum=1.0, sourced=True),
        *_source_columns(),
    ),
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (SOURCES, NODES, MODES_TABLE, LINKS, TRANSFERS, BORDERS, SERVICES, PROJECTS,
              DEMAND, CARGO)
}
"""Every corridor table by name, in the order they are loaded."""
