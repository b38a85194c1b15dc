"""Errors of the routing stage, in the :mod:`instc.errors` tree."""

from __future__ import annotations

from instc.errors import InstcError

__all__ = ["RoutingOptionError"]


class RoutingOptionError(ValueError, InstcError):
    """An option of a routing function has a value it cannot use.

    The message names the bad value and lists what is expected (a cargo
    class, a cost name, a constraint such as ``"country:AZ"``).
    """
