"""Entry point of the ``openphm`` command: builds the Typer app from the command modules."""

from __future__ import annotations

import warnings
from typing import TextIO

import typer
from rich.markup import escape

from openphm import __version__
from openphm.cli import (
    bearing,
    bench,
    demo,
    diagnose,
    fleet,
    info,
    ingest,
    life,
    monitor,
    severity,
    spectral,
)
from openphm.cli.output import err_console
from openphm.core.errors import DataQualityWarning, OpenPHMError

app = typer.Typer(
    name="openphm",
    help="openphm: read machine vibration, process it as an analyst would, diagnose and prognose.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
)


def _version(value: bool) -> None:
    if value:
        print(f"openphm {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """openphm command-line tool."""


bearing.register(app)
life.register(app)
diagnose.register(app)
bench.register(app)
demo.register(app)
spectral.register(app)
info.register(app)
severity.register(app)
fleet.register(app)
ingest.register(app)
monitor.register(app)


_python_show_warning = warnings.showwarning


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    """Show a data-quality warning as one ``warning:`` line, without Python's source location."""
    if issubclass(category, DataQualityWarning):
        err_console.print(
            f"[yellow]warning:[/] {escape(str(message))}", highlight=False, soft_wrap=True
        )
    else:
        _python_show_warning(message, category, filename, lineno, file, line)


def main() -> None:
    """Run the CLI, turning openphm errors into a one-line message and exit status 2.

    Usage errors (unknown command, missing argument) are reported by Typer itself, also with
    exit status 2. Data-quality warnings are printed as one ``warning:`` line each on stderr.
    """
    warnings.showwarning = _show_warning
    try:
        app()
    except OpenPHMError as exc:
        err_console.print(f"[bold red]error:[/] {escape(str(exc))}", soft_wrap=True)
        raise SystemExit(2) from None
