from __future__ import annotations

from pathlib import Path

from instc.network._docs import BEGIN, END, schema_markdown
from instc.network.schema import TABLES

DOC = Path(__file__).resolve().parents[2] / "docs" / "corridor-format.md"


def test_format_page_lists_every_column() -> None:
    text = DOC.read_text(encoding="utf-8")
    generated = text.split(BEGIN)[1].split(END)[0].strip()
    assert generated == schema_markdown().strip(), (
        "docs/corridor-format.md is out of date: run "
        "`python -m instc.network._docs docs/corridor-format.md`")
    for table in TABLES.values():
        for col in table.columns:
            assert f"| `{col.name}` |" in text
