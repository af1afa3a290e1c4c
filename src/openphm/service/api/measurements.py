"""``/measurements``: list, upload (a file or JSON samples), samples and on-request spectra.

Uploads go through :func:`openphm.pipeline.ingest.ingest`, the one ingestion path: 201 when
stored (and processed), 200 when the same content, point and time is already stored, 422 with
the reason when refused (the refusal is in the dead-letter table too). Spectra are computed from
the stored file by :mod:`openphm.signal` on each request.
"""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime
from typing import Annotated

import numpy as np
from fastapi import APIRouter, File, HTTPException, Query, UploadFile, status
from fastapi.responses import JSONResponse

from openphm.pipeline.ingest import ingest
from openphm.pipeline.transport import HandlerOutcome, IncomingBytes, IncomingSamples
from openphm.service.deps import CurrentUser, EngineerUser, SettingsDep, StoreDep
from openphm.service.schemas.measurements import (
    Cursor,
    IngestOutcome,
    MeasurementPublic,
    SamplesCreate,
    SamplesPublic,
    SpectrogramPublic,
    SpectrumPublic,
)
from openphm.service.series import min_max, peak_hold
from openphm.service.waveforms import fault_lines, stored_waveform
from openphm.signal.envelope import squared_envelope_spectrum
from openphm.signal.spectrum import amplitude_spectrum, spectrogram
from openphm.store import PointInfo

router = APIRouter(tags=["measurements"])

_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:]")
_OUTCOME_STATUS = {"stored": 201, "duplicate": 200, "refused": 422}
MaxPoints = Annotated[int, Query(ge=10, le=200_000, description="Most points returned.")]


def safe_name(name: str | None) -> str:
    """A file name as received, reduced to a safe base name (no folder, no control characters).

    Parameters
    ----------
    name : str or None
        The name the client sent.

    Returns
    -------
    str
        Its last path component without control characters, at most 200 characters, keeping the
        extension (which tells the reader the format); ``"upload"`` when nothing is left.

    Examples
    --------
    >>> safe_name("../../etc/passwd\\x00.csv")
    'passwd.csv'
    """
    base = re.split(r"[/\\]", name or "")[-1]
    clean = _UNSAFE.sub("", base).strip().lstrip(".")
    if len(clean) > 200:
        stem, dot, ext = clean.rpartition(".")
        clean = (stem[: 190 - len(ext)] + dot + ext) if dot and len(ext) < 10 else clean[:200]
    return clean or "upload"


def _answer(outcome: HandlerOutcome) -> JSONResponse:
    body = IngestOutcome(
        status=outcome.status, detail=outcome.detail, measurement_id=outcome.measurement_id
    )
    return JSONResponse(body.model_dump(), status_code=_OUTCOME_STATUS[outcome.status])


_UPLOAD_RESPONSES: dict[int | str, dict[str, object]] = {
    201: {"model": IngestOutcome, "description": "Stored (and processed)."},
    200: {"model": IngestOutcome, "description": "Already stored: nothing written."},
    422: {"model": IngestOutcome, "description": "Refused, with the reason."},
    413: {"description": "The upload is over the size limit."},
}


@router.get("/measurements")
def list_measurements(
    store: StoreDep,
    _user: CurrentUser,
    point: int | None = None,
    measurement_status: Annotated[
        str | None, Query(alias="status", pattern="^(stored|processed|failed)$")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
) -> list[MeasurementPublic]:
    """Measurements, oldest acquisition first.

    Parameters
    ----------
    store : Store
        The app's store.
    _user : UserInfo
        Anyone signed in.
    point : int, optional
        Only this point's (id).
    measurement_status : str, optional
        Only ``stored``, ``processed`` or ``failed`` ones.
    limit : int
        At most this many.

    Returns
    -------
    list of MeasurementPublic
        The measurements.
    """
    found = store.measurements(point, status=measurement_status, limit=limit)
    return [MeasurementPublic.model_validate(m) for m in found]


@router.get("/measurements/{measurement_id}")
def get_measurement(measurement_id: int, store: StoreDep, _user: CurrentUser) -> MeasurementPublic:
    """One measurement.

    Parameters
    ----------
    measurement_id : int
        The measurement.
    store : Store
        The app's store.
    _user : UserInfo
        Anyone signed in.

    Returns
    -------
    MeasurementPublic
        The measurement.
    """
    return MeasurementPublic.model_validate(store.measurement(measurement_id))


@router.post(
    "/points/{point_id}/measurements",
    status_code=status.HTTP_201_CREATED,
    response_model=IngestOutcome,
    responses=_UPLOAD_RESPONSES,
)
def upload_file(
    point_id: int,
    file: Annotated[UploadFile, File(description="A file in any format openphm reads.")],
    store: StoreDep,
    settings: SettingsDep,
    _user: EngineerUser,
) -> JSONResponse:
    """Upload a measurement file for a point; it is stored once and processed.

    Parameters
    ----------
    point_id : int
        The point.
    file : fastapi.UploadFile
        The file (its name's extension tells the format).
    store : Store
        The app's store.
    settings : ServiceSettings
        The upload limit.
    _user : UserInfo
        An engineer or admin.

    Returns
    -------
    fastapi.responses.JSONResponse
        An :class:`IngestOutcome`: 201 stored, 200 duplicate, 422 refused with the reason.
    """
    point = store.point(point_id)
    data = file.file.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        raise HTTPException(
            status.HTTP_413_CONTENT_TOO_LARGE,
            f"the file is over the limit of {settings.max_upload_bytes} bytes",
        )
    item = IncomingBytes(data, safe_name(file.filename), str(point.id), datetime.now(UTC))
    return _answer(ingest(store, item))


@router.post(
    "/points/{point_id}/samples",
    status_code=status.HTTP_201_CREATED,
    response_model=IngestOutcome,
    responses=_UPLOAD_RESPONSES,
)
def upload_samples(
    point_id: int, body: SamplesCreate, store: StoreDep, _user: EngineerUser
) -> JSONResponse:
    """Upload one channel's samples as JSON for a point; stored once (as Parquet) and processed.

    Parameters
    ----------
    point_id : int
        The point.
    body : SamplesCreate
        The samples and their rate, unit and time.
    store : Store
        The app's store.
    _user : UserInfo
        An engineer or admin.

    Returns
    -------
    fastapi.responses.JSONResponse
        An :class:`IngestOutcome`: 201 stored, 200 duplicate, 422 refused with the reason.
    """
    point = store.point(point_id)
    item = IncomingSamples(
        point=str(point.id),
        acquired_at=body.acquired_at,
        fs_hz=body.fs_hz,
        unit=body.unit,
        samples=np.asarray(body.samples, dtype=np.float64),
        channel=body.channel,
        speed_hz=body.speed_hz,
        load=body.load,
        received_at=datetime.now(UTC),
    )
    return _answer(ingest(store, item))


@router.get("/measurements/{measurement_id}/samples")
def get_samples(
    measurement_id: int,
    store: StoreDep,
    _user: CurrentUser,
    max_points: MaxPoints = 4000,
) -> SamplesPublic:
    """A measurement's samples, reduced to each bucket's minimum and maximum for drawing.

    Parameters
    ----------
    measurement_id : int
        The measurement.
    store : Store
        The app's store.
    _user : UserInfo
        Anyone signed in.
    max_points : int
        Most values returned.

    Returns
    -------
    SamplesPublic
        Times and values.
    """
    found = stored_waveform(store, measurement_id)
    wave = found.waveform
    t, y = min_max(np.arange(wave.n_samples) / wave.fs, wave.samples, max_points)
    return SamplesPublic(
        measurement_id=measurement_id,
        channel=wave.channel,
        unit=wave.unit,
        fs_hz=wave.fs,
        n_samples=wave.n_samples,
        decimated=y.size < wave.n_samples,
        times_s=t.tolist(),
        values=y.tolist(),
    )


def _cursors(
    store: StoreDep, point: PointInfo, speed_hz: float | None, fmax_hz: float
) -> list[Cursor]:
    return [
        Cursor(component=f.component, line=f.line, order=f.order, freqs_hz=list(f.freqs_hz))
        for f in fault_lines(store, point, speed_hz, fmax_hz)
    ]


def _diagnosis_band(store: StoreDep, measurement_id: int) -> tuple[float, float] | None:
    """The band where the stored diagnosis of the point's first bearing scored best."""
    found = store.results(measurement_id, kind="diagnosis")
    if not found:
        return None
    point = store.point(store.measurement(measurement_id).point_id)
    order = {cid: i for i, cid in enumerate(point.component_ids)}
    first = min(found, key=lambda r: order.get(r.component_id or -1, len(order)))
    evidence = [e for e in first.payload.get("evidence", []) if e.get("band_hz")]
    if not evidence:
        return None
    best = max(evidence, key=lambda e: float(e.get("score", 0.0)))
    low, high = best["band_hz"]
    return float(low), float(high)


FmaxHz = Annotated[float | None, Query(gt=0, le=1e7, description="Highest frequency returned, Hz.")]


@router.get("/measurements/{measurement_id}/spectrum")
def get_spectrum(
    measurement_id: int,
    store: StoreDep,
    _user: CurrentUser,
    max_points: MaxPoints = 4000,
    fmax_hz: FmaxHz = None,
) -> SpectrumPublic:
    """Amplitude spectrum (Hann window, peak scaling) of a measurement, with bearing cursors.

    Parameters
    ----------
    measurement_id : int
        The measurement.
    store : Store
        The app's store.
    _user : UserInfo
        Anyone signed in.
    max_points : int
        Most bins returned (peak hold).
    fmax_hz : float, optional
        Highest frequency, Hz (default: Nyquist).

    Returns
    -------
    SpectrumPublic
        The spectrum and the fault-frequency cursors.
    """
    found = stored_waveform(store, measurement_id)
    wave = found.waveform
    top = min(fmax_hz or wave.fs / 2, wave.fs / 2)
    spec = amplitude_spectrum(wave.samples, wave.fs).between(0.0, top)
    f, v = peak_hold(spec.freqs_hz, spec.values, max_points)
    speed = found.measurement.speed_hz
    return SpectrumPublic(
        measurement_id=measurement_id,
        kind="spectrum",
        unit_note=spec.unit_note.replace("unit of x", found.measurement.unit),
        band_hz=None,
        speed_hz=speed,
        freqs_hz=f.tolist(),
        values=v.tolist(),
        cursors=_cursors(store, found.point, speed, top),
    )


@router.get("/measurements/{measurement_id}/envelope")
def get_envelope_spectrum(
    measurement_id: int,
    store: StoreDep,
    _user: CurrentUser,
    band_low_hz: Annotated[float | None, Query(gt=0, le=1e7)] = None,
    band_high_hz: Annotated[float | None, Query(gt=0, le=1e7)] = None,
    max_points: MaxPoints = 4000,
    fmax_hz: FmaxHz = 1000.0,
) -> SpectrumPublic:
    """Squared-envelope spectrum of a measurement in a band, with bearing cursors.

    Parameters
    ----------
    measurement_id : int
        The measurement.
    store : Store
        The app's store.
    _user : UserInfo
        Anyone signed in.
    band_low_hz, band_high_hz : float, optional
        Demodulation band, Hz (default: where the stored diagnosis found its best evidence, else
        the whole band).
    max_points : int
        Most bins returned (peak hold).
    fmax_hz : float, optional
        Highest frequency, Hz.

    Returns
    -------
    SpectrumPublic
        The envelope spectrum and the fault-frequency cursors.
    """
    found = stored_waveform(store, measurement_id)
    wave = found.waveform
    if (band_low_hz is None) != (band_high_hz is None):
        raise HTTPException(422, "give both band_low_hz and band_high_hz, or neither")
    band = (
        (band_low_hz, band_high_hz)
        if band_low_hz is not None and band_high_hz is not None
        else _diagnosis_band(store, measurement_id)
    )
    top = min(fmax_hz or wave.fs / 2, wave.fs / 2)
    spec = squared_envelope_spectrum(wave.samples, wave.fs, band).between(0.0, top)
    f, v = peak_hold(spec.freqs_hz, spec.values, max_points)
    speed = found.measurement.speed_hz
    return SpectrumPublic(
        measurement_id=measurement_id,
        kind="envelope",
        unit_note=spec.unit_note.replace("unit of x", found.measurement.unit),
        band_hz=None if band is None else [band[0], band[1]],
        speed_hz=speed,
        freqs_hz=f.tolist(),
        values=v.tolist(),
        cursors=_cursors(store, found.point, speed, top),
    )


@router.get("/measurements/{measurement_id}/spectrogram")
def get_spectrogram(
    measurement_id: int,
    store: StoreDep,
    _user: CurrentUser,
    nperseg: Annotated[int, Query(ge=16, le=65536)] = 1024,
    max_freqs: Annotated[int, Query(ge=10, le=4096)] = 512,
    max_times: Annotated[int, Query(ge=2, le=1024)] = 200,
) -> SpectrogramPublic:
    """Spectrogram (short-time amplitude spectra) of a measurement, reduced for drawing.

    Parameters
    ----------
    measurement_id : int
        The measurement.
    store : Store
        The app's store.
    _user : UserInfo
        Anyone signed in.
    nperseg : int
        Segment length, samples (resolution fs / nperseg Hz).
    max_freqs : int
        Most frequency bins returned (each bucket's maximum).
    max_times : int
        Most segments returned (evenly chosen).

    Returns
    -------
    SpectrogramPublic
        Times, frequencies and values.
    """
    found = stored_waveform(store, measurement_id)
    wave = found.waveform
    sg = spectrogram(wave.samples, wave.fs, nperseg=min(nperseg, wave.n_samples))
    cols = np.unique(
        np.linspace(0, sg.times_s.size - 1, min(max_times, sg.times_s.size)).astype(int)
    )
    edges = np.linspace(0, sg.freqs_hz.size, min(max_freqs, sg.freqs_hz.size) + 1).astype(int)
    rows = [(lo, hi) for lo, hi in itertools.pairwise(edges) if hi > lo]
    values = np.array([sg.values[lo:hi, cols].max(axis=0) for lo, hi in rows])
    return SpectrogramPublic(
        measurement_id=measurement_id,
        unit_note=sg.unit_note.replace("unit of x", found.measurement.unit),
        times_s=sg.times_s[cols].tolist(),
        freqs_hz=[float(sg.freqs_hz[lo]) for lo, _ in rows],
        values=values.tolist(),
    )
