"""Entry point of the ``openphm`` command: builds the Typer app from the command modules."""

from __future__ import annotations

import importlib
import warnings
from functools import cache
from typing import Any, TextIO

import typer
from rich.markup import escape
from typer import _click as click  # Typer >= 0.24 builds on its own copy of click
from typer.core import TyperCommand, TyperGroup

from openphm import __version__
from openphm.cli.output import err_console
from openphm.core.errors import DataQualityWarning, OpenPHMError

#: Every command: name -> (module whose ``register(app)`` adds it, its one-line help). A module is
#: imported only when one of its commands runs (or its own ``--help`` is asked for), so that
#: ``openphm diagnose`` loads neither the store nor the benchmarks. Adding a command is one line
#: here; ``tests/cli/test_main.py`` checks that each line's help is the command's own first line.
COMMANDS: dict[str, tuple[str, str]] = {
    "bearing": (
        "openphm.cli.bearing",
        "Characteristic defect frequencies (FTF, BSF, 2xBSF, BPFO, BPFI) of a bearing.",
    ),
    "life": (
        "openphm.cli.life",
        "ISO 281:2007 rating life: L10, L10h and, with lubrication data, Lnm = a1 aISO L10.",
    ),
    "diagnose": (
        "openphm.cli.diagnose",
        "Diagnose the bearing: verdict, confidence and the evidence behind it.",
    ),
    "rul": (
        "openphm.cli.rul",
        "Remaining useful life of a bearing or a store point: onset, median and 90 % interval.",
    ),
    "demo": (
        "openphm.cli.demo",
        "Serve a demo fleet replaying real recordings on http://127.0.0.1:8000 (--report-only: "
        "the static HTML report).",
    ),
    "spectrum": (
        "openphm.cli.spectral",
        "Amplitude spectrum of one channel (window-corrected peak or RMS) and its largest peaks.",
    ),
    "envelope": (
        "openphm.cli.spectral",
        "Squared-envelope spectrum and its dominant peaks, strongest first.",
    ),
    "kurtogram": (
        "openphm.cli.spectral",
        "Fast kurtogram (Antoni 2007): the most impulsive frequency band of one channel.",
    ),
    "info": (
        "openphm.cli.info",
        "Show the channels of a record (rate, length, unit, speed, statistics) and its labels.",
    ),
    "severity": (
        "openphm.cli.severity",
        "Broadband velocity r.m.s. in mm/s (ISO 10816 / 20816) and, with --group or "
        "--machine-class, its evaluation zone A-D.",
    ),
    "ingest": (
        "openphm.cli.ingest",
        "Store measurements once each and run them through the chain (indicators, zone, "
        "diagnosis, baselines, alarms); a table says what was stored, skipped as a duplicate, "
        "or refused and why.",
    ),
    "watch": (
        "openphm.cli.ingest",
        "Watch a drop folder and ingest each file once it has settled.",
    ),
    "mqtt": (
        "openphm.cli.ingest",
        "Subscribe to PREFIX/SITE/MACHINE/POINT/waveform and ingest every message.",
    ),
    "status": (
        "openphm.cli.monitor",
        "The fleet at a glance: each machine's worst state, open alarms, last diagnoses.",
    ),
    "alarms": (
        "openphm.cli.monitor",
        "The open alarms (newest first); acknowledge one with --ack ID --comment TEXT.",
    ),
    "trend": (
        "openphm.cli.monitor",
        "An indicator's values at a point over time, with the baseline limits of each regime.",
    ),
    "telemetry": (
        "openphm.cli.telemetry",
        "Store telemetry tables row by row and judge each named value against its baseline.",
    ),
    "support": (
        "openphm.cli.telemetry",
        "Roof-support health from a leg-pressure table: setting vs rated, leaks, yields, advances.",
    ),
    "bench": ("openphm.cli.bench", "Accuracy benchmarks on the reference data."),
    "serve": (
        "openphm.cli.serve",
        "Serve the REST API and the dashboard on http://127.0.0.1:8000 (Ctrl-C stops it).",
    ),
    "users": (
        "openphm.cli.serve",
        "Users of the service: add people and systems with a role, issue API tokens.",
    ),
    "fleet": (
        "openphm.cli.fleet",
        "The fleet: sites, machines (from machine profiles), components and measurement points.",
    ),
    "predict": (
        "openphm.cli.predict",
        "Fault location by a learned model: class, probabilities and the physics evidence.",
    ),
    "train": (
        "openphm.cli.train",
        "Train a fault-location model on CWRU or a labelled folder; write a safe model file.",
    ),
    "batch": (
        "openphm.cli.batch",
        "Run many records through the chain on one machine or a Dask cluster; stopped and "
        "started again, a batch does only what is left.",
    ),
}

#: Settings shared by the root app and the apps that load each command module.
_APP_SETTINGS: dict[str, Any] = {
    "add_completion": False,
    "pretty_exceptions_enable": False,
    "rich_markup_mode": "markdown",
}


@cache
def _module_commands(module: str) -> TyperGroup:
    """The commands that ``module``'s ``register(app)`` adds, built by Typer (once per process)."""
    sub = typer.Typer(**_APP_SETTINGS)
    importlib.import_module(module).register(sub)
    return typer.main.get_group(sub)


def load_command(name: str) -> click.Command:
    """The real command ``name`` of :data:`COMMANDS`, importing its module.

    Parameters
    ----------
    name : str
        A key of :data:`COMMANDS`.

    Returns
    -------
    click.Command
        The command as Typer builds it from its function's signature.
    """
    return _module_commands(COMMANDS[name][0]).commands[name]


class _Listed(TyperCommand):
    """A command's name and one-line help, shown by ``openphm --help`` before its module loads."""

    def __init__(self, name: str, help_line: str) -> None:
        super().__init__(name, short_help=help_line, help=help_line)


class _LazyGroup(TyperGroup):
    """The root group: lists every command of :data:`COMMANDS`, imports one when it runs."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        for name, (_, help_line) in COMMANDS.items():
            self.commands.setdefault(name, _Listed(name, help_line))

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        if isinstance(command, _Listed) and name is not None:
            command = self.commands[name] = load_command(name)
        return name, command, rest


app = typer.Typer(
    name="openphm",
    help="openphm: read machine vibration, process it as an analyst would, diagnose and prognose.",
    no_args_is_help=True,
    cls=_LazyGroup,
    **_APP_SETTINGS,
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
