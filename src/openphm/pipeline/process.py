"""Run the chain: one measurement, several snapshots of one state, or a batch on any executor."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, as_completed
from dataclasses import dataclass
from pathlib import Path

from openphm.acquire.channels import load_record
from openphm.core.errors import ConfigError, OpenPHMError
from openphm.core.provenance import InputRef, Provenance
from openphm.core.waveform import Recording, Waveform
from openphm.diagnose.speed import SpeedTrack
from openphm.diagnose.tracks import speed_track
from openphm.pipeline.context import ProcessingContext
from openphm.pipeline.results import Results
from openphm.pipeline.stages import StageInput, analysed_channel, stage

__all__ = ["BatchItem", "BatchOutcome", "process", "process_file", "process_snapshots", "run_batch"]

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
    from openphm.diagnose.report import write_report

    diagnoses = results.diagnoses
    if diagnoses is None:
        raise ConfigError(f"{path}: a report needs the diagnosis stage")
    track = _speed_track(recording, waves[0], context)
    write_report(
        path,
        waves[0] if len(waves) == 1 else list(waves),
        diagnoses.main,
        track=track,
        others=diagnoses.others,
    )


@dataclass(frozen=True)
class BatchItem:
    """One record of a batch, and where its report goes (None: no report)."""

    path: Path
    report: Path | None = None


@dataclass(frozen=True)
class BatchOutcome:
    """What became of one record of a batch: its results, or the error that stopped it."""

    item: BatchItem
    results: Results | None = None
    error: str = ""


def _outcome(item: BatchItem, context: ProcessingContext) -> BatchOutcome:
    try:
        return BatchOutcome(item, process_file(item.path, context, report=item.report))
    except OpenPHMError as exc:
        return BatchOutcome(item, error=str(exc))


def run_batch(
    items: Sequence[BatchItem | Path],
    context: ProcessingContext | None = None,
    *,
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> list[BatchOutcome]:
    """Process many records, one failing record not stopping the others.

    Parameters
    ----------
    items : sequence of BatchItem or pathlib.Path
        The records (with their report files).
    context : ProcessingContext, optional
        Settings of the run, the same for every record (it pickles, for worker processes).
    executor : concurrent.futures.Executor, optional
        Where to run them: serially in this process by default; a ``ProcessPoolExecutor``, or
        a Dask ``Client.get_executor()``, to spread them.
    progress : callable, optional
        Wraps an iterable to show progress as items finish (e.g. a Rich progress bar).

    Returns
    -------
    list of BatchOutcome
        In the order of ``items``, whatever order they finished in.
    """
    context = context or ProcessingContext()
    batch = [i if isinstance(i, BatchItem) else BatchItem(i) for i in items]
    show = progress or (lambda it: it)
    if executor is None:
        return [_outcome(item, context) for item in show(batch)]  # type: ignore[arg-type]
    futures = [executor.submit(_outcome, item, context) for item in batch]
    for _ in show(as_completed(futures)):
        pass
    return [f.result() for f in futures]
