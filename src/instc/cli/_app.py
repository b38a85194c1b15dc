"""The ``instc`` application object, shared helpers and the entry point."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.text import Text

from instc.errors import CorridorValidationError, InstcError, Problem

__all__ = [
    "CorridorArg",
    "JsonOpt",
    "app",
    "console",
    "err_console",
    "labelled",
    "load_corridor_arg",
    "main",
    "print_problems",
]

app = typer.Typer(
    name="instc",
    help="Model multimodal freight corridors; the embedded corridor is the INSTC.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# Markup is off: messages quote user data, which may hold "[...]"; styles come from Text.
# Piped output (make run, CI logs) is not wrapped at 80 columns.
_WIDTH = None if sys.stdout.isatty() else 120
console = Console(highlight=False, markup=False, width=_WIDTH)
err_console = Console(stderr=True, highlight=False, markup=False, width=_WIDTH)


def labelled(label: str, style: str, message: object) -> Text:
    """Return ``label: message`` with the label styled and the message verbatim."""
    return Text.assemble((label, style), ": ", str(message))

CorridorArg = Annotated[
    Path | None,
    typer.Argument(help="Corridor folder; the embedded INSTC corridor when omitted.",
                   show_default=False),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]


def load_corridor_arg(path: Path | None) -> Any:
    from instc.network import load_corridor

    return load_corridor(path)


def print_problems(problems: list[Problem]) -> None:
    for p in problems:
        style = "red" if p.severity == "error" else "yellow"
        console.print(labelled(p.severity, style, p), soft_wrap=True)


def _click_exceptions() -> tuple[type[Exception], ...]:
    # typer may bundle its own copy of click; usage errors come from either.
    import importlib

    found: list[type[Exception]] = []
    for module in ("click.exceptions", "typer._click.exceptions"):
        try:
            found.append(importlib.import_module(module).ClickException)
        except (ImportError, AttributeError):
            continue
    return tuple(found)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    try:
        code = app(args=argv, standalone_mode=False)
    except CorridorValidationError as exc:
        for p in exc.problems:
            style = "red" if p.severity == "error" else "yellow"
            err_console.print(labelled(p.severity, style, p), soft_wrap=True)
        errors = sum(p.severity == "error" for p in exc.problems)
        err_console.print(f"{errors} error(s) in {exc.where}")
        return 2
    except InstcError as exc:
        err_console.print(labelled("error", "red", exc), soft_wrap=True)
        return 2
    except typer.Exit as exc:
        return int(exc.exit_code)
    except typer.Abort:
        err_console.print("aborted")
        return 130
    except KeyboardInterrupt:
        err_console.print("interrupted")
        return 130
    except OSError as exc:
        text = f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")
        err_console.print(labelled("error", "red", text), soft_wrap=True)
        return 2
    except Exception as exc:
        if isinstance(exc, _click_exceptions()):
            exc.show()  # type: ignore[attr-defined]
            return 2
        if os.environ.get("INSTC_DEBUG"):
            raise
        err_console.print(labelled("internal error", "red", f"{type(exc).__name__}: {exc}"))
        err_console.print("This is a bug in instc. Run again with INSTC_DEBUG=1 for details "
                          "and include the output of `instc doctor` in the report.")
        return 1
    return code if isinstance(code, int) else 0

