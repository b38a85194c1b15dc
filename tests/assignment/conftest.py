from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from instc.assignment import AssignmentNetwork, TntpNetwork, load_tntp, network_from_tntp

DATA = Path(__file__).parent / "data"
SHARED_TNTP = Path(__file__).resolve().parents[3] / "shared" / "data" / "tntp"


@pytest.fixture(scope="session")
def sioux_falls_tntp() -> TntpNetwork:
    return load_tntp(DATA / "SiouxFalls")


@pytest.fixture(scope="session")
def sioux_falls(sioux_falls_tntp: TntpNetwork) -> AssignmentNetwork:
    return network_from_tntp(sioux_falls_tntp)


@pytest.fixture(scope="session")
def shared_tntp() -> Callable[[str], TntpNetwork]:
    """Return a loader of the benchmark networks in ../shared, skipping when absent."""

    def load(name: str) -> TntpNetwork:
        folder = SHARED_TNTP / name
        if not folder.is_dir():
            pytest.skip(f"{folder} is absent: the TNTP benchmarks live in ../shared next to "
                        "the clone (licence: not copied into the project)")
        return load_tntp(folder)

    return load
