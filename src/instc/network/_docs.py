"""The column reference of ``docs/corridor-format.md``, generated from the schema.

Run ``python -m instc.network._docs docs/corridor-format.md`` to refresh the
part of the page between its markers after changing :mod:`instc.network.schema`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from instc.network.schema import TABLES, Column

__all__ = ["BEGIN", "END", "schema_markdown"]

BEGIN = "<!-- BEGIN GENERATED: column reference -->"
END = "<!-- END GENERATED: column reference -->"


def _kind(col: Column) -> str:
    if col.kind == "enum":
        return "one of " + ", ".join(f"`{a}`" for a in col.allowed)
    if col.kind == "ref":
        return f"id in `{col.ref}.csv`"
    if col.kind == "refs":
        return f"ids in `{col.ref}.csv`, `;`-separated"
    if col.kind == "opens":
        return "year or project id"
    if col.kind == "country":
        return "ISO 3166-1 alpha-2"
    if col.kind == "list":
        return "text, `;`-separated"
    if col.kind in ("float", "int"):
        bounds = "> 0" if col.positive else (f">= {col.minimum:g}" if col.minimum is not None
                                             else "")
        if col.maximum is not None:
            bounds += f", <= {col.maximum:g}"
        return f"number {bounds}".strip()
    return {"id": "unique text", "str": "text", "year": "year", "bool": "true/false"}[col.kind]


def schema_markdown() -> str:
    """Return the Markdown reference of every table and column."""
    out: list[str] = []
    for table in TABLES.values():
        need = "required" if table.required else "optional"
        out += [f"### `{table.file}` ({need})", "", table.description, "",
                "| column | required | unit | values | sourced | meaning |",
                "|---|---|---|---|---|---|"]
        for col in table.columns:
            default = f" Default `{col.default}`." if col.default else ""
            out.append(f"| `{col.name}` | {'yes' if col.required else ''} | {col.unit} | "
                       f"{_kind(col)} | {'yes' if col.sourced else ''} | "
                       f"{col.description}{default} |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def refresh(path: Path) -> None:
    """Replace the generated part of ``path`` with :func:`schema_markdown`."""
    text = path.read_text(encoding="utf-8")
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    path.write_text(f"{head}{BEGIN}\n\n{schema_markdown()}\n{END}{tail}", encoding="utf-8")


if __name__ == "__main__":
    refresh(Path(sys.argv[1]))
