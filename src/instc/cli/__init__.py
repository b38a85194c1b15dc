"""The ``instc`` command.

Every command reports bad input as a message naming the file, row and column
and exits with code 2; it never prints a traceback for bad input. Commands
live in one module per stage (``_network``, ...), each registering itself on
the shared :data:`app`.
"""

from __future__ import annotations

import sys

from instc.cli import (
    _assignment,  # noqa: F401  (registers the commands)
    _network,  # noqa: F401  (registers the commands)
    _report,  # noqa: F401  (registers the commands)
    _routing,  # noqa: F401  (registers the commands)
    _scenarios,  # noqa: F401  (registers the commands)
)
from instc.cli._app import app, main

__all__ = ["app", "main"]


def _entry() -> None:
    sys.exit(main())
