"""Run the chain: one measurement, several snapshots of one state, or a batch on any executor."""

from __future__ import annotations

import math
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from openphm.acquire.channels import load_record
from openphm.core.errors import ConfigError, DataError, OpenPHMError
from openphm.core.provenance import InputRef, Provenance
from openphm.core.waveform import Recording, Waveform
from openphm.diagnose.speed import SpeedTrack
from openphm.diagnose.tracks import speed_track
from openphm.pipeline.context import ProcessingContext
from openphm.pipeline.results import Results
from openphm.pipeline.stages import StageInput, analysed_channel, stage

__all__ = [
    "BatchItem",
    "BatchOutcome",
    "WindowResult",
    "local_file",
    "process",
    "process_file",
    "process_snapshots",
    "run_batch",
]

Progress = Callable[[Iterable[object]], Iterable[object]]


def _speed_track(
    recording: Recording, wave: Waveform, context: ProcessingContext
) -> SpeedTrack | None:
    """The speed track the context asks for (tachometer or speed channel), or None."""
    return speed_track(
        recording,
        wave,
        speed_hz=context.speed_hz,
        tacho=context.tacho,
        ppr=context.ppr,
        speed_channel=context.speed_channel,
        speed_unit=context.speed_unit,
    )


def _run_stages(
    recording: Recording,
    waves: tuple[Waveform, ...],
    context: ProcessingContext,
    measurement_id: int | None,
    strict: bool,
) -> Results:
    wave = waves[0]
    track = _speed_track(recording, wave, context)
    outputs: dict[str, object] = {}
    errors: dict[str, str] = {}
    for name in context.stages:
        run = stage(name)
        try:
            result = run(StageInput(recording, waves, track, context, dict(outputs)))
        except OpenPHMError as exc:
            if strict:
                raise
            errors[name] = str(exc)
            continue
        if result is not None:
            outputs[name] = result
    diagnoses = outputs.get("diagnosis")
    speed = getattr(getattr(diagnoses, "by_label", {}).get(""), "speed_hz", None)
    return Results(
        channel=wave.channel,
        outputs=outputs,
        errors=errors,
        speed_hz=speed if speed is not None else wave.speed_hz,
        provenance=Provenance.of(
            context, InputRef(recording.source or wave.source, wave.channel, measurement_id)
        ),
    )


def process(
    recording: Recording,
    context: ProcessingContext | None = None,
    *,
    measurement_id: int | None = None,
    strict: bool = True,
) -> Results:
    """Run the stages the context names on one measurement.

    Parameters
    ----------
    recording : Recording
        The measurement (every channel; the context says which to analyse).
    context : ProcessingContext, optional
        Settings of the run (default: indicators and bearing diagnosis, bearing and speed from
        the record).
    measurement_id : int, optional
        Id of the measurement in the store, recorded in the results' provenance.
    strict : bool, default True
        Raise the first stage's error; with False, a stage that cannot run is recorded in
        ``Results.errors`` and the others go on (monitoring keeps the indicators of a record
        too short to diagnose).

    Returns
    -------
    Results
        Each stage's result, with provenance.
    """
    context = context or ProcessingContext()
    wave = analysed_channel(recording, context)
    return _run_stages(recording, (wave,), context, measurement_id, strict)


def process_file(
    path: Path, context: ProcessingContext | None = None, *, report: Path | None = None
) -> Results:
    """Read ``path`` and :func:`process` it; with ``report``, write the diagnosis's HTML report.

    Parameters
    ----------
    path : pathlib.Path
        A record in any format :func:`openphm.acquire.read` reads.
    context : ProcessingContext, optional
        Settings of the run.
    report : pathlib.Path, optional
        HTML file for the report of the bearing diagnosis.

    Returns
    -------
    Results
        As :func:`process`.
    """
    context = context or ProcessingContext()
    recording = load_record(path, context.fs_hz)
    results = process(recording, context)
    if report is not None:
        _write_report(report, recording, (analysed_channel(recording, context),), results, context)
    return results


def process_snapshots(
    paths: Sequence[Path], context: ProcessingContext | None = None, *, report: Path | None = None
) -> Results:
    """Several short records of one machine state, processed together (spectra averaged).

    Parameters
    ----------
    paths : sequence of pathlib.Path
        The snapshots, each a record of the same channel.
    context : ProcessingContext, optional
        Settings of the run; no speed track (the snapshots are averaged at constant speed).
    report : pathlib.Path, optional
        HTML file for the report of the bearing diagnosis.

    Returns
    -------
    Results
        The indicators are those of the first snapshot; the diagnosis is of them all.
    """
    context = context or ProcessingContext()
    if context.tacho is not None or context.speed_channel is not None:
        raise ConfigError(
            "--snapshots: the snapshots' spectra are averaged at constant speed; give no "
            "--tacho or --speed-channel (each file may state its own speed)"
        )
    records = [load_record(p, context.fs_hz) for p in paths]
    waves = tuple(analysed_channel(rec, context) for rec in records)
    results = _run_stages(records[0], waves, context, None, strict=True)
    if report is not None:
        _write_report(report, records[0], waves, results, context)
    return results


def _write_report(
    path: Path,
    recording: Recording,
    waves: tuple[Waveform, ...],
    results: Results,
    context: ProcessingContext,
) -> None:
    from openphm.diagnose.report import render_gear_section, write_report
    from openphm.pipeline.gear_stage import GearDiagnoses

    diagnoses = results.diagnoses
    if diagnoses is None:
        raise ConfigError(f"{path}: a report needs the diagnosis stage")
    track = _speed_track(recording, waves[0], context)
    gears = results.outputs.get("gears")
    gears_html = (
        render_gear_section(waves[0], gears.by_gear, context.gearbox, diagnoses.main.speed_hz)
        if isinstance(gears, GearDiagnoses)
        else ""
    )
    write_report(
        path,
        waves[0] if len(waves) == 1 else list(waves),
        diagnoses.main,
        track=track,
        others=diagnoses.others,
        gears_html=gears_html,
    )


@dataclass(frozen=True)
class BatchItem:
    """One unit of a batch: a record, or part of one, that a worker reads and processes.

    Parameters
    ----------
    path : pathlib.Path or str
        The record: a local path (on a file system every worker mounts at the same place), or
        a URL (``s3://``, ``gs://``, ``hdfs://``, ``file://``, or any fsspec protocol) that the
        worker opens through ``pyarrow.fs`` or fsspec.
    report : pathlib.Path or None
        HTML file for the report of the bearing diagnosis (a whole record only).
    window_s : float or None
        Cut the record into consecutive windows of this many seconds, each processed on its
        own (an incomplete last window is left out); None: the whole record.
    snapshots : tuple of int
        Snapshot numbers of a run-to-failure file in the FEMTO layout
        (:func:`openphm.acquire.datasets.read_femto`), each processed on its own.
    measurement_id : int or None
        The measurement in the store, recorded in the results' provenance.
    context : ProcessingContext or None
        Settings of this item, in place of the batch's (a stored measurement's point gives its
        own).
    prefer_channel : str
        Channel to analyse when the record has one of that name and the context names none
        (a point named like a record's channel).
    """

    path: Path | str
    report: Path | None = None
    window_s: float | None = None
    snapshots: tuple[int, ...] = ()
    measurement_id: int | None = None
    context: ProcessingContext | None = None
    prefer_channel: str = ""

    def __post_init__(self) -> None:
        if self.window_s is not None and not (math.isfinite(self.window_s) and self.window_s > 0):
            raise ConfigError(f"{self.path}: window_s must be a positive duration in s")

    @property
    def key(self) -> str:
        """What identifies the item in a resumable batch (its path and the part of it).

        Examples
        --------
        >>> BatchItem("a/105.mat", window_s=1.0).key
        'a/105.mat|window=1s'
        >>> BatchItem("b.parquet", snapshots=(3, 4, 5)).key
        'b.parquet|snapshots=3-5/3'
        """
        parts = [str(self.path)]
        if self.window_s is not None:
            parts.append(f"window={self.window_s:g}s")
        if self.snapshots:
            parts.append(
                f"snapshots={min(self.snapshots)}-{max(self.snapshots)}/{len(self.snapshots)}"
            )
        if self.measurement_id is not None:
            parts.append(f"measurement={self.measurement_id}")
        return "|".join(parts)


@dataclass(frozen=True)
class WindowResult:
    """The results of one window (or snapshot) of a batch item.

    Parameters
    ----------
    label : str
        ``""`` for a whole record, ``"w0003"`` for a window, ``"acc_00042"`` for a snapshot.
    start_s : float
        Start of the window in the record, s (a snapshot's nominal time in its test).
    results : Results
        What the chain gave.
    """

    label: str
    start_s: float
    results: Results


@dataclass(frozen=True)
class BatchOutcome:
    """What became of one item of a batch: its results, or the error that stopped it.

    Parameters
    ----------
    item : BatchItem
        The item.
    results : Results or None
        The results of a whole record (None for an item cut into windows, or that failed).
    error : str
        Why the item could not be processed.
    windows : tuple of WindowResult
        The results of each window or snapshot (one, labelled ``""``, for a whole record).
    lost : bool
        The error came from the executor (a worker lost, a pool broken), not from the record: a
        resumed batch processes the item again.
    """

    item: BatchItem
    results: Results | None = None
    error: str = ""
    windows: tuple[WindowResult, ...] = ()
    lost: bool = False


@contextmanager
def local_file(path: Path | str) -> Iterator[Path]:
    """The record at ``path`` as a local file the readers can open.

    A local path (or ``file://`` URL) is used where it lies; any other URL is copied into a
    temporary folder of this process (its name, and so its format suffixes, kept) through
    ``pyarrow.fs`` (S3, GCS, HDFS), or through fsspec for the protocols only it knows.

    Parameters
    ----------
    path : pathlib.Path or str
        The record.

    Yields
    ------
    pathlib.Path
        The local file, deleted on exit when it is a copy.

    Examples
    --------
    >>> with local_file("file:///tmp/x.csv") as p:
    ...     str(p)
    '/tmp/x.csv'
    """
    text = str(path)
    if "://" not in text:
        yield Path(text)
        return
    if text.startswith("file://"):
        yield Path(text.removeprefix("file://"))
        return
    name = PurePosixPath(text.split("://", 1)[1]).name or "record"
    with tempfile.TemporaryDirectory(prefix="openphm-batch-") as folder:
        local = Path(folder) / name
        try:
            _copy_remote(text, local)
        except (OSError, ValueError) as exc:
            raise DataError(f"{text}: cannot fetch the record ({exc})") from exc
        yield local


def _copy_remote(url: str, local: Path) -> None:
    import pyarrow as pa
    from pyarrow import fs as pafs

    try:
        filesystem, inner = pafs.FileSystem.from_uri(url)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        filesystem = None
    if filesystem is not None:
        with filesystem.open_input_stream(inner) as src, local.open("wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        return
    try:
        import fsspec  # type: ignore[import-untyped]
    except ImportError:
        raise ConfigError(
            f"{url}: pyarrow.fs does not know this protocol; install fsspec (and its plug-in "
            "for the protocol) so that the workers can open it"
        ) from None
    with fsspec.open(url, "rb") as src, local.open("wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)


def _parts(
    item: BatchItem, path: Path, context: ProcessingContext
) -> list[tuple[str, float, Recording]]:
    """The recordings an item stands for: the record, its windows, or its snapshots."""
    shown = str(item.path)
    if item.snapshots:
        from openphm.acquire.datasets import read_femto

        bearing = read_femto(path, snapshots=item.snapshots)
        times = dict(zip(bearing.snapshot_numbers.tolist(), bearing.times_s.tolist(), strict=True))
        return [
            (f"acc_{k:05d}", times[k], _renamed(bearing.snapshot(k), f"{shown}#acc_{k:05d}"))
            for k in sorted(set(item.snapshots))
        ]
    recording = load_record(path, context.fs_hz)
    if shown != str(path):
        recording = _renamed(recording, shown)
    if item.window_s is None:
        return [("", 0.0, recording)]
    width = item.window_s
    duration = min(w.duration_s for w in recording)
    count = math.floor(duration / width + 1e-9)
    if count == 0:
        raise DataError(f"{shown}: record of {duration:g} s is shorter than one {width:g} s window")
    return [
        (
            f"w{i:04d}",
            i * width,
            Recording(
                tuple(w.slice_s(i * width, (i + 1) * width) for w in recording),
                source=f"{recording.source or shown}@{i * width:g}s+{width:g}s",
                metadata=recording.metadata,
            ),
        )
        for i in range(count)
    ]


def _renamed(recording: Recording, source: str) -> Recording:
    return Recording(recording.channels, source=source, metadata=recording.metadata)


def _item_context(
    item: BatchItem, context: ProcessingContext, recording: Recording
) -> ProcessingContext:
    chosen = item.context or context
    if chosen.channel is None and item.prefer_channel in recording.channel_names:
        return replace(chosen, channel=item.prefer_channel)
    return chosen


def _outcome(item: BatchItem, context: ProcessingContext, strict: bool = True) -> BatchOutcome:
    """Process one item where it runs (a worker); an error of the record is its outcome."""
    try:
        base = item.context or context
        with local_file(item.path) as path:
            parts = _parts(item, path, base)
        windows = []
        for label, start, recording in parts:
            ctx = _item_context(item, context, recording)
            results = process(recording, ctx, measurement_id=item.measurement_id, strict=strict)
            windows.append(WindowResult(label, start, results))
        whole = item.window_s is None and not item.snapshots
        if whole and item.report is not None:
            recording = parts[0][2]
            ctx = _item_context(item, context, recording)
            waves = (analysed_channel(recording, ctx),)
            _write_report(item.report, recording, waves, windows[0].results, ctx)
    except OpenPHMError as exc:
        return BatchOutcome(item, error=str(exc))
    return BatchOutcome(item, windows[0].results if whole else None, windows=tuple(windows))


def run_batch(
    items: Sequence[BatchItem | Path],
    context: ProcessingContext | None = None,
    *,
    executor: Executor | None = None,
    progress: Progress | None = None,
    on_outcome: Callable[[BatchOutcome], None] | None = None,
    strict: bool = True,
) -> list[BatchOutcome]:
    """Process many records, one failing record not stopping the others.

    The same function runs every item wherever the executor puts it, so that the results are
    the same, bit for bit, serially, in worker processes or on a Dask cluster
    (``Client.get_executor()``, see :func:`openphm.pipeline.batch.batch_executor`).

    Parameters
    ----------
    items : sequence of BatchItem or pathlib.Path
        The records (with their report files, windows or snapshots).
    context : ProcessingContext, optional
        Settings of the run, the same for every item that brings none (it pickles, for worker
        processes).
    executor : concurrent.futures.Executor, optional
        Where to run them: serially in this process by default; a ``ProcessPoolExecutor``, or
        a Dask ``Client.get_executor()``, to spread them.
    progress : callable, optional
        Wraps an iterable to show progress as items finish (e.g. a Rich progress bar).
    on_outcome : callable, optional
        Called in this process with each outcome as soon as it is in (to store or write it once,
        whatever the workers did: a task Dask ran again after losing a worker still comes back
        once).
    strict : bool, default True
        A stage that cannot run fails the item; with False it is recorded in the window's
        ``Results.errors`` and the other stages' results are kept (see :func:`process`).

    Returns
    -------
    list of BatchOutcome
        In the order of ``items``, whatever order they finished in. An item the executor lost
        (a worker killed, a broken pool) has ``lost=True`` and its error.
    """
    context = context or ProcessingContext()
    batch = [i if isinstance(i, BatchItem) else BatchItem(i) for i in items]
    show = progress or (lambda it: it)
    keep = on_outcome or (lambda outcome: None)
    if executor is None:
        serial = []
        for item in show(batch):
            outcome = _outcome(item, context, strict)  # type: ignore[arg-type]
            keep(outcome)
            serial.append(outcome)
        return serial
    futures = {executor.submit(_outcome, item, context, strict): i for i, item in enumerate(batch)}
    found: dict[int, BatchOutcome] = {}
    try:
        for future in show(_Finishing(futures)):
            index = futures[future]  # type: ignore[index]
            found[index] = _collected(future, batch[index])  # type: ignore[arg-type]
            keep(found[index])
    except BaseException:
        for future in futures:
            future.cancel()
        raise
    return [found[i] for i in range(len(batch))]


class _Finishing:
    """The futures as they finish, and their count (a progress bar's total)."""

    def __init__(self, futures: Mapping[Future[BatchOutcome], int]) -> None:
        self._futures = futures

    def __len__(self) -> int:
        return len(self._futures)

    def __iter__(self) -> Iterator[Future[BatchOutcome]]:
        return as_completed(self._futures)


def _collected(future: Future[BatchOutcome], item: BatchItem) -> BatchOutcome:
    try:
        return future.result()
    except Exception as exc:  # the executor's failure (a lost worker), not the record's
        return BatchOutcome(
            item, error=f"{item.path}: not processed ({type(exc).__name__}: {exc})", lost=True
        )
