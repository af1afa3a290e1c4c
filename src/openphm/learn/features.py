"""Physics-informed features of vibration windows, in orders of the shaft speed.

A window is cut to a fixed number of shaft revolutions, so that the same features describe a
record at any speed and sampling rate. Each window is described by

- dimensionless time-domain indicators (kurtosis, crest, impulse and shape factors, skewness)
  of the raw and the cepstrum-pre-whitened window, and the fast kurtogram's best kurtosis;
- the prominence of the squared-envelope spectrum (SES) over its local background at each
  characteristic fault order of the bearing (BPFO, BPFI, 2xBSF, FTF; three harmonics), at the
  shaft-rate sidebands of BPFI and the cage-rate sidebands of 2xBSF, and at the shaft
  harmonics, in two demodulation bands (the whole band and the kurtogram's best band);
- the scores of the physics diagnosis (:func:`openphm.diagnose.bearing.diagnose_bearing`).

None of them holds an absolute level (g, m/s^2), a frequency in Hz or a bin index, so a model
trained on one rig is not handed the rig's sensor gain, resonances or sampling rate.

References
----------
R. B. Randall, J. Antoni (2011), "Rolling element bearing diagnostics - A tutorial", MSSP 25(2)
485-520 (squared envelope, fault patterns, pre-whitening); J. Antoni (2007), "Fast computation
of the kurtogram for the detection of transient faults", MSSP 21(1) 108-124.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.signal import resample_poly

from openphm.core.bearing import FaultFrequencies
from openphm.core.errors import ConfigError, DataError
from openphm.core.serialize import Serializable
from openphm.core.waveform import FloatArray, Waveform
from openphm.diagnose.bearing import diagnose_bearing
from openphm.diagnose.settings import DiagnosisSettings
from openphm.signal.envelope import squared_envelope_spectrum
from openphm.signal.indicators import band_energies, time_indicators
from openphm.signal.kurtogram import fast_kurtogram
from openphm.signal.prewhiten import cepstrum_prewhiten

__all__ = [
    "FAULT_CLASSES",
    "ORDER_SPECTRUM_MAX",
    "FeatureSettings",
    "feature_names",
    "order_envelope_spectrum",
    "record_features",
    "resample_to",
    "window_features",
    "windows_of",
]

#: Fault locations the learned models tell apart.
FAULT_CLASSES = ("inner", "outer", "ball")

_TIME = ("kurtosis", "crest_factor", "impulse_factor", "shape_factor", "skewness")
_PHYSICS = ("outer", "inner", "ball", "cage")
_BANDS = ("full", "kurtogram")
#: Highest order of the order-domain envelope spectrum (above 3 x BPFI + 1 of most bearings).
ORDER_SPECTRUM_MAX = 20.0


@dataclass(frozen=True)
class FeatureSettings(Serializable):
    """How windows are cut and described.

    Parameters
    ----------
    revolutions : float, default 64
        Window length in shaft revolutions (order resolution ``1/revolutions``); 64
        revolutions resolve the cage-rate sidebands (0.4 order) of a ball fault.
    overlap : float, default 0.5
        Fraction of a window shared with the next, in ``[0, 1)``.
    harmonics : int, default 3
        Harmonics of each fault order described.
    slip : float, default 0.02
        Relative tolerance of a fault order (rolling elements slip 1-2 %, Randall & Antoni
        2011 section 2.1).
    background_orders : float, default 1.0
        Half-width in orders of the neighbourhood whose median is a line's background.
    physics : bool, default True
        Add the physics diagnosis's scores.
    spectral_bands : int, default 0
        Add the share of the window's power (dB of the total) in this many equal bands from 0
        to ``fs/2``. They describe the rig (its resonances, sensor and sampling rate) as much
        as the fault: they help within one rig and may mislead on another, so they are off
        by default.
    order_spectrum_bins : int, default 0
        When > 0, describe a window instead by its squared-envelope spectrum from 0 to
        :data:`ORDER_SPECTRUM_MAX` orders in this many bins (each bin's peak over the
        spectrum's median, dB): the input of the CNN (:mod:`openphm.learn.cnn`). The other
        settings but ``revolutions`` and ``overlap`` are then unused.
    """

    revolutions: float = 64.0
    overlap: float = 0.5
    harmonics: int = 3
    slip: float = 0.02
    background_orders: float = 1.0
    physics: bool = True
    spectral_bands: int = 0
    order_spectrum_bins: int = 0

    def __post_init__(self) -> None:
        if not (math.isfinite(self.revolutions) and self.revolutions >= 8.0):
            raise ConfigError(f"revolutions must be at least 8, got {self.revolutions}")
        if not 0.0 <= self.overlap < 1.0:
            raise ConfigError(f"overlap must be in [0, 1), got {self.overlap}")
        if self.harmonics < 1:
            raise ConfigError(f"harmonics must be at least 1, got {self.harmonics}")
        if not 0.0 < self.slip < 0.2:
            raise ConfigError(f"slip must be in (0, 0.2), got {self.slip}")
        if not self.background_orders > 0.0:
            raise ConfigError(f"background_orders must be > 0, got {self.background_orders}")
        if not 0 <= self.spectral_bands <= 256:
            raise ConfigError(f"spectral_bands must be in 0..256, got {self.spectral_bands}")
        if not 0 <= self.order_spectrum_bins <= 4096:
            raise ConfigError(
                f"order_spectrum_bins must be in 0..4096, got {self.order_spectrum_bins}"
            )


def _line_targets(orders: FaultFrequencies, harmonics: int) -> list[tuple[str, float]]:
    """Names and orders of the envelope lines described (BPFO, BPFI, 2xBSF, FTF patterns)."""
    out: list[tuple[str, float]] = []
    for name, base in (("bpfo", orders.bpfo), ("bpfi", orders.bpfi), ("2bsf", orders.two_bsf)):
        out += [(f"{name}_{h}", h * base) for h in range(1, harmonics + 1)]
    # Inner-race lines are modulated at the shaft rate as the defect turns through the load
    # zone; rolling-element lines at the cage rate as the element does (Randall & Antoni 2011).
    out += [(f"bpfi_{h}_sb", h * orders.bpfi + 1.0) for h in range(1, harmonics)]
    out += [(f"bpfi_{h}_sb-", h * orders.bpfi - 1.0) for h in range(1, harmonics)]
    out += [(f"2bsf_{h}_sb", h * orders.two_bsf + orders.ftf) for h in range(1, harmonics)]
    out += [(f"2bsf_{h}_sb-", h * orders.two_bsf - orders.ftf) for h in range(1, harmonics)]
    out += [(f"bsf_{h}", h * orders.bsf) for h in (1, 3)]
    out += [("ftf_1", orders.ftf), ("shaft_1", 1.0), ("shaft_2", 2.0)]
    return out


def feature_names(settings: FeatureSettings | None = None) -> tuple[str, ...]:
    """Names of the features :func:`window_features` returns, in order.

    Parameters
    ----------
    settings : FeatureSettings, optional
        The settings (defaults).

    Returns
    -------
    tuple of str
        ``time_*``, ``pw_*``, ``kurtogram_kurtosis``, ``<band>_<line>`` prominences and,
        with ``physics``, ``physics_<fault>``.

    Examples
    --------
    >>> names = feature_names()
    >>> names[0], "full_bpfo_1" in names, names[-1]
    ('time_kurtosis', True, 'physics_cage')
    """
    s = settings or FeatureSettings()
    if s.order_spectrum_bins:
        return tuple(f"ses_bin_{k}" for k in range(s.order_spectrum_bins))
    dummy = FaultFrequencies(ftf=0.4, bsf=2.0, bpfo=3.5, bpfi=5.5)
    lines = [name for name, _ in _line_targets(dummy, s.harmonics)]
    names = [f"time_{k}" for k in _TIME] + [f"pw_{k}" for k in _TIME] + ["kurtogram_kurtosis"]
    names += [f"{b}_{line}" for b in _BANDS for line in lines]
    if s.physics:
        names += [f"physics_{k}" for k in _PHYSICS]
    names += [f"band_{i}_of_{s.spectral_bands}" for i in range(s.spectral_bands)]
    return tuple(names)


def windows_of(
    x: npt.ArrayLike, fs: float, speed_hz: float, settings: FeatureSettings | None = None
) -> FloatArray:
    """Cut a record into windows of a fixed number of shaft revolutions.

    Parameters
    ----------
    x : array_like
        1-D samples.
    fs : float
        Sampling rate, Hz.
    speed_hz : float
        Shaft speed, Hz.
    settings : FeatureSettings, optional
        Window length (revolutions) and overlap.

    Returns
    -------
    numpy.ndarray
        Shape ``(n_windows, round(revolutions * fs / speed_hz))``, copies.

    Raises
    ------
    DataError
        The record is shorter than one window.
    ConfigError
        A sampling rate or speed that is not positive.

    Examples
    --------
    >>> windows_of(np.arange(1000.0), 100.0, 10.0, FeatureSettings(revolutions=20)).shape
    (9, 200)
    """
    s = settings or FeatureSettings()
    if not (fs > 0.0 and speed_hz > 0.0):
        raise ConfigError(f"fs and speed_hz must be positive, got {fs} Hz and {speed_hz} Hz")
    arr = np.asarray(x, dtype=np.float64)
    n = round(s.revolutions * fs / speed_hz)
    if arr.size < n:
        raise DataError(
            f"record of {arr.size} samples ({arr.size / fs * speed_hz:.1f} revolutions) is "
            f"shorter than one window of {s.revolutions:g} revolutions ({n} samples)"
        )
    hop = max(1, round(n * (1.0 - s.overlap)))
    starts = range(0, arr.size - n + 1, hop)
    return np.stack([arr[i : i + n].copy() for i in starts])


def resample_to(x: npt.ArrayLike, fs: float, target_fs: float) -> FloatArray:
    """Resample to a lower (or equal) rate with an anti-aliasing polyphase filter.

    Parameters
    ----------
    x : array_like
        1-D samples.
    fs : float
        Their sampling rate, Hz.
    target_fs : float
        The rate wanted, Hz, at most ``fs``.

    Returns
    -------
    numpy.ndarray
        Samples at ``target_fs`` (the rate ratio rounded to a fraction with denominator at
        most 1000; a copy of ``x`` when the rates agree).

    Raises
    ------
    DataError
        ``target_fs`` above ``fs``: upsampling adds no band the model could use.

    Examples
    --------
    >>> resample_to(np.ones(48000), 48000.0, 12000.0).size
    12000
    """
    arr = np.asarray(x, dtype=np.float64)
    if math.isclose(fs, target_fs, rel_tol=1e-9):
        return arr.copy()
    if target_fs > fs:
        raise DataError(f"cannot resample {fs:g} Hz up to {target_fs:g} Hz")
    from fractions import Fraction

    ratio = Fraction(target_fs / fs).limit_denominator(1000)
    return np.asarray(resample_poly(arr, ratio.numerator, ratio.denominator), dtype=np.float64)


def _prominences(
    values: FloatArray, order_step: float, targets: list[tuple[str, float]], s: FeatureSettings
) -> list[float]:
    """Each target line's peak over the median of its neighbourhood, in dB (20 log10)."""
    out = []
    n = values.size
    tiny = np.finfo(np.float64).tiny
    for _, order in targets:
        centre = order / order_step
        half = max(s.slip * order / order_step, 1.5)
        lo, hi = math.floor(centre - half), math.ceil(centre + half) + 1
        blo = max(math.floor(centre - s.background_orders / order_step), 1)
        bhi = min(math.ceil(centre + s.background_orders / order_step) + 1, n)
        if lo < 1 or hi > n or bhi - blo < 4:
            out.append(0.0)
            continue
        peak = float(values[lo:hi].max())
        background = np.concatenate([values[blo:lo], values[hi:bhi]])
        floor = float(np.median(background)) if background.size else tiny
        out.append(20.0 * math.log10(max(peak, tiny) / max(floor, tiny)))
    return out


def _indicators(x: FloatArray) -> list[float]:
    ind = time_indicators(x)
    vals = [ind[k] for k in _TIME]
    return [v if math.isfinite(v) else 0.0 for v in vals]


def order_envelope_spectrum(x: npt.ArrayLike, fs: float, speed_hz: float, bins: int) -> FloatArray:
    """The squared-envelope spectrum of a pre-whitened window on a fixed grid of orders.

    Parameters
    ----------
    x : array_like
        1-D samples of one window.
    fs : float
        Sampling rate, Hz.
    speed_hz : float
        Shaft speed, Hz.
    bins : int
        Bins from 0 to :data:`ORDER_SPECTRUM_MAX` orders.

    Returns
    -------
    numpy.ndarray
        Each bin's peak over the median of the spectrum up to that order range, in dB
        (0 where the window's rate does not reach the bin).

    Examples
    --------
    >>> fs, speed, n = 12000.0, 30.0, 25600
    >>> t = np.arange(n) / fs
    >>> x = (1 + np.cos(2 * np.pi * 3.5 * speed * t)) * np.cos(2 * np.pi * 3000.0 * t)
    >>> s = order_envelope_spectrum(x, fs, speed, 200)
    >>> int(s.argmax()) * ORDER_SPECTRUM_MAX / 200  # bin of 3.5 orders
    3.5
    """
    arr = np.asarray(x, dtype=np.float64)
    ses = squared_envelope_spectrum(cepstrum_prewhiten(arr), fs)
    order = ses.freqs_hz / speed_hz
    keep = (order > 0.0) & (order < ORDER_SPECTRUM_MAX)
    tiny = np.finfo(np.float64).tiny
    floor = max(float(np.median(ses.values[keep])) if keep.any() else tiny, tiny)
    which = np.floor(order[keep] / ORDER_SPECTRUM_MAX * bins).astype(np.intp)
    peak = np.zeros(bins)
    np.maximum.at(peak, which, ses.values[keep])
    out = np.zeros(bins)
    filled = peak > 0.0
    out[filled] = 20.0 * np.log10(peak[filled] / floor)
    return out


def window_features(
    x: npt.ArrayLike,
    fs: float,
    speed_hz: float,
    orders: FaultFrequencies,
    settings: FeatureSettings | None = None,
) -> FloatArray:
    """Describe one window of vibration by the features of :func:`feature_names`.

    Parameters
    ----------
    x : array_like
        1-D samples of one window (acceleration, any unit).
    fs : float
        Sampling rate, Hz.
    speed_hz : float
        Speed of the bearing's rotating ring, Hz.
    orders : FaultFrequencies
        The bearing's fault orders.
    settings : FeatureSettings, optional
        The settings (defaults).

    Returns
    -------
    numpy.ndarray
        One value per name of :func:`feature_names`; envelope-line features are prominences
        in dB over the median of the SES within ``background_orders`` of the line (0 where
        the line lies outside the spectrum).

    Notes
    -----
    The squared-envelope spectrum (Randall & Antoni 2011, section 2.2) of the cepstrum-
    pre-whitened window (Sawalhi & Randall 2011) is taken over the whole band and over the
    fast kurtogram's best band at least ``min(fs/4, 2.5 x (highest line) x speed)`` wide
    (Antoni 2007); frequency ``f`` is order ``f / speed_hz``.

    Examples
    --------
    An outer-race fault: one decaying ring-down at each BPFO period, in noise.

    >>> fs, speed, n = 12000.0, 30.0, 25600
    >>> orders = FaultFrequencies(ftf=0.398, bsf=2.357, bpfo=3.585, bpfi=5.415)
    >>> impacts = np.zeros(n)
    >>> impacts[np.arange(0, n, fs / (orders.bpfo * speed)).astype(int)] = 1.0
    >>> x = np.convolve(impacts, np.exp(-np.arange(60) / 8.0) * np.sin(np.arange(60)), "same")
    >>> x = x + 0.05 * np.random.default_rng(0).normal(size=n)
    >>> f = dict(zip(feature_names(), window_features(x, fs, speed, orders)))
    >>> bool(f["full_bpfo_1"] > f["full_bpfi_1"] + 10.0), bool(f["physics_outer"] > 3.0)
    (True, True)
    """
    s = settings or FeatureSettings()
    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim != 1 or arr.size < 64:
        raise DataError(f"a window must be 1-D with at least 64 samples, got shape {arr.shape}")
    if s.order_spectrum_bins:
        return order_envelope_spectrum(arr, fs, speed_hz, s.order_spectrum_bins)
    targets = _line_targets(orders, s.harmonics)
    top_hz = max(o for _, o in targets) * speed_hz
    white = cepstrum_prewhiten(arr)
    order_step = fs / arr.size / speed_hz
    width = min(fs / 4.0, 2.5 * top_hz)
    kg = fast_kurtogram(white, fs, min_bandwidth_hz=width)
    feats = _indicators(arr) + _indicators(white) + [math.log1p(max(kg.best_kurtosis, 0.0))]
    for band in (None, kg.best_band_hz):
        ses = squared_envelope_spectrum(white, fs, band)
        feats += _prominences(ses.values, order_step, targets, s)
    if s.physics:
        diag = diagnose_bearing(Waveform(arr, fs), orders, speed_hz, settings=DiagnosisSettings())
        feats += [float(diag.scores.get(k, 0.0)) for k in _PHYSICS]
    if s.spectral_bands:
        edges = np.linspace(0.0, fs / 2.0, s.spectral_bands + 1)
        power = band_energies(arr, fs, np.column_stack([edges[:-1], edges[1:]]))
        total = max(float(power.sum()), np.finfo(np.float64).tiny)
        feats += [10.0 * math.log10(max(float(p) / total, 1e-12)) for p in power]
    return np.asarray(feats, dtype=np.float64)


def record_features(
    waveform: Waveform,
    orders: FaultFrequencies,
    speed_hz: float,
    settings: FeatureSettings | None = None,
) -> FloatArray:
    """Features of every window of a record.

    Parameters
    ----------
    waveform : Waveform
        The record (one channel).
    orders : FaultFrequencies
        The bearing's fault orders.
    speed_hz : float
        Speed of the rotating ring, Hz.
    settings : FeatureSettings, optional
        The settings (defaults).

    Returns
    -------
    numpy.ndarray
        Shape ``(n_windows, n_features)``.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> w = Waveform(rng.normal(size=40000), 12000.0)
    >>> orders = FaultFrequencies(ftf=0.398, bsf=2.357, bpfo=3.585, bpfi=5.415)
    >>> s = FeatureSettings(physics=False)
    >>> record_features(w, orders, 30.0, s).shape == (2, len(feature_names(s)))
    True
    """
    wins = windows_of(waveform.samples, waveform.fs, speed_hz, settings)
    return np.stack([window_features(w, waveform.fs, speed_hz, orders, settings) for w in wins])
