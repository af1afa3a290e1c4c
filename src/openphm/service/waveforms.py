"""A stored measurement's waveform, and the fault-frequency cursors of the bearings it hears.

The waveform is read from the stored file by :mod:`openphm.acquire` (the point's channel, at the
point's rate when the file states none); the cursors come from each bearing's geometry (its own,
else its catalogue entry's) by :func:`openphm.knowledge.bearing_spec.bearing_frequencies` at the
measurement's speed times the bearing's speed ratio.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openphm.acquire.channels import load_record, pick_channel
from openphm.core.bearing import BearingGeometry, as_ring
from openphm.core.errors import DataError, OpenPHMError
from openphm.core.waveform import Recording, Waveform
from openphm.knowledge.bearing_spec import bearing_frequencies
from openphm.knowledge.catalogue import get_bearing
from openphm.pipeline.monitor import point_channel
from openphm.store import ComponentInfo, MeasurementInfo, PointInfo, Store


@dataclass(frozen=True)
class StoredWaveform:
    """A measurement, its point and its waveform as read from the stored file.

    Parameters
    ----------
    measurement : MeasurementInfo
        The measurement.
    point : PointInfo
        Its point.
    waveform : Waveform
        The point's channel.
    """

    measurement: MeasurementInfo
    point: PointInfo
    waveform: Waveform


@dataclass(frozen=True)
class FaultLine:
    """One bearing line and its harmonics.

    Parameters
    ----------
    component : str
        The bearing's name.
    line : str
        ``"shaft"``, ``"ftf"``, ``"bsf"``, ``"2bsf"``, ``"bpfo"``, ``"bpfi"``.
    order : float
        In orders of the bearing's shaft speed.
    freqs_hz : tuple of float
        The line and its harmonics, Hz.
    """

    component: str
    line: str
    order: float
    freqs_hz: tuple[float, ...]


def _read(path: Path, point: PointInfo) -> Recording:
    try:
        return load_record(path)
    except OpenPHMError:
        if point.fs_hz is None:
            raise
        return load_record(path, point.fs_hz)


def stored_waveform(store: Store, measurement_id: int) -> StoredWaveform:
    """Read a stored measurement's waveform (the point's channel).

    Parameters
    ----------
    store : Store
        The store.
    measurement_id : int
        The measurement.

    Returns
    -------
    StoredWaveform
        The measurement, its point and the waveform.

    Raises
    ------
    DataError
        If it holds scalars, not a waveform.
    ConfigError
        If there is no such measurement.
    """
    info = store.measurement(measurement_id)
    path = store.blob_path(measurement_id)
    if path is None:
        raise DataError(f"measurement {measurement_id} holds scalars, not a waveform")
    point = store.point(info.point_id)
    recording = _read(path, point)
    wave = pick_channel(recording, point_channel(recording, point))
    return StoredWaveform(info, point, wave)


def _geometry(component: ComponentInfo) -> BearingGeometry | None:
    if component.geometry:
        try:
            return BearingGeometry(**dict(component.geometry))
        except (TypeError, OpenPHMError):
            return None
    if component.designation:
        try:
            entry = get_bearing(component.designation)
        except OpenPHMError:
            return None
        return entry.geometry
    return None


def fault_lines(
    store: Store, point: PointInfo, speed_hz: float | None, fmax_hz: float, harmonics: int = 5
) -> list[FaultLine]:
    """The fault lines of every bearing a point hears, in the point's order, up to ``fmax_hz``.

    Parameters
    ----------
    store : Store
        The store.
    point : PointInfo
        The point.
    speed_hz : float or None
        Speed of the machine's reference shaft, Hz (None: no lines).
    fmax_hz : float
        Highest frequency returned, Hz.
    harmonics : int
        Harmonics of each line at most.

    Returns
    -------
    list of FaultLine
        The lines of the bearings whose geometry is known.
    """
    if speed_hz is None or not speed_hz > 0:
        return []
    by_id = {c.id: c for c in store.components(point.machine_id)}
    lines = []
    for cid in point.component_ids:
        component = by_id.get(cid)
        if component is None or component.kind != "bearing":
            continue
        geometry = _geometry(component)
        if geometry is None:
            continue
        shaft_hz = speed_hz * component.speed_ratio
        found = bearing_frequencies(
            geometry, rotating_ring=as_ring(component.rotating_ring), shaft_hz=shaft_hz
        )
        for name, order in found.orders.items():
            base = order * shaft_hz
            freqs = tuple(k * base for k in range(1, harmonics + 1) if k * base <= fmax_hz)
            if freqs:
                lines.append(FaultLine(component.name, name, float(order), freqs))
    return lines
