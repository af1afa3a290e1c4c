"""Schemas of measurements: the catalogue row, uploads, samples and on-request spectra."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]


class MeasurementPublic(BaseModel):
    """A measurement's catalogue row.

    Parameters
    ----------
    id : int
        Its id.
    point_id : int
        Its point.
    kind : {"waveform", "scalars"}
        What it holds.
    acquired_at : datetime
        Acquisition time (UTC).
    content_sha256 : str
        sha256 of the stored file.
    original_name : str
        Name of the file as received.
    fs_hz : float or None
        Sampling rate, Hz.
    n_samples : int or None
        Number of samples.
    unit : str
        Unit of the samples.
    speed_hz : float or None
        Reference shaft speed, Hz.
    load : float or None
        Load during the acquisition.
    regime : str or None
        Operating regime found by processing.
    status : {"stored", "processed", "failed"}
        Processing status.
    error : str or None
        Why processing failed.
    created_at : datetime
        When it was stored.
    """

    model_config = ConfigDict(from_attributes=True)

    id: int
    point_id: int
    kind: Literal["waveform", "scalars"]
    acquired_at: datetime
    content_sha256: str
    original_name: str
    fs_hz: float | None
    n_samples: int | None
    unit: str
    speed_hz: float | None
    load: float | None
    regime: str | None
    status: Literal["stored", "processed", "failed"]
    error: str | None
    created_at: datetime


class SamplesCreate(BaseModel):
    """One channel's samples sent as numbers.

    Parameters
    ----------
    acquired_at : datetime
        Time of the first sample, with its time zone.
    fs_hz : float
        Sampling rate, Hz.
    unit : str
        Unit of the samples (``"g"``, ``"m/s^2"``, ``"mm/s"``).
    samples : list of float
        The samples (finite).
    channel : str
        Channel name.
    speed_hz : float or None
        Reference shaft speed, Hz.
    load : float or None
        Load during the acquisition.
    """

    acquired_at: AwareDatetime
    fs_hz: float = Field(gt=0, allow_inf_nan=False)
    unit: str = Field(min_length=1, max_length=40)
    samples: list[FiniteFloat] = Field(max_length=50_000_000)
    channel: str = Field(default="", max_length=200)
    speed_hz: float | None = Field(default=None, gt=0, allow_inf_nan=False)
    load: float | None = Field(default=None, allow_inf_nan=False)


class IngestOutcome(BaseModel):
    """What ingestion did with an upload.

    Parameters
    ----------
    status : {"stored", "duplicate", "refused"}
        Stored (201), already stored (200) or refused (422, with the reason).
    detail : str
        The file name, or the reason of a refusal.
    measurement_id : int or None
        The measurement's id (None when refused).
    """

    status: Literal["stored", "duplicate", "refused"]
    detail: str
    measurement_id: int | None


class SamplesPublic(BaseModel):
    """A measurement's samples, decimated for drawing (each bucket's minimum and maximum).

    Parameters
    ----------
    measurement_id : int
        The measurement.
    channel : str
        The channel shown.
    unit : str
        Unit of the values.
    fs_hz : float
        Sampling rate of the record, Hz.
    n_samples : int
        Samples in the record.
    decimated : bool
        Whether ``values`` is a min/max reduction.
    times_s : list of float
        Time of each value from the first sample, s.
    values : list of float
        The values.
    """

    measurement_id: int
    channel: str
    unit: str
    fs_hz: float
    n_samples: int
    decimated: bool
    times_s: list[float]
    values: list[float]


class Cursor(BaseModel):
    """A bearing fault frequency and its harmonics, from the bearing's geometry and the speed.

    Parameters
    ----------
    component : str
        The bearing's component name.
    line : str
        ``"shaft"``, ``"ftf"``, ``"bsf"``, ``"2bsf"``, ``"bpfo"`` or ``"bpfi"``.
    order : float
        The line in orders of the bearing's shaft speed.
    freqs_hz : list of float
        The line and its harmonics, Hz.
    """

    component: str
    line: str
    order: float
    freqs_hz: list[float]


class SpectrumPublic(BaseModel):
    """A spectrum computed on request, peak-held for drawing, with the fault-frequency cursors.

    Parameters
    ----------
    measurement_id : int
        The measurement.
    kind : {"spectrum", "envelope"}
        Amplitude spectrum or squared-envelope spectrum.
    unit_note : str
        What the values are.
    band_hz : list of float or None
        Demodulation band of an envelope spectrum, Hz.
    speed_hz : float or None
        Reference shaft speed the cursors use, Hz.
    freqs_hz : list of float
        Bin frequencies, Hz.
    values : list of float
        Bin values.
    cursors : list of Cursor
        Fault frequencies of the bearings the point hears (empty without a speed).
    """

    measurement_id: int
    kind: Literal["spectrum", "envelope"]
    unit_note: str
    band_hz: list[float] | None
    speed_hz: float | None
    freqs_hz: list[float]
    values: list[float]
    cursors: list[Cursor]


class SpectrogramPublic(BaseModel):
    """A spectrogram computed on request (amplitude, one column per segment).

    Parameters
    ----------
    measurement_id : int
        The measurement.
    unit_note : str
        What the values are.
    times_s : list of float
        Centre time of each segment, s.
    freqs_hz : list of float
        Bin frequencies, Hz.
    values : list of list of float
        ``values[i][j]`` at frequency ``i`` and time ``j``.
    """

    measurement_id: int
    unit_note: str
    times_s: list[float]
    freqs_hz: list[float]
    values: list[list[float]]


class ResultPublic(BaseModel):
    """A stored result with its provenance.

    Parameters
    ----------
    id : int
        Its id.
    measurement_id : int
        The measurement.
    component_id : int or None
        The component it is about.
    kind : str
        ``"indicators"``, ``"severity"``, ``"diagnosis"``...
    payload : dict
        The result (its ``to_dict()``).
    openphm_version : str
        Version that made it.
    settings : dict or None
        Settings that made it.
    settings_hash : str or None
        Their hash.
    input : dict or None
        What it was computed from.
    created_at : datetime
        When it was stored.
    """

    model_config = ConfigDict(from_attributes=True)

    id: int
    measurement_id: int
    component_id: int | None
    kind: str
    payload: dict[str, Any]
    openphm_version: str
    settings: dict[str, Any] | None
    settings_hash: str | None
    input: dict[str, Any] | None
    created_at: datetime


class DiagnosisPublic(BaseModel):
    """A bearing's diagnosis with its evidence.

    Parameters
    ----------
    result_id : int
        The stored result.
    measurement_id : int
        The measurement diagnosed.
    component_id : int or None
        The bearing.
    component : str
        The bearing's name.
    verdict : str
        ``"normal"``, ``"outer"``, ``"inner"``, ``"ball"``, ``"cage"``...
    confidence : float
        Confidence in the verdict, 0 to 1.
    reasons : list of str
        Why, in words.
    evidence : list of dict
        Per fault: score, fault frequency, matched peaks, band.
    payload : dict
        The whole stored diagnosis.
    """

    result_id: int
    measurement_id: int
    component_id: int | None
    component: str
    verdict: str
    confidence: float
    reasons: list[str]
    evidence: list[dict[str, Any]]
    payload: dict[str, Any]
