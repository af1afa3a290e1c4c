"""Shared output helpers of the CLI: JSON for scripts, Rich tables and progress for people."""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from openphm.core.errors import ConfigError

#: Width of the output when it goes to a file or a pipe (where Rich would assume 80 columns
#: and cut table cells short: "healt..."); the ``COLUMNS`` variable still wins.
PIPE_WIDTH = 1000


def _console(stderr: bool) -> Console:
    """A console on stdout or stderr: the terminal's width, or :data:`PIPE_WIDTH` when piped."""
    out = Console(stderr=stderr)
    if out.is_terminal or "COLUMNS" in os.environ:
        return out
    return Console(stderr=stderr, width=PIPE_WIDTH)


console = _console(stderr=False)
err_console = _console(stderr=True)

#: The ``--json`` option of every command that prints tables.
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return [_jsonable(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        return _jsonable(value.item())
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def print_json(payload: Any) -> None:
    """Print ``payload`` as JSON on stdout (numpy values converted, NaN/Inf as null)."""
    print(json.dumps(_jsonable(payload), indent=2))


def print_table(title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Print a Rich table with the given column headers and rows.

    Titles and cells are printed as plain text: a channel name, file name or metadata value that
    looks like Rich markup (``[ch0]``, ``[/x]``) is shown as it is, not swallowed or rejected.
    """
    table = Table(title=escape(title), title_justify="left")
    for col in columns:
        table.add_column(escape(col), justify="right" if col[:1].isdigit() else "left")
    for row in rows:
        table.add_row(*(escape(fmt(v)) for v in row))
    console.print(table)


def fmt(value: Any) -> str:
    """Format one value for a table cell (floats to 4 significant digits)."""
    if isinstance(value, float | np.floating):
        return f"{float(value):.4g}"
    return str(value)


def track(items: Sequence[Any], description: str, enabled: bool = True) -> Iterator[Any]:
    """Iterate over ``items`` with a progress bar on stderr (silent when ``enabled`` is False)."""
    if not enabled:
        yield from items
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err_console, transient=True) as progress:
        task = progress.add_task(description, total=len(items))
        for item in items:
            yield item
            progress.advance(task)


@contextmanager
def busy(description: str) -> Iterator[None]:
    """Show a spinner with ``description`` on an interactive stderr while the block runs."""
    if not err_console.is_terminal:
        yield
        return
    with err_console.status(description):
        yield


#: File suffixes a plot can be written as (what matplotlib's Agg canvas writes).
PLOT_SUFFIXES = (".png", ".pdf", ".svg", ".svgz", ".jpg", ".jpeg", ".tif", ".tiff", ".webp", ".eps")


def output_file(path: Path | None, option: str, suffixes: Sequence[str] = ()) -> Path | None:
    """Check, before any work, that the command can write the file ``path``.

    Parameters
    ----------
    path : pathlib.Path or None
        The file asked for (None: nothing to check).
    option : str
        The option that named it (``--plot``, ``--report``), for the message.
    suffixes : sequence of str, optional
        Lower-case suffixes the file may have (empty: any).

    Returns
    -------
    pathlib.Path or None
        ``path``.

    Raises
    ------
    ConfigError
        An unknown suffix, a folder, a missing or unwritable parent folder.

    Examples
    --------
    >>> output_file(Path("spectrum.png"), "--plot", PLOT_SUFFIXES)
    PosixPath('spectrum.png')
    """
    if path is None:
        return None
    if suffixes and path.suffix.lower() not in suffixes:
        raise ConfigError(
            f"{option} {path}: unknown file type {path.suffix or '(no suffix)'!r}; use one of "
            f"{', '.join(suffixes)}"
        )
    if path.is_dir():
        raise ConfigError(f"{option} {path}: is a folder; give a file name")
    folder = path.parent
    if not folder.is_dir():
        raise ConfigError(f"{option} {path}: the folder {folder} does not exist; create it first")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise ConfigError(f"{option} {path}: cannot write there (permission denied)")
    return path


def output_folder(path: Path, option: str) -> Path:
    """Check that ``path`` is a folder the command can write into, creating it if need be.

    Parameters
    ----------
    path : pathlib.Path
        The folder asked for.
    option : str
        The option that named it, for the message.

    Returns
    -------
    pathlib.Path
        ``path``, which now exists.

    Raises
    ------
    ConfigError
        ``path`` is a file (or a device such as ``/dev/null``), cannot be created or written.
    """
    if path.exists() and not path.is_dir():
        raise ConfigError(f"{option} {path}: exists and is not a folder; give a folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"{option} {path}: cannot create the folder ({exc.strerror})") from None
    if not os.access(path, os.W_OK):
        raise ConfigError(f"{option} {path}: cannot write there (permission denied)")
    return path


def plot_written(path: Path | None) -> None:
    """Say where a plot went, when one was asked for (on stderr: stdout may carry JSON)."""
    if path is not None:
        err_console.print(f"plot written to {path}", markup=False)
