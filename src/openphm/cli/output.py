"""Shared output helpers of the CLI: JSON for scripts, Rich tables and progress for people."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

console = Console()
err_console = Console(stderr=True)


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


def plot_written(path: Path | None) -> None:
    """Say where a plot went, when one was asked for."""
    if path is not None:
        console.print(f"plot written to {path}", markup=False)
