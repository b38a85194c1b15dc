"""The corridor: typed, validated tables loaded from a folder or from DataFrames."""

from __future__ import annotations

import hashlib
import os
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from instc._files import write_atomic
from instc.data import instc_corridor_path
from instc.errors import CorridorValidationError, Problem
from instc.network._parse import LINE, parse_table
from instc.network._read import RawTable, raw_from_frame, read_csv_table, read_yaml_mapping
from instc.network.meta import CorridorMeta, meta_from_mapping
from instc.network.schema import TABLES
from instc.network.validation import check_tables, life_years
from instc.settings import Settings

if TYPE_CHECKING:
    from instc.network.graph import CompiledGraph

__all__ = ["Corridor", "load_corridor", "validate_corridor"]

META_FILE = "corridor.yaml"


def _empty_frame(name: str) -> pd.DataFrame:
    raw = RawTable(f"{name}.csv", TABLES[name].column_names, (), ())
    frame = parse_table(raw, TABLES[name], [], Settings())
    assert frame is not None
    return frame


@dataclass(frozen=True, eq=False)
class Corridor:
    """A validated corridor: its metadata and one typed DataFrame per table.

    Build it with :meth:`from_folder`, :meth:`from_frames` or
    :func:`load_corridor`; the constructor trusts its arguments.

    Attributes
    ----------
    meta : CorridorMeta
        Name, title, whether the corridor is sourced, its branches.
    sources, nodes, modes, links, transfers, borders, services, projects, demand, cargo
        pandas.DataFrame
        The tables, with the columns of :mod:`instc.network.schema` (absent
        optional tables are empty frames with those columns).
    warnings : tuple of Problem
        Problems that do not stop the corridor from being used.
    settings : Settings
        The settings the corridor was loaded with.
    """

    meta: CorridorMeta
    sources: pd.DataFrame
    nodes: pd.DataFrame
    modes: pd.DataFrame
    links: pd.DataFrame
    transfers: pd.DataFrame
    borders: pd.DataFrame
    services: pd.DataFrame
    projects: pd.DataFrame
    demand: pd.DataFrame
    cargo: pd.DataFrame
    warnings: tuple[Problem, ...] = ()
    settings: Settings = field(default_factory=Settings)
    # Not an init field: dataclasses.replace() (a changed corridor) starts
    # with an empty cache instead of sharing graphs compiled from old tables.
    _graphs: OrderedDict[Any, CompiledGraph] = field(
        default_factory=OrderedDict, repr=False, compare=False, init=False
    )

    # -- constructors -------------------------------------------------------
    @classmethod
    def from_folder(cls, path: str | os.PathLike[str], *,
                    settings: Settings | None = None) -> Corridor:
        """Load and validate the corridor in folder ``path``.

        Raises
        ------
        CorridorValidationError
            With every problem found, each naming file, row and column.
        """
        corridor, problems = _load_folder(Path(path), settings or Settings())
        return _checked(corridor, problems, str(path))

    @classmethod
    def from_frames(cls, frames: Mapping[str, pd.DataFrame], *,
                    meta: CorridorMeta | Mapping[str, Any] | None = None,
                    settings: Settings | None = None) -> Corridor:
        """Build and validate a corridor from DataFrames, for notebooks.

        Parameters
        ----------
        frames : mapping of str to pandas.DataFrame
            Tables by name (``"nodes"``, ``"links"``, ...), with the columns
            of the corridor files; list-valued cells may be lists or
            ``;``-separated strings.
        meta : CorridorMeta or mapping, optional
            What ``corridor.yaml`` would hold.
        settings : Settings, optional
            Tolerances and defaults.

        Raises
        ------
        CorridorValidationError
            With every problem found; rows are numbered as in a file (the
            first data row is row 2).
        """
        problems: list[Problem] = []
        unknown = sorted(set(frames) - set(TABLES))
        for name in unknown:
            problems.append(Problem(name, None, None, f"unknown table {name!r}; expected one "
                                    "of " + ", ".join(repr(t) for t in TABLES)))
        if isinstance(meta, CorridorMeta):
            meta_obj = meta
        else:
            meta_obj = meta_from_mapping(meta or {}, META_FILE, problems)
        raws = {name: raw_from_frame(frame, f"{name} (DataFrame)")
                for name, frame in frames.items() if name in TABLES}
        for name, table in TABLES.items():
            if table.required and name not in frames:
                problems.append(Problem(name, None, None, f"table {name!r} is missing; a "
                                        f"corridor needs {table.description.lower()}"))
        corridor, more = _build(raws, meta_obj, settings or Settings(), problems)
        return _checked(corridor, more, "DataFrames")

    # -- derived views --------------------------------------------------------
    def project_years(self, overrides: Mapping[str, float | None] | None = None
                      ) -> dict[str, float]:
        """Return each project's year (NaN when switched off by ``overrides``)."""
        years = dict(zip(self.projects["id"], self.projects["year"].astype(float), strict=True))
        for pid, year in (overrides or {}).items():
            if pid not in years:
                raise KeyError(f"unknown project {pid!r}; expected one of {sorted(years)}")
            years[pid] = float("nan") if year is None else float(year)
        return years

    def open_in(self, table: str, year: int,
                projects: Mapping[str, float | None] | None = None) -> pd.Series:
        """Return a boolean mask of the rows of ``table`` in service in ``year``."""
        frame = getattr(self, table)
        opens, closes = life_years(frame, self.project_years(projects))
        return pd.Series((opens <= year) & (year < closes), index=frame.index)

    def graph(self, year: int, *,
              projects: Mapping[str, float | None] | None = None) -> CompiledGraph:
        """Return the compiled graph of ``year``, cached per year and project set.

        Parameters
        ----------
        year : int
            Calendar year; links, transfers and nodes open in that year are kept.
        projects : mapping of str to int or None, optional
            Project years to use instead of the corridor's (``None`` switches
            a project off).
        """
        from instc.network.graph import compile_graph

        key = (int(year), tuple(sorted((projects or {}).items(), key=lambda kv: kv[0])))
        cached = self._graphs.get(key)
        if cached is not None:
            self._graphs.move_to_end(key)
            return cached
        graph = compile_graph(self, year, projects=projects)
        if self.settings.graph_cache_size > 0:
            self._graphs[key] = graph
            while len(self._graphs) > self.settings.graph_cache_size:
                self._graphs.popitem(last=False)
        return graph

    def tables(self) -> dict[str, pd.DataFrame]:
        """Return every table by name."""
        return {name: getattr(self, name) for name in TABLES}

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the corridor's contents, for caches and run records."""
        h = hashlib.sha256(self.meta.model_dump_json().encode())
        for name, frame in self.tables().items():
            h.update(name.encode())
            h.update(_frame_to_csv(frame).encode())
        digest: str = h.hexdigest()
        return digest

    def to_folder(self, path: str | os.PathLike[str]) -> Path:
        """Write the corridor as a folder of files (each written atomically)."""
        import yaml

        out = Path(path)
        out.mkdir(parents=True, exist_ok=True)
        write_atomic(out / META_FILE, yaml.safe_dump(
            self.meta.model_dump(exclude_defaults=True), allow_unicode=True, sort_keys=False))
        for name, frame in self.tables().items():
            if name != "nodes" and name != "links" and frame.empty:
                continue
            text = _frame_to_csv(frame)
            write_atomic(out / f"{name}.csv", text)
        return out


def _frame_to_csv(frame: pd.DataFrame) -> str:
    def cell(v: Any) -> Any:
        if isinstance(v, tuple):
            return ";".join(v)
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, float) and v.is_integer():
            return int(v)
        return v

    text: str = frame.map(cell).to_csv(index=False, lineterminator="\n")
    return text


def _load_folder(path: Path, settings: Settings) -> tuple[Corridor | None, list[Problem]]:
    problems: list[Problem] = []
    if not path.exists():
        return None, [Problem(str(path), None, None, "folder does not exist; expected a "
                              "corridor folder holding nodes.csv and links.csv")]
    if not path.is_dir():
        return None, [Problem(str(path), None, None, "is not a folder; expected a corridor "
                              "folder holding nodes.csv and links.csv")]
    meta_path = path / META_FILE
    meta = CorridorMeta()
    if meta_path.exists():
        data = read_yaml_mapping(meta_path, META_FILE, problems)
        if data is not None:
            meta = meta_from_mapping(data, META_FILE, problems)
    raws: dict[str, RawTable] = {}
    for name, table in TABLES.items():
        file = path / table.file
        if not file.exists():
            if table.required:
                problems.append(Problem(table.file, None, None,
                                        f"file is missing; a corridor needs {table.file} "
                                        f"({table.description.lower().rstrip('.')})"))
            continue
        raw = read_csv_table(file, table.file, problems)
        if raw is not None:
            raws[name] = raw
    others = sorted(p.name for p in path.glob("*.csv") if p.stem not in TABLES)
    for other in others:
        problems.append(Problem(other, None, None, "is not a corridor table and is ignored; "
                                "expected one of " + ", ".join(t.file for t in TABLES.values()),
                                severity="warning"))
    if meta.sourced and "sources" not in raws and (path / "sources.csv").exists() is False:
        problems.append(Problem("sources.csv", None, None, "file is missing; corridor.yaml "
                                "marks the corridor as sourced, so it needs sources.csv"))
    return _build(raws, meta, settings, problems)


def _build(raws: Mapping[str, RawTable], meta: CorridorMeta, settings: Settings,
           problems: list[Problem]) -> tuple[Corridor | None, list[Problem]]:
    frames: dict[str, pd.DataFrame] = {}
    labels = {name: raw.label for name, raw in raws.items()}
    for name, raw in raws.items():
        frame = parse_table(raw, TABLES[name], problems, settings)
        if frame is not None:
            frames[name] = frame
    for name, table in TABLES.items():
        if table.required and name in raws and name in frames and frames[name].empty:
            problems.append(Problem(raws[name].label, None, None,
                                    f"has a header but no rows; a corridor needs at least one "
                                    f"row in {table.file}"))
    problems.extend(check_tables(frames, meta, settings, labels))
    if any(p.severity == "error" for p in problems):
        return None, problems
    if any(name not in frames for name, t in TABLES.items() if t.required):
        return None, problems
    tables = {name: (frames[name] if name in frames else _empty_frame(name)).drop(columns=LINE)
              for name in TABLES}
    corridor = Corridor(meta=meta, warnings=tuple(problems), settings=settings, **tables)
    return corridor, problems


def _checked(corridor: Corridor | None, problems: list[Problem], where: str) -> Corridor:
    if corridor is None:
        raise CorridorValidationError(problems, where=where)
    return corridor


def load_corridor(path: str | os.PathLike[str] | None = None, *,
                  settings: Settings | None = None) -> Corridor:
    """Load and validate a corridor folder; the embedded INSTC corridor by default.

    Parameters
    ----------
    path : path-like, optional
        A corridor folder. Omit it for the embedded INSTC corridor.
    settings : Settings, optional
        Tolerances and defaults.

    Raises
    ------
    CorridorValidationError
        With every problem found.
    """
    return Corridor.from_folder(path if path is not None else instc_corridor_path(),
                                settings=settings)


def validate_corridor(path: str | os.PathLike[str] | None = None, *,
                      settings: Settings | None = None) -> list[Problem]:
    """Return every problem in a corridor folder (errors and warnings); never raise for them.

    Parameters
    ----------
    path : path-like, optional
        A corridor folder; the embedded INSTC corridor when omitted.
    settings : Settings, optional
        Tolerances and defaults.

    Returns
    -------
    list of Problem
        Empty when the corridor is clean. Problems whose ``severity`` is
        ``"error"`` make :func:`load_corridor` fail.
    """
    folder = Path(path) if path is not None else instc_corridor_path()
    _, problems = _load_folder(folder, settings or Settings())
    return problems
