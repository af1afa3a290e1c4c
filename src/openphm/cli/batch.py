"""``openphm batch``: many records through the chain on any executor, resumably."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any, cast

import typer

from openphm.cli.output import AsJson, console, err_console, print_json, print_table, track
from openphm.cli.store_options import DatabaseUrl, Home, open_store
from openphm.core.errors import ConfigError, DataError
from openphm.pipeline.batch import (
    MACHINE_PREFIX,
    BatchSummary,
    ParquetSink,
    Sink,
    StoreSink,
    batch_executor,
    context_overrides,
    resolve_sources,
    run_resumable,
    store_items,
)
from openphm.pipeline.context import ProcessingContext
from openphm.pipeline.process import BatchItem
from openphm.store import ComponentInfo


def _overrides(path: Path | None) -> dict[str, Any]:
    """The context fields a settings file (JSON) gives."""
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise DataError(f"{path}: cannot read the settings (JSON expected: {exc})") from exc
    if not isinstance(data, dict):
        raise DataError(f"{path}: the settings must be a JSON object of processing settings")
    return context_overrides(data)


def _since(days: float | None, since: datetime | None) -> datetime | None:
    if days is not None:
        return datetime.now(UTC) - timedelta(days=days)
    if since is not None and since.tzinfo is None:
        return since.replace(tzinfo=UTC)
    return since


def _print(summary: BatchSummary, where: str, as_json: bool) -> None:
    rate = summary.windows / summary.seconds if summary.seconds > 0 else 0.0
    if as_json:
        print_json({**summary.to_dict(), "windows_per_s": rate, "written_to": where})
        return
    print_table(
        "Batch",
        ("items", "done before", "processed", "windows", "failed", "lost", "s", "windows/s"),
        [
            (
                summary.items,
                summary.skipped,
                summary.processed,
                summary.windows,
                summary.failed,
                summary.lost,
                summary.seconds,
                rate,
            )
        ],
    )
    for error in summary.errors:
        err_console.print(f"error: {error}", markup=False)
    console.print(f"results written to {where}", markup=False)


def batch(
    sources: Annotated[
        list[str],
        typer.Argument(
            help="Folders of records, record files or URLs, data sets (cwru, femto), or a "
            "machine's stored measurements (machine:SITE/MACHINE).",
            metavar="SOURCE",
            show_default=False,
        ),
    ],
    executor: Annotated[
        str,
        typer.Option(
            "--executor",
            help="serial, process (a process pool), dask-local (a local Dask cluster) or a "
            "Dask scheduler's address (tcp://HOST:8786).",
        ),
    ] = "serial",
    workers: Annotated[
        int | None,
        typer.Option("--workers", help="Worker processes of a pool or local cluster.", min=1),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Folder of Parquet files (one row per item and window); without it, the "
            "results of stored measurements go back to the store.",
            show_default=False,
        ),
    ] = None,
    window: Annotated[
        float | None,
        typer.Option("--window", help="Cut records into windows of this many seconds.", min=1e-3),
    ] = None,
    settings: Annotated[
        Path | None,
        typer.Option(
            "--settings",
            help='Processing settings as JSON (e.g. {"diagnosis": {"n_harmonics": 4}}); for '
            "stored measurements they replace those the fleet model gives.",
            show_default=False,
        ),
    ] = None,
    days: Annotated[
        float | None,
        typer.Option("--days", help="Stored measurements of the last N days only.", min=0.0),
    ] = None,
    since: Annotated[
        datetime | None,
        typer.Option("--since", help="Stored measurements acquired from then (UTC)."),
    ] = None,
    until: Annotated[
        datetime | None,
        typer.Option("--until", help="Stored measurements acquired before then (UTC)."),
    ] = None,
    home: Home = None,
    database_url: DatabaseUrl = None,
    as_json: AsJson = False,
) -> None:
    """Run many records through the chain on one machine or a Dask cluster; stopped and
    started again, a batch does only what is left. Exit status 1 when an item failed."""
    overrides = _overrides(settings)
    machines = [s.removeprefix(MACHINE_PREFIX) for s in sources if s.startswith(MACHINE_PREFIX)]
    files = [s for s in sources if not s.startswith(MACHINE_PREFIX)]
    if files and out is None:
        raise typer.BadParameter(
            "records from files go to Parquet: give --out DIR", param_hint="--out"
        )
    context = ProcessingContext(**overrides)
    items: list[BatchItem] = resolve_sources(files, window_s=window)
    components: dict[int, tuple[ComponentInfo, ...]] = {}
    store = open_store(home, database_url) if machines else None
    try:
        start, end = _since(days, since), _since(None, until)
        for machine in machines:
            assert store is not None
            found, heard = store_items(store, machine, since=start, until=end, overrides=overrides)
            items.extend(found)
            components.update(heard)
        if not items:
            raise ConfigError(f"no records to process in {', '.join(sources)}")
        sink: Sink
        if out is not None:
            sink, where = ParquetSink(out, context), str(out)
        else:
            assert store is not None
            sink, where = StoreSink(store, components, overrides), f"the store ({store.backend})"

        def progress(pending: Iterable[Any]) -> Iterable[Any]:
            return track(cast(Sequence[Any], pending), "processing", not as_json)

        with batch_executor(executor, workers) as pool:
            summary = run_resumable(items, sink, context, executor=pool, progress=progress)
    finally:
        if store is not None:
            store.close()
    _print(summary, where, as_json)
    if summary.failed or summary.lost:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add the ``batch`` command to the openphm app."""
    app.command("batch")(batch)
