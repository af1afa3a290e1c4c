"""What the dashboard's charts show, as plain data (lists) for Plotly: no drawing, no HTML.

Each function takes a waveform or stored results and returns small frozen dataclasses of lists,
decimated to a few thousand points so that a page stays light: a waveform keeps each bucket's
minimum and maximum (the envelope a screen can show, impacts included), a spectrum each bucket's
maximum (peak hold: no line is lost between the points drawn).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from openphm.core.diagnosis import Diagnosis
from openphm.core.waveform import Waveform
from openphm.pipeline.trends import IndicatorTrend
from openphm.service.series import min_max, peak_hold
from openphm.signal.envelope import squared_envelope_spectrum
from openphm.signal.spectrum import amplitude_spectrum

__all__ = [
    "MAX_POINTS",
    "Cursor",
    "Series",
    "TrendData",
    "WaterfallLine",
    "envelope_band",
    "envelope_data",
    "fault_cursors",
    "spectrum_data",
    "trend_data",
    "waterfall_data",
    "waveform_data",
]

#: Most points of one line sent to the browser.
MAX_POINTS = 4000


@dataclass(frozen=True)
class Series:
    """One line of a chart.

    Parameters
    ----------
    x : list of float
        Abscissae (s or Hz).
    y : list of float
        Ordinates, in ``unit``.
    unit : str
        Unit of ``y`` (``"g"``, ``"g^2"``).
    quantity : str
        What ``y`` is, for the axis title (``"peak amplitude"``).
    note : str
        How it was computed, for the chart's title (``"band 0-6000 Hz"``).
    """

    x: list[float]
    y: list[float]
    unit: str
    quantity: str
    note: str = ""


@dataclass(frozen=True)
class Cursor:
    """A bearing fault's frequency and its harmonics, as the diagnosis predicted them.

    Parameters
    ----------
    bearing : str
        The bearing's component name.
    fault : str
        ``"outer"``, ``"inner"``, ``"ball"`` or ``"cage"``.
    freqs_hz : list of float
        Expected frequencies of the harmonics (slip and refined speed included), Hz.
    labels : list of str
        Their labels (``"1xBPFO"``).
    score : float
        The pattern's score (-log10 of its false-alarm probability).
    verdict : bool
        Whether this fault is the bearing's verdict.
    primary : bool
        Whether the bearing is the one the point is placed for (its cursors are shown first).
    """

    bearing: str
    fault: str
    freqs_hz: list[float]
    labels: list[str]
    score: float
    verdict: bool
    primary: bool


@dataclass(frozen=True)
class WaterfallLine:
    """One spectrum of a waterfall.

    Parameters
    ----------
    measurement_id : int
        The measurement.
    acquired_at : datetime
        When it was taken.
    spectrum : Series
        Its amplitude spectrum, decimated.
    """

    measurement_id: int
    acquired_at: datetime
    spectrum: Series


@dataclass(frozen=True)
class TrendData:
    """An indicator's trend at a point with its limits and, for velocity, the ISO zone bands.

    Parameters
    ----------
    indicator : str
        The indicator.
    times : list of str
        Acquisition times, ISO 8601.
    values : list of float
        The values.
    measurement_ids : list of int
        The measurement of each value.
    alert : float or None
        Upper alert limit of the baselines in force (the highest over the regimes shown; the
        indicators trended are judged from above).
    danger : float or None
        Upper danger limit of the baselines in force.
    zones_mm_s : tuple of float or None
        Zone boundaries A/B, B/C, C/D (mm/s) for the velocity indicator, else None.
    """

    indicator: str
    times: list[str]
    values: list[float]
    measurement_ids: list[int]
    alert: float | None
    danger: float | None
    zones_mm_s: tuple[float, float, float] | None


def waveform_data(wave: Waveform, max_points: int = MAX_POINTS) -> Series:
    """A waveform for a chart: each bucket's minimum and maximum, in time order.

    Parameters
    ----------
    wave : Waveform
        The channel.
    max_points : int
        Most points returned.

    Returns
    -------
    Series
        Time (s) and amplitude (the waveform's unit).

    Examples
    --------
    >>> import numpy as np
    >>> w = Waveform(np.sin(np.arange(100000) / 10.0), fs=1000.0, unit="g")
    >>> s = waveform_data(w, 1000)
    >>> len(s.x) <= 1000, max(s.y) > 0.99
    (True, True)
    """
    x, y = min_max(wave.time_s, wave.samples, max_points)
    return Series(x.tolist(), y.tolist(), wave.unit, "amplitude")


def spectrum_data(
    wave: Waveform, fmax_hz: float | None = None, max_points: int = MAX_POINTS
) -> Series:
    """Amplitude spectrum (Hann window, peak scaling) of a waveform, decimated by peak hold.

    Parameters
    ----------
    wave : Waveform
        The channel.
    fmax_hz : float, optional
        Highest frequency shown, Hz (default: Nyquist).
    max_points : int
        Most points returned.

    Returns
    -------
    Series
        Frequency (Hz) and peak amplitude (the waveform's unit), from
        :func:`openphm.signal.spectrum.amplitude_spectrum`.

    Examples
    --------
    >>> import numpy as np
    >>> t = np.arange(10000) / 1000.0
    >>> s = spectrum_data(Waveform(np.sin(2 * np.pi * 50.0 * t), fs=1000.0, unit="g"))
    >>> s.x[int(np.argmax(s.y))]
    50.0
    """
    spec = amplitude_spectrum(wave.samples, wave.fs)
    keep = spec.freqs_hz <= (fmax_hz if fmax_hz is not None else wave.fs / 2.0)
    x, y = peak_hold(spec.freqs_hz[keep], spec.values[keep], max_points)
    return Series(x.tolist(), y.tolist(), wave.unit, "peak amplitude", "Hann window")


def envelope_band(diagnoses: Mapping[str, Diagnosis], primary: str | None) -> tuple[float, float]:
    """The demodulation band to show: where the primary bearing's verdict (or best) was scored.

    Parameters
    ----------
    diagnoses : Mapping of str to Diagnosis
        The diagnoses of the measurement, by bearing name.
    primary : str or None
        The bearing the point is placed for.

    Returns
    -------
    (float, float)
        The band, Hz; ``(0, inf)`` (the full band) when there is no diagnosis.
    """
    diag = diagnoses.get(primary or "") or next(iter(diagnoses.values()), None)
    if diag is None:
        return (0.0, math.inf)
    ev = next((e for e in diag.evidence if e.fault == diag.verdict), diag.best)
    return (float(ev.band_hz[0]), float(ev.band_hz[1]))


def envelope_data(
    wave: Waveform,
    band_hz: tuple[float, float],
    fmax_hz: float,
    max_points: int = MAX_POINTS,
) -> Series:
    """Squared-envelope spectrum of a waveform in a band, up to ``fmax_hz``, peak-held.

    Parameters
    ----------
    wave : Waveform
        The channel.
    band_hz : (float, float)
        Demodulation band, Hz (clipped to 0 .. Nyquist).
    fmax_hz : float
        Highest frequency shown, Hz.
    max_points : int
        Most points returned.

    Returns
    -------
    Series
        Frequency (Hz) and squared-envelope amplitude (unit^2), from
        :func:`openphm.signal.envelope.squared_envelope_spectrum` (Randall & Antoni 2011).

    Examples
    --------
    >>> import numpy as np
    >>> t = np.arange(20000) / 10000.0
    >>> x = (1.0 + 0.5 * np.cos(2 * np.pi * 30 * t)) * np.cos(2 * np.pi * 2000 * t)
    >>> s = envelope_data(Waveform(x, fs=10000.0, unit="g"), (1500.0, 2500.0), 100.0)
    >>> s.x[int(np.argmax(s.y))]
    30.0
    """
    nyquist = wave.fs / 2.0
    lo, hi = max(0.0, band_hz[0]), min(nyquist, band_hz[1])
    band = None if (lo, hi) == (0.0, nyquist) else (lo, hi)
    ses = squared_envelope_spectrum(wave.samples, wave.fs, band)
    keep = ses.freqs_hz <= fmax_hz
    x, y = peak_hold(ses.freqs_hz[keep], ses.values[keep], max_points)
    note = f"band {lo:.0f}-{hi:.0f} Hz"
    return Series(x.tolist(), y.tolist(), f"{wave.unit}^2", "squared envelope", note)


def fault_cursors(diagnoses: Mapping[str, Diagnosis], primary: str | None) -> list[Cursor]:
    """The fault-frequency harmonics of every bearing the point hears, from their diagnoses.

    The lines are the ones each diagnosis matched (its evidence's harmonics, with the slip and
    the refined speed), as :func:`openphm.diagnose.report.render_report` draws them.

    Parameters
    ----------
    diagnoses : Mapping of str to Diagnosis
        The diagnoses of the measurement, by bearing name.
    primary : str or None
        The bearing the point is placed for.

    Returns
    -------
    list of Cursor
        One per bearing and fault, the primary bearing's first.
    """
    found = []
    for name, diag in diagnoses.items():
        for ev in diag.evidence:
            harmonics = [p for p in ev.peaks if p.kind == "harmonic"]
            found.append(
                Cursor(
                    bearing=name,
                    fault=ev.fault,
                    freqs_hz=[float(p.expected_hz) for p in harmonics],
                    labels=[p.label for p in harmonics],
                    score=float(ev.score),
                    verdict=ev.fault == diag.verdict,
                    primary=name == primary,
                )
            )
    return sorted(found, key=lambda c: (not c.primary, c.bearing))


def waterfall_data(
    waves: Sequence[tuple[int, datetime, Waveform]],
    fmax_hz: float | None = None,
    max_points: int = 1000,
) -> list[WaterfallLine]:
    """Amplitude spectra of a point's recent measurements, oldest first, for a waterfall.

    Parameters
    ----------
    waves : sequence of (int, datetime, Waveform)
        Measurement id, acquisition time and waveform of each measurement.
    fmax_hz : float, optional
        Highest frequency shown, Hz (default: each one's Nyquist).
    max_points : int
        Most points per spectrum.

    Returns
    -------
    list of WaterfallLine
        One per measurement, in the order given.
    """
    return [WaterfallLine(mid, at, spectrum_data(w, fmax_hz, max_points)) for mid, at, w in waves]


def trend_data(
    trend: IndicatorTrend, zones_mm_s: tuple[float, float, float] | None = None
) -> TrendData:
    """An indicator's trend as lists, with the highest limits of its regimes' baselines.

    Parameters
    ----------
    trend : IndicatorTrend
        From :func:`openphm.pipeline.trends.indicator_trend`.
    zones_mm_s : tuple of float, optional
        ISO 10816 / 20816 zone boundaries A/B, B/C, C/D in mm/s (velocity trends only).

    Returns
    -------
    TrendData
        Times, values and limits.
    """
    alerts = [lim.alert_high for lim in trend.limits.values() if lim.alert_high is not None]
    dangers = [lim.danger_high for lim in trend.limits.values() if lim.danger_high is not None]
    return TrendData(
        indicator=trend.indicator,
        times=[v.acquired_at.isoformat() for v in trend.values],
        values=[float(v.value) for v in trend.values],
        measurement_ids=[v.measurement_id for v in trend.values],
        alert=max(alerts) if alerts else None,
        danger=max(dangers) if dangers else None,
        zones_mm_s=zones_mm_s,
    )
