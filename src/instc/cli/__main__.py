"""``python -m instc.cli``."""

from instc.cli import _entry

_entry()
