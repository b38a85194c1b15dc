"""The corridor's metadata file, ``corridor.yaml``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from instc.errors import Problem

__all__ = ["CorridorMeta", "meta_from_mapping"]


class CorridorMeta(BaseModel):
    """What ``corridor.yaml`` holds.

    Attributes
    ----------
    name : str
        Short name of the corridor (``instc``).
    title : str
        Full name shown in reports.
    description : str
        A few sentences on what the corridor is.
    sourced : bool
        When true, every sourced number must carry a source id and a
        confidence; a number without one is a validation error.
    price_year : int or None
        Year of the US dollars used in costs.
    branches : dict of str to str
        Branch ids and their descriptions; ``branch`` values in links and
        nodes must be among them when any is declared.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = "corridor"
    title: str = ""
    description: str = ""
    sourced: bool = False
    price_year: int | None = Field(default=None, ge=1900, le=2100)
    branches: dict[str, str] = Field(default_factory=dict)


def meta_from_mapping(data: Mapping[str, Any], label: str,
                      problems: list[Problem]) -> CorridorMeta:
    """Validate ``data`` as corridor metadata, reporting each bad key.

    The keys that are valid are kept even when others are not, so a typo in
    one key does not switch off, say, the ``sourced`` checks.
    """
    try:
        return CorridorMeta.model_validate(dict(data))
    except ValidationError as exc:
        allowed = ", ".join(repr(k) for k in CorridorMeta.model_fields)
        bad: set[str] = set()
        for err in exc.errors():
            key = ".".join(str(p) for p in err["loc"])
            bad.add(str(err["loc"][0]))
            if err["type"] == "extra_forbidden":
                msg = f"unknown key {key!r}; expected one of {allowed}"
            else:
                msg = f"key {key!r}: {err['msg']} (got {err.get('input')!r})"
            problems.append(Problem(label, None, None, msg))
        kept = {k: v for k, v in data.items() if k not in bad}
        try:
            return CorridorMeta.model_validate(kept)
        except ValidationError:
            return CorridorMeta()
