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
from instc.settings import Settings

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "CorridorArg",
    "CorridorOpt",
    "CsvOpt",
    "EmptyShareOpt",
    "JsonOpt",
    "YearOpt",
    "app",
    "check_output_file",
    "check_output_folder",
    "console",
    "err_console",
    "labelled",
    "load_corridor_arg",
    "main",
    "print_problems",
]

MIN_YEAR, MAX_YEAR = Settings().min_year, Settings().max_year
"""Years a command accepts: those a corridor file may mention."""

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
CorridorOpt = Annotated[Path | None, typer.Option(
    "--corridor", help="Corridor folder; the embedded INSTC corridor by default.")]
YearOpt = Annotated[int, typer.Option("--year", min=MIN_YEAR, max=MAX_YEAR,
                                      help="Year of the network (projects open by then).")]
EmptyShareOpt = Annotated[float | None, typer.Option(
    "--empty-share",
    help="Empty moves per loaded move (0–1), charged as that share of the line haul; "
         "default: the cargo class's empty_return_share in cargo.csv.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
CsvOpt = Annotated[bool, typer.Option("--csv", help="Print CSV instead of tables.")]


def load_corridor_arg(path: Path | None) -> Any:
    from instc.network import load_corridor

    return load_corridor(path)


def _parent_file(path: Path) -> Path | None:
    """Return the nearest existing ancestor of ``path`` if it is a file, else ``None``."""
    for parent in path.parents:
        if parent.exists():
            return None if parent.is_dir() else parent
    return None


def check_output_file(path: Path, name: str, *, suffixes: tuple[str, ...] = ()) -> Path:
    """Check that a file can be written at ``path`` without harm, before any work is done.

    Refuses a folder, anything that is not a regular file (a device, a pipe,
    which replacing would destroy), a path below a file, and, with
    ``suffixes``, a name ending otherwise. ``name`` is the argument or option.
    """
    def bad(message: str) -> typer.BadParameter:
        return typer.BadParameter(message, param_hint=name)

    if path.is_dir():
        raise bad(f"{str(path)!r} is a folder; expected the name of a file to write")
    if path.exists() and not path.is_file():
        raise bad(f"{str(path)!r} exists and is not a regular file; expected the name of a "
                  "file to write")
    if (blocker := _parent_file(path)) is not None:
        raise bad(f"{str(blocker)!r} is a file, so {str(path)!r} cannot be written inside "
                  "it; expected a folder there")
    if suffixes and path.suffix.lower() not in suffixes:
        raise bad(f"{path.name!r} does not end in " + " or ".join(suffixes)
                  + "; the ending chooses the format")
    return path


def check_output_folder(path: Path, name: str, *, new: bool = False) -> Path:
    """Check that a folder can be written at ``path``, before any work is done.

    Refuses a file and a path below a file; with ``new``, also a folder that
    already holds anything (whose files would be overwritten).
    """
    def bad(message: str) -> typer.BadParameter:
        return typer.BadParameter(message, param_hint=name)

    if path.exists() and not path.is_dir():
        raise bad(f"{str(path)!r} is a file; expected a folder to write into")
    if (blocker := _parent_file(path)) is not None:
        raise bad(f"{str(blocker)!r} is a file, so the folder {str(path)!r} cannot be made "
                  "inside it")
    if new and path.is_dir() and any(path.iterdir()):
        raise bad(f"{str(path)!r} already holds files; expected a new or empty folder, so "
                  "that nothing there is overwritten")
    return path


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
        text = f"{exc.filename}: {exc.strerror or exc}" if exc.filename else str(exc)
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
    if code == 130:  # typer answers Ctrl+C with this code and no message
        err_console.print("interrupted")
    return code if isinstance(code, int) else 0

