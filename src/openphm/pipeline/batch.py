"""Fleet-scale batches: what to process, where, and where the results go, resumably.

A batch is a list of :class:`~openphm.pipeline.process.BatchItem` run by
:func:`~openphm.pipeline.process.run_batch` on an executor, its outcomes written by a *sink* in
this process as they come in:

- sources (:func:`resolve_sources`): a folder of records, a reference data set (``cwru`` in
  windows, ``femto`` snapshots), or a machine's measurements in the store over a time span;
- executors (:func:`batch_executor`): serial, a process pool, a local Dask cluster, or a Dask
  scheduler by address, all through ``concurrent.futures.Executor`` (Dask's
  ``Client.get_executor()``), so that the results are the same bit for bit;
- sinks: :class:`ParquetSink` (one Parquet file per item, written atomically, one row per item
  and window) or :class:`StoreSink` (the store's results, replaced in one transaction per
  measurement). Each knows what it holds already, so a batch stopped half way and started
  again (:func:`run_resumable`) does only what is left and never stores an item twice.

Workers compute; only this process writes. A task that Dask runs again after losing a worker
still returns once, so it is written once.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, Protocol

from openphm import __version__
from openphm.acquire.registry import readers, source_for
from openphm.core.errors import ConfigError, DataError
from openphm.core.provenance import settings_hash
from openphm.core.serialize import Serializable, to_plain
from openphm.pipeline.context import ProcessingContext
from openphm.pipeline.monitor import (
    MonitorSettings,
    context_for_point,
    machine_profile,
    result_rows,
)
from openphm.pipeline.process import BatchItem, BatchOutcome, Progress, run_batch
from openphm.store import ComponentInfo, Store

__all__ = [
    "DATASETS",
    "BatchSummary",
    "JobBoard",
    "JobStatus",
    "ParquetSink",
    "Sink",
    "StoreSink",
    "batch_executor",
    "context_overrides",
    "dataset_items",
    "folder_items",
    "read_parquet_results",
    "resolve_sources",
    "run_resumable",
    "store_items",
]

#: Reference data sets a batch can name as a source.
DATASETS = ("cwru", "femto")

#: Prefix of a source that is a machine's measurements in the store (``machine:lab/rig1``).
MACHINE_PREFIX = "machine:"


# -- sources ------------------------------------------------------------------------------------


def dataset_items(
    name: str,
    root: str | Path | None = None,
    *,
    window_s: float = 1.0,
    snapshots_per_item: int = 250,
) -> list[BatchItem]:
    """Every record of a reference data set, as batch items.

    Parameters
    ----------
    name : {"cwru", "femto"}
        ``cwru``: each record cut into windows of ``window_s``; ``femto``: every vibration
        snapshot of the learning set, ``snapshots_per_item`` of one bearing to an item (one
        Parquet read serves them all).
    root : str or pathlib.Path, optional
        The data root (default ``OPENPHM_DATA``).
    window_s : float
        Window length for the CWRU records, s.
    snapshots_per_item : int
        FEMTO snapshots read and processed together by one task.

    Returns
    -------
    list of BatchItem
        In file order.
    """
    if name == "cwru":
        from openphm.acquire.datasets import cwru_records

        return [
            BatchItem(r.path, window_s=window_s) for r in cwru_records(root) if r.path is not None
        ]
    if name == "femto":
        return _femto_items(root, snapshots_per_item)
    raise ConfigError(f"unknown data set {name!r}; known: {', '.join(DATASETS)}")


def _femto_items(root: str | Path | None, per_item: int) -> list[BatchItem]:
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from openphm.acquire.datasets import dataset_dir

    if per_item < 1:
        raise ConfigError(f"snapshots_per_item must be at least 1, got {per_item}")
    files = sorted((dataset_dir("femto", root) / "learning_set").glob("Bearing*_acc.parquet"))
    if not files:
        raise DataError(f"{dataset_dir('femto', root)}: no learning_set/Bearing*_acc.parquet")
    items: list[BatchItem] = []
    for file in files:
        numbers = pc.unique(pq.read_table(file, columns=["snapshot"]).column("snapshot"))
        found = sorted(int(k) for k in numbers.to_pylist())
        items.extend(
            BatchItem(file, snapshots=tuple(found[i : i + per_item]))
            for i in range(0, len(found), per_item)
        )
    return items


def folder_items(folder: Path, *, window_s: float | None = None) -> list[BatchItem]:
    """Every record in a folder tree whose format a reader knows (by suffix), in path order.

    Parameters
    ----------
    folder : pathlib.Path
        The folder.
    window_s : float, optional
        Cut each record into windows of this many seconds.

    Returns
    -------
    list of BatchItem
        One per record (hidden files left out).
    """
    suffixes = {s for entry in readers() for s in entry.suffixes}
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        try:
            suffix = source_for(path).suffix
        except DataError:
            continue
        if suffix in suffixes:
            found.append(BatchItem(path, window_s=window_s))
    return found


def context_overrides(settings: Mapping[str, Any]) -> dict[str, Any]:
    """Typed fields of a :class:`ProcessingContext` from their plain form (a settings file).

    Parameters
    ----------
    settings : Mapping
        Some fields of a context as plain data (``{"diagnosis": {"n_harmonics": 5}}``).

    Returns
    -------
    dict
        The same fields, typed and validated.

    Raises
    ------
    DataError
        An unknown field or a value of the wrong type.
    ConfigError
        A value out of its range.

    Examples
    --------
    >>> context_overrides({"diagnosis": {"n_harmonics": 4}})["diagnosis"].n_harmonics
    4
    """
    typed = ProcessingContext.from_dict(settings)
    return {f.name: getattr(typed, f.name) for f in fields(typed) if f.name in settings}


def store_items(
    store: Store,
    machine: int | str,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> tuple[list[BatchItem], dict[int, tuple[ComponentInfo, ...]]]:
    """A machine's stored waveform measurements, each with its point's processing context.

    Parameters
    ----------
    store : Store
        The store (its waveform files must be readable by the workers at the same paths).
    machine : int or str
        The machine (id or ``site/machine``).
    since, until : datetime.datetime, optional
        Acquisition-time span, ``since <= t < until``.
    overrides : Mapping, optional
        Typed context fields (see :func:`context_overrides`) replacing those the fleet model
        gives (new diagnosis settings...).

    Returns
    -------
    items : list of BatchItem
        One per measurement, oldest first.
    components : dict of int to tuple of ComponentInfo
        The components each measurement's point hears, by measurement id (for the store's
        result rows).
    """
    info = store.machine(machine)
    items = []
    components: dict[int, tuple[ComponentInfo, ...]] = {}
    for point in store.points(info.id):
        for m in store.measurements(point.id, since=since, until=until):
            if m.kind != "waveform" or m.blob is None:
                continue
            inputs = store.processing_inputs(m.id)
            context = context_for_point(
                inputs.point,
                inputs.machine,
                inputs.components,
                machine_profile(store, inputs.machine),
                point.channel or None,
                m.speed_hz,
            )
            context = replace(context, **{"fs_hz": m.fs_hz, **dict(overrides or {})})
            assert inputs.blob is not None
            items.append(
                BatchItem(
                    inputs.blob,
                    measurement_id=m.id,
                    context=context,
                    prefer_channel="" if point.channel else point.name,
                )
            )
            components[m.id] = inputs.components
    return items, components


def resolve_sources(
    sources: Sequence[str],
    *,
    window_s: float | None = None,
    data_root: str | Path | None = None,
    snapshots_per_item: int = 250,
) -> list[BatchItem]:
    """The items of the file sources a command line names.

    Parameters
    ----------
    sources : sequence of str
        Each a folder (every record in it), a file or URL (one record), or a data set name
        (``cwru``, ``femto``; see :func:`dataset_items`).
    window_s : float, optional
        Window length, s (default: whole records; ``cwru`` 1 s).
    data_root : str or pathlib.Path, optional
        Root of the reference data (default ``OPENPHM_DATA``).
    snapshots_per_item : int
        FEMTO snapshots to a task.

    Returns
    -------
    list of BatchItem
        The items, in source order; an item named twice is kept once.

    Raises
    ------
    ConfigError
        A source that is neither a folder, a file, a URL nor a data set.
    """
    items: list[BatchItem] = []
    for source in sources:
        path = Path(source).expanduser().resolve()
        if path.is_dir():
            items.extend(folder_items(path, window_s=window_s))
        elif path.is_file() or "://" in source:
            items.append(BatchItem(source if "://" in source else path, window_s=window_s))
        elif source in DATASETS:
            items.extend(
                dataset_items(
                    source,
                    data_root,
                    window_s=window_s or 1.0,
                    snapshots_per_item=snapshots_per_item,
                )
            )
        else:
            raise ConfigError(
                f"batch source {source!r}: no such folder or file, and not a data set "
                f"({', '.join(DATASETS)}) or {MACHINE_PREFIX}SITE/MACHINE"
            )
    unique = {item.key: item for item in items}
    return list(unique.values())


# -- executors ----------------------------------------------------------------------------------


@contextmanager
def batch_executor(spec: str = "serial", workers: int | None = None) -> Iterator[Executor | None]:
    """The executor a batch runs on, shut down on exit.

    Parameters
    ----------
    spec : str
        ``"serial"`` (this process: None), ``"process"`` (a process pool), ``"dask-local"`` (a
        Dask ``LocalCluster`` of single-threaded worker processes on 127.0.0.1), or a Dask
        scheduler's address (``tcp://HOST:8786``). Dask is imported only for the last two
        (``pip install openphm[dist]``).
    workers : int, optional
        Worker processes of a pool or local cluster (default: the CPU count).

    Yields
    ------
    concurrent.futures.Executor or None
        The executor (Dask's through ``Client.get_executor()``); None for serial.

    Examples
    --------
    >>> with batch_executor("serial") as ex:
    ...     ex is None
    True
    """
    n = workers or os.cpu_count() or 1
    if n < 1:
        raise ConfigError(f"workers must be at least 1, got {n}")
    if spec == "serial":
        yield None
        return
    if spec == "process":
        with ProcessPoolExecutor(max_workers=n) as pool:
            yield pool
        return
    if spec != "dask-local" and not spec.startswith(("tcp://", "tls://", "inproc://")):
        raise ConfigError(
            f"executor {spec!r}: give serial, process, dask-local or a Dask scheduler's address "
            "(tcp://HOST:8786)"
        )
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ConfigError(
            f"executor {spec!r} needs Dask distributed: pip install 'openphm[dist]'"
        ) from None
    if spec == "dask-local":
        cluster = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=n,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            # No dashboard; the scheduler's own HTTP routes (health, metrics) on a free local
            # port rather than 8787, which another cluster on the machine may hold.
            dashboard_address=None,
            scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
        )
        with cluster, Client(cluster) as client:  # type: ignore[no-untyped-call]
            yield client.get_executor()
        return
    try:
        client = Client(spec, timeout=30)  # type: ignore[no-untyped-call]
    except OSError as exc:
        raise ConfigError(f"executor {spec}: cannot reach the Dask scheduler ({exc})") from exc
    with client:
        yield client.get_executor()  # type: ignore[no-untyped-call]


# -- sinks --------------------------------------------------------------------------------------


class Sink(Protocol):
    """Where a batch's outcomes go; it knows which items it holds already."""

    def done(self, items: Sequence[BatchItem]) -> set[str]:
        """Keys of the items among ``items`` whose results it holds."""

    def write(self, outcome: BatchOutcome) -> bool:
        """Keep one outcome (once); whether it was kept."""


def _key_name(key: str) -> str:
    return "part-" + hashlib.sha256(key.encode()).hexdigest()[:24] + ".parquet"


class ParquetSink:
    """One Parquet file per finished item in a folder, written atomically; one row per window.

    Each file is written beside its final name and renamed into place (``os.replace``) after an
    fsync, so that a batch stopped at any moment leaves only whole files; an item whose file
    exists is done. ``batch.json`` records the settings: the folder refuses a batch with other
    settings. Columns: ``item`` (its key), ``source``, ``window``, ``start_s``,
    ``measurement_id``, ``channel``, ``speed_hz``, ``error`` (the record's, or the stages' that
    could not run), ``verdict`` and ``confidence`` of the sensor's bearing, one
    ``indicator_<name>`` column per indicator, ``velocity_rms_mm_s`` and ``results`` (the whole
    :class:`~openphm.pipeline.results.Results` as JSON, to rebuild it exactly).

    Parameters
    ----------
    folder : pathlib.Path
        Output folder (created).
    context : ProcessingContext
        Settings of the batch.
    """

    def __init__(self, folder: Path, context: ProcessingContext) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        manifest = folder / "batch.json"
        wanted = {
            "settings_hash": settings_hash(context),
            "settings": to_plain(context),
            "openphm_version": __version__,
        }
        if manifest.exists():
            try:
                found = json.loads(manifest.read_text())
            except (OSError, ValueError) as exc:
                raise DataError(f"{manifest}: unreadable batch manifest ({exc})") from exc
            if found.get("settings_hash") != wanted["settings_hash"]:
                raise ConfigError(
                    f"{folder}: holds a batch made with other settings "
                    f"({found.get('settings_hash')} against {wanted['settings_hash']}); give "
                    "another --out folder"
                )
            return
        _atomic_write(manifest, json.dumps(wanted, indent=2).encode())

    def done(self, items: Sequence[BatchItem]) -> set[str]:
        """Keys of the items whose file is in the folder.

        Parameters
        ----------
        items : sequence of BatchItem
            The batch.

        Returns
        -------
        set of str
            Their keys.
        """
        present = {p.name for p in self.folder.glob("part-*.parquet")}
        return {i.key for i in items if _key_name(i.key) in present}

    def write(self, outcome: BatchOutcome) -> bool:
        """Write one item's rows (an item the executor lost is left to a resumed batch).

        Parameters
        ----------
        outcome : BatchOutcome
            The item's outcome.

        Returns
        -------
        bool
            Whether a file was written.
        """
        if outcome.lost:
            return False
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pylist(parquet_rows(outcome))
        target = self.folder / _key_name(outcome.item.key)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        pq.write_table(table, temporary)
        _fsync_replace(temporary, target)
        return True


def parquet_rows(outcome: BatchOutcome) -> list[dict[str, Any]]:
    """The rows of one outcome: one per window, or one with the error of a failed item.

    Parameters
    ----------
    outcome : BatchOutcome
        The item's outcome.

    Returns
    -------
    list of dict
        Plain rows (see :class:`ParquetSink` for the columns).
    """
    item = outcome.item
    base: dict[str, Any] = {
        "item": item.key,
        "source": str(item.path),
        "measurement_id": item.measurement_id,
    }
    if not outcome.windows:
        return [{**base, "window": "", "start_s": 0.0, "error": outcome.error}]
    rows = []
    for window in outcome.windows:
        results = window.results
        row = {
            **base,
            "window": window.label,
            "start_s": window.start_s,
            "channel": results.channel,
            "speed_hz": results.speed_hz,
            "error": "; ".join(f"{k}: {v}" for k, v in results.errors.items()),
        }
        if results.diagnoses is not None:
            row["verdict"] = results.diagnoses.main.verdict
            row["confidence"] = results.diagnoses.main.confidence
        if results.indicators is not None:
            row.update({f"indicator_{k}": v for k, v in results.indicators.values.items()})
        if results.severity is not None:
            row["velocity_rms_mm_s"] = results.severity.velocity_rms_mm_s
        row["results"] = json.dumps(results.to_dict(), sort_keys=True)
        rows.append(row)
    return rows


def read_parquet_results(folder: Path) -> Any:
    """Every row a :class:`ParquetSink` wrote in ``folder``, as one ``pyarrow.Table``.

    Parameters
    ----------
    folder : pathlib.Path
        The batch's output folder.

    Returns
    -------
    pyarrow.Table
        All rows (columns that only some files have are null elsewhere), sorted by item and
        start time.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    parts = [pq.read_table(p) for p in sorted(folder.glob("part-*.parquet"))]
    if not parts:
        raise DataError(f"{folder}: no batch results (part-*.parquet)")
    table = pa.concat_tables(parts, promote_options="default")
    return table.sort_by([("item", "ascending"), ("start_s", "ascending")])


def _atomic_write(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    _fsync_replace(temporary, path)


def _fsync_replace(temporary: Path, target: Path) -> None:
    fd = os.open(temporary, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temporary, target)
    folder = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


class StoreSink:
    """Results of stored measurements back into the store, one transaction per measurement.

    Storing replaces the measurement's results and trend values (:meth:`Store.add_results`);
    each stored row carries in its ``input`` the batch's tag (a hash of the settings the batch
    changed, and the openphm version), which is how a resumed batch knows what is done.
    Detector states and alarms are left alone: they follow measurements in time order, which a
    parallel re-processing of history does not (re-run monitoring for that). An item that fails
    leaves the results stored before it in place.

    Parameters
    ----------
    store : Store
        The store.
    components : Mapping of int to tuple of ComponentInfo
        The components each measurement's point hears (from :func:`store_items`).
    overrides : Mapping, optional
        The typed context fields the batch changes (part of its tag).
    monitor : MonitorSettings, optional
        Which indicators go to the trend table.
    """

    def __init__(
        self,
        store: Store,
        components: Mapping[int, tuple[ComponentInfo, ...]],
        overrides: Mapping[str, Any] | None = None,
        monitor: MonitorSettings | None = None,
    ) -> None:
        self.store = store
        self.components = dict(components)
        self.tag = "batch-" + settings_hash(
            {"overrides": to_plain(dict(overrides or {})), "openphm_version": __version__}
        )
        self.monitor = monitor or MonitorSettings()

    def done(self, items: Sequence[BatchItem]) -> set[str]:
        """Keys of the items whose measurement holds results of this batch's tag.

        Parameters
        ----------
        items : sequence of BatchItem
            The batch (items of stored measurements).

        Returns
        -------
        set of str
            Their keys.
        """
        found = set()
        for item in items:
            if item.measurement_id is None:
                continue
            stored = self.store.results(item.measurement_id)
            if stored and all((r.input or {}).get("batch") == self.tag for r in stored):
                found.add(item.key)
        return found

    def write(self, outcome: BatchOutcome) -> bool:
        """Store one measurement's results (not those of an item that failed or was lost).

        Parameters
        ----------
        outcome : BatchOutcome
            The item's outcome.

        Returns
        -------
        bool
            Whether results were stored.
        """
        results = outcome.results
        mid = outcome.item.measurement_id
        if results is None or mid is None:
            return False
        rows = [
            replace(r, input={**dict(r.input or {}), "batch": self.tag})
            for r in result_rows(results, self.components.get(mid, ()))
        ]
        values = dict(results.indicators.values) if results.indicators is not None else {}
        if results.severity is not None:
            values["velocity_rms_mm_s"] = results.severity.velocity_rms_mm_s
        tracked = {
            k: float(v)
            for k, v in values.items()
            if k in self.monitor.indicators and math.isfinite(v)
        }
        self.store.add_results(mid, rows, indicators=tracked, status="processed")
        return True


# -- running ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchSummary(Serializable):
    """What a batch run did.

    Parameters
    ----------
    items : int
        Items in the batch.
    skipped : int
        Items already done by an earlier run (not processed again).
    processed : int
        Items processed now and written.
    windows : int
        Windows (or snapshots, or whole records) processed now.
    failed : int
        Items whose record could not be processed (reported, and written as such to Parquet).
    lost : int
        Items the executor lost (a resumed batch does them).
    seconds : float
        Wall time of the run, s.
    errors : tuple of str
        The failed and lost items' errors (the first 50).
    """

    items: int
    skipped: int
    processed: int
    windows: int
    failed: int
    lost: int
    seconds: float
    errors: tuple[str, ...] = ()


def run_resumable(
    items: Sequence[BatchItem],
    sink: Sink,
    context: ProcessingContext | None = None,
    *,
    executor: Executor | None = None,
    progress: Progress | None = None,
    on_outcome: Callable[[BatchOutcome], None] | None = None,
) -> BatchSummary:
    """Run what is left of a batch and write each outcome to ``sink`` as it comes in.

    Parameters
    ----------
    items : sequence of BatchItem
        The whole batch.
    sink : Sink
        Where the outcomes go (:class:`ParquetSink`, :class:`StoreSink`); the items it holds
        already are skipped.
    context : ProcessingContext, optional
        The batch's settings (items of stored measurements bring their own).
    executor : concurrent.futures.Executor, optional
        Where to run (see :func:`batch_executor`); serial by default.
    progress : callable, optional
        Wraps an iterable to show progress (see :func:`~openphm.pipeline.process.run_batch`).
    on_outcome : callable, optional
        Called with each outcome after the sink (progress counters of a service job).

    Returns
    -------
    BatchSummary
        Counts, time and errors.
    """
    started = time.perf_counter()
    done = sink.done(items)
    todo = [i for i in items if i.key not in done]

    def keep(outcome: BatchOutcome) -> None:
        sink.write(outcome)
        if on_outcome is not None:
            on_outcome(outcome)

    outcomes = run_batch(
        todo, context, executor=executor, progress=progress, on_outcome=keep, strict=False
    )
    bad = [o for o in outcomes if o.error]
    return BatchSummary(
        items=len(items),
        skipped=len(items) - len(todo),
        processed=sum(1 for o in outcomes if not o.lost),
        windows=sum(len(o.windows) for o in outcomes),
        failed=sum(1 for o in bad if not o.lost),
        lost=sum(1 for o in bad if o.lost),
        seconds=time.perf_counter() - started,
        errors=tuple(o.error for o in bad[:50]),
    )


# -- re-processing jobs -------------------------------------------------------------------------

JobState = Literal["queued", "running", "done", "failed"]


@dataclass(frozen=True)
class JobStatus(Serializable):
    """Where a re-processing job stands.

    Parameters
    ----------
    id : int
        The job's number (from 1, per board).
    machine : str
        The machine whose measurements it re-processes (``site/machine``).
    since, until : datetime.datetime or None
        Acquisition-time span, ``since <= t < until``.
    settings : Mapping
        The processing settings it changes, as given.
    user : str
        Who submitted it.
    state : {"queued", "running", "done", "failed"}
        ``failed``: the job could not run (its items' own failures are in ``summary``).
    submitted_at : datetime.datetime
        When it was submitted (UTC).
    items : int
        Measurements to process (known once it runs).
    finished : int
        Measurements finished so far.
    summary : BatchSummary or None
        What the run did, once done.
    error : str
        Why the job failed.
    """

    id: int
    machine: str
    since: datetime | None
    until: datetime | None
    settings: Mapping[str, Any]
    user: str
    state: JobState
    submitted_at: datetime
    items: int = 0
    finished: int = 0
    summary: BatchSummary | None = None
    error: str = ""


def _utc(moment: datetime | None) -> datetime | None:
    """A time without a zone taken as UTC."""
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=UTC)


class JobBoard:
    """Re-processing jobs ("re-run diagnosis of machine X with settings v2 over the last 90 days").

    Jobs run one at a time on a background thread, each as a resumable store batch
    (:func:`store_items`, :class:`StoreSink`) on the executor ``executor`` names (see
    :func:`batch_executor`: a process pool or a Dask scheduler's address). Their state is kept
    in memory: a restarted service forgets the jobs, and a job submitted again resumes where the
    results stored say it stopped.

    Parameters
    ----------
    store : Store
        The store whose measurements are re-processed.
    executor : str
        Executor of each job's batch (default serial, on the job's thread).
    workers : int, optional
        Workers of a process pool or local cluster.
    clock : callable, optional
        Current UTC time (tests pass their own).
    """

    def __init__(
        self,
        store: Store,
        executor: str = "serial",
        workers: int | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.store = store
        self.executor = executor
        self.workers = workers
        self._clock = clock or (lambda: datetime.now(UTC))
        self._jobs: dict[int, JobStatus] = {}
        self._lock = threading.Lock()
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="openphm-jobs")

    def submit(
        self,
        machine: int | str,
        *,
        days: float | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        settings: Mapping[str, Any] | None = None,
        user: str = "",
    ) -> JobStatus:
        """Check and queue a job; it runs when the ones before it are done.

        Parameters
        ----------
        machine : int or str
            The machine (id or ``site/machine``).
        days : float, optional
            The last ``days`` days (instead of ``since``).
        since, until : datetime.datetime, optional
            Acquisition-time span.
        settings : Mapping, optional
            Processing settings to change, plain (see :func:`context_overrides`).
        user : str
            Who submits it.

        Returns
        -------
        JobStatus
            The queued job.

        Raises
        ------
        ConfigError
            An unknown machine or a setting out of range.
        DataError
            An unknown setting or one of the wrong type.
        """
        info = self.store.machine(machine)
        since, until = _utc(since), _utc(until)
        plain = dict(settings or {})
        overrides = context_overrides(plain)
        if days is not None:
            if not (math.isfinite(days) and days >= 0):
                raise ConfigError(f"days must be a non-negative number, got {days}")
            since = self._clock() - timedelta(days=days)
        with self._lock:
            job = JobStatus(
                id=len(self._jobs) + 1,
                machine=f"{info.site}/{info.name}",
                since=since,
                until=until,
                settings=plain,
                user=user,
                state="queued",
                submitted_at=self._clock(),
            )
            self._jobs[job.id] = job
        self._thread.submit(self._run, job.id, info.id, overrides)
        return job

    def get(self, job_id: int) -> JobStatus:
        """One job.

        Parameters
        ----------
        job_id : int
            Its number.

        Returns
        -------
        JobStatus
            Where it stands.

        Raises
        ------
        ConfigError
            No such job (``... not found``).
        """
        with self._lock:
            found = self._jobs.get(job_id)
        if found is None:
            raise ConfigError(f"job {job_id} not found")
        return found

    def jobs(self) -> list[JobStatus]:
        """Every job, newest first.

        Returns
        -------
        list of JobStatus
            The jobs.
        """
        with self._lock:
            return sorted(self._jobs.values(), key=lambda j: -j.id)

    def wait(self, timeout_s: float | None = None) -> None:
        """Block until the jobs queued so far are done (tests, and shutting down).

        Parameters
        ----------
        timeout_s : float, optional
            Longest wait, s.
        """
        self._thread.submit(lambda: None).result(timeout=timeout_s)

    def close(self) -> None:
        """Finish the running job, drop the queued ones, and stop the thread."""
        self._thread.shutdown(wait=True, cancel_futures=True)

    def _update(self, job_id: int, **changes: Any) -> None:
        with self._lock:
            self._jobs[job_id] = replace(self._jobs[job_id], **changes)

    def _run(self, job_id: int, machine_id: int, overrides: Mapping[str, Any]) -> None:
        job = self.get(job_id)
        self._update(job_id, state="running")
        try:
            items, heard = store_items(
                self.store, machine_id, since=job.since, until=job.until, overrides=overrides
            )
            self._update(job_id, items=len(items))
            count = [0]

            def finished(outcome: BatchOutcome) -> None:
                count[0] += 1
                self._update(job_id, finished=count[0])

            sink = StoreSink(self.store, heard, overrides)
            with batch_executor(self.executor, self.workers) as pool:
                summary = run_resumable(items, sink, None, executor=pool, on_outcome=finished)
        except Exception as exc:  # the job's failure is its state, reported by the API
            self._update(job_id, state="failed", error=f"{type(exc).__name__}: {exc}")
            return
        self._update(job_id, state="done", summary=summary, finished=summary.processed)
