"""The demo fleet: machines modelled on real equipment whose points replay real recordings.

``openphm demo`` (and the service's and browser's tests) build this fleet in a store and replay
recordings into it through the one ingestion path, so that a running service shows baselines
being learned, faults diagnosed and a bearing degrading until its alarms rise:

- ``demo/shield-tbm`` (profile ``tbm_main_drive``): point ``M1-DE`` replays a FEMTO/PRONOSTIA
  bearing's whole run to failure (horizontal accelerometer, 0.1 s snapshots at 25.6 kHz every
  10 s; Bearing3_1 by default, 515 snapshots over 86 minutes), in accelerated time.
- ``demo/shearer-arm`` (``shearer_ranging_arm``): point ``MOTOR`` replays CWRU record 97 (normal
  baseline, drive end), resampled from 48 kHz to the point's 25.6 kHz (polyphase, anti-aliased).
- ``demo/cwru-rig-ir`` and ``demo/cwru-rig-or`` (``cwru_rig``): the CWRU test rig as recorded in
  records 105 (inner-race fault) and 130 (outer-race fault); point ``DE`` replays the record's
  drive-end channel at its own 12 kHz. (The fan-end and base-plate channels are left out: they
  hear the drive-end fault faintly, and their "healthy" verdicts on the drive-end bearing would
  hide the drive-end point's in a machine's latest diagnoses.)

CWRU records (about 10 s) are cut into consecutive 1 s windows, each a measurement. Every
machine's description says what its points replay. The acquisition times keep the recordings'
own spacing and end when the demo site was created (the FEMTO life's last snapshot), so a restart
replays the same measurements at the same times and ingestion stores nothing twice.

Data come from ``data_root`` (or ``OPENPHM_DATA``) when it holds them, else from the excerpt
committed in ``data/demo`` (see its ATTRIBUTION.md).
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy.signal import resample_poly

from openphm.acquire.datasets.cwru import CwruRecord, cwru_record, cwru_records, load_cwru
from openphm.acquire.datasets.femto import (
    SNAPSHOT_PERIOD_S,
    femto_bearing_info,
    load_femto,
)
from openphm.acquire.datasets.paths import DATA_ENV, demo_path
from openphm.core.errors import ConfigError, DataError
from openphm.core.serialize import Serializable
from openphm.knowledge.profiles import load_profile
from openphm.pipeline.fleet import add_machine_from_profile
from openphm.pipeline.ingest import IngestSettings
from openphm.pipeline.replay import ReplaySummary, replay_measurements
from openphm.pipeline.transport import IncomingSamples, OutcomeCallback
from openphm.store import Store

__all__ = [
    "DEMO_SITE",
    "FEMTO_BEARING",
    "WINDOW_S",
    "DemoFleet",
    "DemoMachine",
    "DemoStream",
    "build_demo_fleet",
    "demo_measurements",
    "replay",
]

#: The demo fleet's site.
DEMO_SITE = "demo"
#: The FEMTO bearing whose life is replayed (its whole life ships in ``data/demo``).
FEMTO_BEARING = "Bearing3_1"
#: Length of the windows CWRU records are cut into, s.
WINDOW_S = 1.0


@dataclass(frozen=True)
class DemoStream:
    """One recording replayed at one point of a demo machine.

    Parameters
    ----------
    point : str
        The point, ``site/machine/point``.
    dataset : {"cwru", "femto"}
        The reference data set.
    recording : str
        The record: CWRU record number (``"105"``) or FEMTO bearing (``"Bearing3_1"``).
    channel : str
        The recording's channel replayed (``"DE"``, ``"horiz"``).
    fs_hz : float
        The point's sampling rate, Hz; a recording at another rate is resampled to it.
    """

    point: str
    dataset: str
    recording: str
    channel: str
    fs_hz: float


@dataclass(frozen=True)
class DemoMachine:
    """A machine of the demo fleet.

    Parameters
    ----------
    path : str
        ``site/machine``.
    profile : str
        Its machine profile.
    description : str
        What it is and what its points replay.
    streams : tuple of DemoStream
        The recordings replayed at its points.
    """

    path: str
    profile: str
    description: str
    streams: tuple[DemoStream, ...]


@dataclass(frozen=True)
class DemoFleet(Serializable):
    """The demo fleet in a store, and where its recordings come from.

    Parameters
    ----------
    site : str
        The site holding the demo machines.
    machines : tuple of DemoMachine
        The machines.
    epoch : datetime.datetime
        Acquisition time of the first replayed measurement (time-zone aware).
    span_s : float
        Recorded time from the first replayed measurement to the last, s (the FEMTO life).
    femto_bearing : str
        The FEMTO bearing whose life is replayed.
    femto_root : str
        The data folder the FEMTO bearing is read from.
    cwru_root : str
        The data folder the CWRU records are read from.
    """

    site: str
    machines: tuple[DemoMachine, ...]
    epoch: datetime
    span_s: float
    femto_bearing: str
    femto_root: str
    cwru_root: str

    @property
    def streams(self) -> tuple[DemoStream, ...]:
        """Every replayed recording, machine by machine."""
        return tuple(s for m in self.machines for s in m.streams)


@dataclass(frozen=True)
class _Spec:
    """A demo machine to build: name, profile, and what its points replay."""

    name: str
    profile: str
    dataset: str
    recording: str
    points: tuple[tuple[str, str], ...]  # (point, channel of the recording)


def _specs(femto_bearing: str) -> tuple[_Spec, ...]:
    return (
        _Spec("shield-tbm", "tbm_main_drive", "femto", femto_bearing, (("M1-DE", "horiz"),)),
        _Spec("shearer-arm", "shearer_ranging_arm", "cwru", "97", (("MOTOR", "DE"),)),
        _Spec("cwru-rig-ir", "cwru_rig", "cwru", "105", (("DE", "DE"),)),
        _Spec("cwru-rig-or", "cwru_rig", "cwru", "130", (("DE", "DE"),)),
    )


def _listed(names: Sequence[str]) -> str:
    return ", ".join(names[:-1]) + (" and " if len(names) > 1 else "") + names[-1]


def _points_text(spec: _Spec) -> str:
    """``point M1-DE (channel horiz) replays`` or ``points DE, FE and BA replay``."""
    named = [p if p == c else f"{p} (channel {c})" for p, c in spec.points]
    one = len(named) == 1
    return f"{'point' if one else 'points'} {_listed(named)} {'replays' if one else 'replay'}"


def _cwru_text(spec: _Spec, info: CwruRecord, point_fs: dict[str, float]) -> str:
    condition = (
        "normal baseline"
        if info.fault == "normal"
        else f"a {info.size_in:g} in {info.fault}-race fault"
        + (f" at {info.or_position} o'clock" if info.or_position else "")
        + " in the drive-end bearing"
    )
    rates = {point_fs[p] for p, _ in spec.points}
    rate = (
        f"at its own {info.fs_hz / 1000:g} kHz"
        if rates == {info.fs_hz}
        else f"resampled from {info.fs_hz / 1000:g} kHz to "
        + ", ".join(f"{r / 1000:g} kHz" for r in sorted(rates))
    )
    return (
        f"Demo replay: {_points_text(spec)} CWRU record {info.record} "
        f"({info.name}: {condition}, {info.load_hp} hp, {info.rpm_nominal:g} r/min), {rate}, "
        f"in consecutive {WINDOW_S:g} s windows."
    )


def _femto_text(spec: _Spec) -> str:
    info = femto_bearing_info(spec.recording)
    return (
        f"Demo replay: {_points_text(spec)} FEMTO/PRONOSTIA {info.name}'s whole run "
        f"to failure ({info.n_snapshots} snapshots of 0.1 s at 25.6 kHz, {SNAPSHOT_PERIOD_S:g} s "
        f"apart, {info.speed_rpm:g} r/min, {info.load_n:g} N radial), in accelerated time; the "
        "diagnosis uses this profile's typical bearing, not the PRONOSTIA test bearing."
    )


def _description(spec: _Spec, point_fs: dict[str, float]) -> str:
    profile = load_profile(spec.profile)
    if spec.dataset == "femto":
        replay_text = _femto_text(spec)
    else:
        replay_text = _cwru_text(spec, cwru_record(int(spec.recording)), point_fs)
    if spec.profile == "cwru_rig":
        head = f"{profile.title} as recorded in CWRU record {spec.recording}."
    else:
        head = f"{profile.title}, typical values of the class."
    silent = [p.name for p in profile.points if p.name not in dict(spec.points)]
    tail = (
        f" {'Point' if len(silent) == 1 else 'Points'} {_listed(silent)} receive no data."
        if silent
        else ""
    )
    return f"{head} {replay_text}{tail}"


def _candidate_roots(data_root: str | os.PathLike[str] | None) -> list[Path]:
    roots: list[Path] = []
    if data_root is not None:
        roots.append(Path(data_root))
    elif os.environ.get(DATA_ENV, "").strip():
        roots.append(Path(os.environ[DATA_ENV].strip()).expanduser())
    try:
        roots.append(demo_path())
    except ConfigError:
        if not roots:
            raise
    return roots


def _femto_root(bearing: str, roots: Sequence[Path]) -> Path:
    for root in roots:
        try:
            load_femto(bearing, root, snapshots=[1])
        except (DataError, ConfigError):
            continue
        return root
    raise DataError(
        f"FEMTO {bearing} is in none of {', '.join(map(str, roots))}; set {DATA_ENV} to the "
        "reference data, or use a source checkout of openphm (its data/demo holds Bearing3_1)"
    )


def _cwru_root(records: Sequence[str], roots: Sequence[Path]) -> Path:
    wanted = {int(r) for r in records}
    for root in roots:
        try:
            found = {r.record for r in cwru_records(root) if r.path is not None}
        except (DataError, ConfigError):
            continue
        if wanted <= found:
            return root
    raise DataError(
        f"CWRU records {sorted(wanted)} are not all in any of {', '.join(map(str, roots))}; set "
        f"{DATA_ENV} to the reference data, or use a source checkout of openphm (data/demo)"
    )


def _build_machine(store: Store, site: str, spec: _Spec) -> DemoMachine:
    path = f"{site}/{spec.name}"
    profile = load_profile(spec.profile)
    point_fs = {p.name: p.sampling_rate_hz for p in profile.points}
    description = _description(spec, point_fs)
    if spec.name not in {m.name for m in store.machines(site)}:
        add_machine_from_profile(store, profile, site, spec.name, description=description)
    streams = tuple(
        DemoStream(f"{path}/{p}", spec.dataset, spec.recording, c, point_fs[p])
        for p, c in spec.points
    )
    return DemoMachine(path, spec.profile, description, streams)


def build_demo_fleet(
    store: Store,
    data_root: str | os.PathLike[str] | None = None,
    *,
    femto_bearing: str = FEMTO_BEARING,
) -> DemoFleet:
    """Build the demo fleet in a store, or find the one built before.

    Creates the site :data:`DEMO_SITE` and its machines from their profiles, each described with
    what its points replay; machines already there are kept as they are. The replay's epoch
    follows from the site's creation time, so that a later call on the same store gives the same
    fleet and the same acquisition times.

    Parameters
    ----------
    store : Store
        The store (a dedicated one: ``openphm demo`` uses ``./openphm-demo``).
    data_root : str or path-like, optional
        Reference-data folder (with ``cwru/`` and ``femto/``); default ``OPENPHM_DATA`` when set.
        Data it does not hold are read from the excerpt in ``data/demo``.
    femto_bearing : str
        The FEMTO learning-set bearing whose life is replayed; the excerpt holds Bearing3_1 only.

    Returns
    -------
    DemoFleet
        The fleet, the epoch of its replay and where its recordings are read.

    Raises
    ------
    DataError
        A recording is found neither under ``data_root`` nor in the excerpt.
    ConfigError
        ``femto_bearing`` is not a learning-set bearing, or no data folder is known.

    Examples
    --------
    >>> import tempfile
    >>> from openphm.acquire.datasets import demo_path
    >>> with tempfile.TemporaryDirectory() as home:
    ...     store = Store.open(home)
    ...     fleet = build_demo_fleet(store, demo_path())
    ...     again = build_demo_fleet(store, demo_path())
    ...     store.close()
    >>> [m.path for m in fleet.machines][0], fleet.epoch == again.epoch
    ('demo/shield-tbm', True)
    """
    info = femto_bearing_info(femto_bearing)
    if info.n_snapshots is None:
        raise ConfigError(
            f"femto_bearing {femto_bearing!r} is not a FEMTO learning-set bearing (run to "
            "failure); choose one of Bearing1_1, 1_2, 2_1, 2_2, 3_1, 3_2"
        )
    specs = _specs(femto_bearing)
    roots = _candidate_roots(data_root)
    femto_root = _femto_root(femto_bearing, roots)
    cwru_root = _cwru_root([s.recording for s in specs if s.dataset == "cwru"], roots)
    if DEMO_SITE not in {s.name for s in store.sites()}:
        store.add_site(DEMO_SITE, "Demo fleet replaying real public recordings (CWRU, FEMTO)")
    created = next(s.created_at for s in store.sites() if s.name == DEMO_SITE)
    span_s = SNAPSHOT_PERIOD_S * (info.n_snapshots - 1)
    epoch = created.replace(microsecond=0) - timedelta(seconds=span_s)
    machines = tuple(_build_machine(store, DEMO_SITE, spec) for spec in specs)
    return DemoFleet(
        DEMO_SITE, machines, epoch, span_s, femto_bearing, str(femto_root), str(cwru_root)
    )


def _resampled(x: npt.NDArray[np.float64], fs: float, target: float) -> npt.NDArray[np.float64]:
    """``x`` at ``target`` Hz: polyphase resampling with scipy's anti-aliasing FIR filter."""
    if math.isclose(fs, target):
        return x
    ratio = Fraction(target / fs).limit_denominator(1000)
    if not math.isclose(float(ratio) * fs, target):
        raise DataError(f"cannot resample {fs:g} Hz to {target:g} Hz by a small rational ratio")
    return np.asarray(resample_poly(x, ratio.numerator, ratio.denominator), dtype=np.float64)


def _cwru_items(fleet: DemoFleet, machine: DemoMachine) -> list[IncomingSamples]:
    items = []
    for stream in machine.streams:
        info = cwru_record(int(stream.recording))
        wave = load_cwru(info.record, fleet.cwru_root)[stream.channel]
        x = _resampled(wave.samples, wave.fs, stream.fs_hz)
        n = round(WINDOW_S * stream.fs_hz)
        for k in range(x.size // n):
            items.append(
                IncomingSamples(
                    stream.point,
                    fleet.epoch + timedelta(seconds=k * WINDOW_S),
                    stream.fs_hz,
                    wave.unit or "g",
                    x[k * n : (k + 1) * n],
                    channel=stream.channel,
                    speed_hz=wave.speed_hz,
                    load=float(info.load_hp) if machine.profile == "cwru_rig" else None,
                    header={"replays": f"CWRU record {info.record} {stream.channel}", "window": k},
                )
            )
    return items


def _femto_items(
    fleet: DemoFleet, machine: DemoMachine, snapshots: Sequence[int] | None
) -> list[IncomingSamples]:
    bearing = load_femto(fleet.femto_bearing, fleet.femto_root, snapshots=snapshots)
    items = []
    for stream in machine.streams:
        samples = bearing.horiz if stream.channel == "horiz" else bearing.vert
        for k, t_s, x in zip(bearing.snapshot_numbers, bearing.times_s, samples, strict=True):
            items.append(
                IncomingSamples(
                    stream.point,
                    fleet.epoch + timedelta(seconds=float(t_s)),
                    bearing.fs,
                    "g",
                    x,
                    channel=stream.channel,
                    speed_hz=bearing.speed_hz,
                    header={"replays": f"FEMTO {bearing.name} acc_{int(k):05d}"},
                )
            )
    return items


def demo_measurements(
    fleet: DemoFleet, *, snapshots: Sequence[int] | None = None
) -> list[IncomingSamples]:
    """The measurements the demo fleet replays, in acquisition order.

    Parameters
    ----------
    fleet : DemoFleet
        The fleet (:func:`build_demo_fleet`).
    snapshots : sequence of int, optional
        Replay only these FEMTO snapshots (k of ``acc_k``, 1-based); all by default. The CWRU
        windows are always all replayed.

    Returns
    -------
    list of IncomingSamples
        One per CWRU window and FEMTO snapshot, sorted by acquisition time (stable: at one time,
        machine by machine and point by point).
    """
    items: list[IncomingSamples] = []
    for machine in fleet.machines:
        if machine.streams and machine.streams[0].dataset == "femto":
            items += _femto_items(fleet, machine, snapshots)
        else:
            items += _cwru_items(fleet, machine)
    return sorted(items, key=lambda item: item.acquired_at)


def replay(
    store: Store,
    fleet: DemoFleet,
    *,
    speed: float = 50.0,
    stop: threading.Event | None = None,
    settings: IngestSettings | None = None,
    snapshots: Sequence[int] | None = None,
    on_outcome: OutcomeCallback | None = None,
) -> ReplaySummary:
    """Replay the demo fleet's recordings into the store through ingestion.

    See :func:`openphm.pipeline.replay.replay_measurements`: the measurements arrive in
    acquisition order, ``speed`` times faster than they were recorded; a second run stores
    nothing twice; setting ``stop`` ends it between two measurements.

    Parameters
    ----------
    store : Store
        The store holding the fleet.
    fleet : DemoFleet
        The fleet (:func:`build_demo_fleet`).
    speed : float
        Recorded seconds per wall-clock second: at 50, FEMTO's snapshots (10 s apart) arrive
        every 0.2 s and a bearing's 86-minute life passes in under two minutes; ``math.inf``
        as fast as ingestion goes.
    stop : threading.Event, optional
        Ends the replay when set.
    settings : IngestSettings, optional
        Ingestion and monitoring settings (a small ``baseline_count`` for short replays).
    snapshots : sequence of int, optional
        Replay only these FEMTO snapshots (all by default).
    on_outcome : callable, optional
        Told ``(item, outcome)`` for every measurement.

    Returns
    -------
    ReplaySummary
        What was stored, found already stored, refused or failed, and whether it was stopped.
    """
    items = demo_measurements(fleet, snapshots=snapshots)
    return replay_measurements(
        store, items, speed=speed, stop=stop, settings=settings, on_outcome=on_outcome
    )
