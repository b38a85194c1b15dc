from __future__ import annotations

import pydantic
import pytest

from instc.errors import CorridorValidationError, InstcError, Problem, UnknownNodeError
from instc.settings import Settings
from instc.units import km_from_nautical_miles, mt_from_tonnes, tonnes_from_mt


def test_settings_reject_unknown_keys() -> None:
    with pytest.raises(pydantic.ValidationError, match="circuity_tolerence"):
        Settings(circuity_tolerence=1.1)  # type: ignore[call-arg]
    with pytest.raises(pydantic.ValidationError):
        Settings(tonnes_per_teu=-1)


def test_units() -> None:
    assert km_from_nautical_miles(1111) == pytest.approx(2057.572)
    assert tonnes_from_mt(45) == 45e6 and mt_from_tonnes(45e6) == 45


def test_error_tree() -> None:
    err = CorridorValidationError([Problem("links.csv", 3, "mode", "bad")])
    assert isinstance(err, ValueError) and isinstance(err, InstcError)
    assert "links.csv, row 3, column 'mode': bad" in str(err)
    assert issubclass(UnknownNodeError, KeyError)
