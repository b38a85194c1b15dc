from __future__ import annotations

import pytest

from instc import Corridor, load_corridor

pytest.importorskip("jinja2", reason="the report needs the 'report' extra (jinja2)")
pytest.importorskip("matplotlib", reason="the report needs the 'report' extra (matplotlib)")


@pytest.fixture(scope="session")
def instc_corridor() -> Corridor:
    return load_corridor()
