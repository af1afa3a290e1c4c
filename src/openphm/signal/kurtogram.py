"""Spectral kurtosis and Antoni's fast kurtogram, for choosing the band in which to demodulate.

The fast kurtogram (Antoni 2007) splits the signal with a tree of quasi-analytic FIR filters:
at every node a low/high pair (decimation by 2) gives the next binary level, and a triplet
(decimation by 3) gives the intermediate "1/3" level. The kurtosis of each band's complex
envelope is mapped over (level, frequency); the maximum points to the band where the signal is
most impulsive, which is where bearing-fault impacts excite a resonance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from scipy import fft as sp_fft

from openphm.core.errors import ConfigError
from openphm.core.waveform import FloatArray
from openphm.signal._checks import as_fs, as_positive_int, as_signal
from openphm.signal.spectrum import Spectrum, rfft_freqs_hz, window_samples

#: Length of the prototype low-pass filter of the tree, per decimation factor (odd: zero phase
#: with an integer delay, so its amplitude response is real and 1-periodic).
PROTOTYPE_TAPS = {2: 17, 3: 25}
#: Cut-off of each prototype in cycles/sample: the bands' own half-widths, so that a band's
#: kurtosis is measured on the band that envelope analysis then demodulates with ideal edges.
#: Antoni's code cuts wider (``fir1(16, 0.4)``, ``fir1(24, 2/3 * 0.4)``: 0.2 and 0.133) and
#: chooses his bands with them (tests/helpers/antoni_kurtogram.py), but its kurtosis then comes
#: partly from outside the band demodulated: order-tracked diagnoses of simulated run-ups lost 4
#: and 5 of 24 verdicts with his cut-offs (docs/benchmarks.md, "Fast kurtogram against Antoni's
#: reference").
PROTOTYPE_CUTOFF = {2: 1.0 / 8.0, 3: 1.0 / 12.0}

#: Fewest samples a band of the deepest level may hold when ``max_level`` is chosen for you.
MIN_BAND_SAMPLES = 128

#: Relative level of a band's impulse response below which it no longer counts as an edge.
EDGE_RESPONSE_FLOOR = 1e-3

#: Ratio of sampling rate to usable bandwidth of a vibration analyser (fs = 2.56 fmax).
USABLE_BANDWIDTH_FACTOR = 2.56

#: Deepest binary level chosen by default (the tree then holds 2*6+1 = 13 levels).
DEFAULT_MAX_LEVEL = 6
#: Samples that are plenty for choosing a band on a long record (see ``fast_kurtogram``'s
#: ``max_samples``): its narrowest default band then holds about 10 000 samples.
LONG_RECORD_SAMPLES = 2**21
#: Records longer than this take their bands' edge margins from a plan of this length.
MARGIN_REFERENCE_N = 2**18
#: Points per period of the tables from which the prototype filters' responses are interpolated.
RESPONSE_GRID = 2**16


@dataclass(frozen=True)
class Kurtogram:
    """The fast kurtogram of a signal and its best band.

    Parameters
    ----------
    kurtosis : numpy.ndarray
        Shape ``(n_levels, n_columns)``: spectral kurtosis of each band's complex envelope
        (dimensionless, ``E|c|^4 / (E|c|^2)^2 - 2``; 0 for Gaussian noise, -1 for a pure tone;
        level 0 is the excess kurtosis of the real signal). Each band's value is repeated over the
        columns it covers, so every row spans ``0 .. fs/2`` on the same grid of
        ``n_columns = 3 * 2**max_level`` columns.
    levels : numpy.ndarray
        Level of each row: ``0, 1, 1.585, 2, 2.585, ...`` (``k + log2(3)`` for the 1/3 levels).
    level_labels : tuple of str
        Row labels as Antoni prints them: ``"0", "1", "1.6", "2", "2.6", ...``.
    bandwidths_hz : numpy.ndarray
        Band width of each row in Hz, ``fs / 2**(level + 1)``.
    fs : float
        Sampling rate in Hz of the analysed signal.
    best_level : float
        Level of the band with the largest kurtosis.
    best_band_hz : (float, float)
        Its edges ``(low, high)`` in Hz.
    best_kurtosis : float
        Its kurtosis.
    """

    kurtosis: FloatArray
    levels: FloatArray
    level_labels: tuple[str, ...]
    bandwidths_hz: FloatArray
    fs: float
    best_level: float
    best_band_hz: tuple[float, float]
    best_kurtosis: float

    @property
    def best_center_hz(self) -> float:
        """Centre frequency of the best band in Hz."""
        return 0.5 * (self.best_band_hz[0] + self.best_band_hz[1])

    @property
    def best_bandwidth_hz(self) -> float:
        """Width of the best band in Hz."""
        return self.best_band_hz[1] - self.best_band_hz[0]

    @property
    def column_edges_hz(self) -> FloatArray:
        """Frequency edges of the map's columns in Hz (``n_columns + 1`` values)."""
        return np.linspace(0.0, self.fs / 2.0, self.kurtosis.shape[1] + 1)


@dataclass(frozen=True)
class _LevelPlan:
    level: float
    label: str
    bins: npt.NDArray[np.intp]
    weights: npt.NDArray[np.float32]
    margin: int


def _amplitude_response(taps: FloatArray, nu: FloatArray) -> FloatArray:
    """Zero-phase amplitude of a symmetric odd-length FIR at normalised frequency ``nu``."""
    half = (taps.size - 1) // 2
    k = np.arange(-half, half + 1, dtype=np.float64)
    return np.asarray(np.cos(2.0 * np.pi * nu[..., None] * k) @ taps, dtype=np.float64)


def _prototype(factor: int) -> FloatArray:
    """Low-pass prototype of the ``factor``-band split, cut at :data:`PROTOTYPE_CUTOFF`.

    The window method with a Hamming window, scaled to unit gain at DC: what
    ``scipy.signal.firwin(taps, cutoff, fs=1)`` gives, without importing scipy.signal (which
    loads scipy.stats, a second of start-up).
    """
    taps = PROTOTYPE_TAPS[factor]
    cutoff = PROTOTYPE_CUTOFF[factor]
    k = np.arange(taps) - (taps - 1) / 2.0
    h = 2.0 * cutoff * np.sinc(2.0 * cutoff * k) * np.hamming(taps)
    return np.asarray(h / h.sum(), dtype=np.float64)


@lru_cache(maxsize=2)
def _response_table(factor: int) -> FloatArray:
    """The prototype's zero-phase amplitude at ``j / RESPONSE_GRID`` cycles/sample, one period
    and one point more (``j = 0 .. RESPONSE_GRID``), for interpolation across the wrap.

    The DFT of the taps laid out circularly around sample 0 is exactly that amplitude (the taps
    are symmetric, so the DFT is real): one FFT instead of a cosine sum per grid point.
    """
    taps = _prototype(factor)
    half = (taps.size - 1) // 2
    circular = np.zeros(RESPONSE_GRID)
    circular[: half + 1] = taps[half:]
    circular[RESPONSE_GRID - half :] = taps[:half]
    period = np.fft.fft(circular).real
    return np.asarray(np.append(period, period[0]), dtype=np.float64)


def _response(factor: int, nu: FloatArray) -> FloatArray:
    """The prototype's amplitude at ``nu``: linear interpolation in :func:`_response_table`.

    The response is a trigonometric polynomial of degree 12 at most, so its second derivative
    is below ``(2 pi 12)**2 sum|taps|`` (about 7e4) and linear interpolation between points
    ``h = 2**-16`` apart is within ``h**2 / 8`` times that, 2e-6, of it (8e-9 measured against
    the cosine sum), at a cost that does not grow with the taps (the direct cosine sum took
    seconds for records of a million samples) and with a table built in a millisecond.
    """
    position = np.mod(nu, 1.0) * RESPONSE_GRID
    # mod() returns 1.0 for the tiniest negative inputs: keep the index within the period.
    index = np.minimum(position.astype(np.intp), RESPONSE_GRID - 1)
    table = _response_table(factor)
    low = table[index]
    return np.asarray(low + (position - index) * (table[index + 1] - low), dtype=np.float64)


def _edge_margin(weights: FloatArray) -> int:
    """Band samples at each end reached by the wrap-around of circular filtering.

    The bands' impulse responses (inverse DFT of their real, zero-phase weights) are centred on
    sample 0; the jump between the end and the start of a record spreads over as many samples
    as the responses hold above :data:`EDGE_RESPONSE_FLOOR` of their peak. Those samples are
    left out of the kurtosis, or a record's ends would read as one big transient in the narrow
    low-frequency bands. At most a quarter of a band is dropped at each end.
    """
    response = np.abs(np.fft.ifft(weights, axis=1))
    m = int(response.shape[1])
    half = np.maximum(response[:, : m // 2 + 1], response[:, ::-1][:, : m // 2 + 1])
    above = np.flatnonzero((half >= EDGE_RESPONSE_FLOOR * half[:, :1]).any(axis=0))
    return min(int(above[-1]) + 1, m // 4)


def _along_path(
    path: tuple[FloatArray, npt.NDArray[np.intp]] | None,
    parent: npt.NDArray[np.intp],
    unwrapped: npt.NDArray[np.intp],
) -> FloatArray | float:
    """Product of the binary-stage responses from the root down to each band's ``parent``, at
    the band's span of (unwrapped) bins ``unwrapped``, one row per band.

    ``path`` holds the weights of the nodes of the parents' level over their own spans and the
    first bin of each span (``None`` at the root, whose product is 1). A child's span lies
    inside its parent's (it is half as wide or less, centred a quarter of the parent's band
    from the parent's centre), so the product is read from the parent's weights instead of
    being evaluated stage by stage again.
    """
    if path is None:
        return 1.0
    weights, first = path
    offset = unwrapped - first[parent][:, None]
    return np.take_along_axis(weights[parent], offset, axis=1)


@lru_cache(maxsize=8)
def _plan(n: int, max_level: int) -> tuple[_LevelPlan, ...]:
    """Bins and filter weights of every band of the tree for a record of ``n`` samples.

    A node at binary level ``k`` holds a complex signal at rate ``r = 2**-k`` (cycles per input
    sample) whose band ``[e, e + r/2]`` sits at ``[0, 1/2]`` of its own rate. Its child ``i`` of
    ``D`` comes from filtering with the prototype shifted to centre ``(2i + 1) / (4D)`` (the
    quasi-analytic band-pass of Antoni 2007) and keeping every ``D``-th sample: band
    ``[e + i r/(2D), e + (i + 1) r/(2D)]`` at rate ``r / D``. On the input's DFT the cascade is
    the product of the stage responses over a span of at least ``r n`` bins centred on the band
    (the band and the guard bands of the 2x oversampled complex envelope; rounded up to a fast
    FFT length), and decimation is the inverse DFT of that span alone. The aliasing terms of
    the intermediate decimations (the parts of a band's cascade outside its span, which the
    time-domain tree folds into the band) are left out.
    """
    # The bands' impulse responses last a fixed number of band samples whatever the record's
    # length, so a long record takes its edge margins from a shorter plan (unless a margin there
    # hit its quarter-band cap), sparing an inverse FFT of every band.
    reference = (
        {p.label: p for p in _plan(MARGIN_REFERENCE_N, max_level)} if n > MARGIN_REFERENCE_N else {}
    )
    plans: list[_LevelPlan] = []
    path: tuple[FloatArray, npt.NDArray[np.intp]] | None = None
    for k in range(max_level):
        parents = path
        for factor in (2, 3):
            level = k + math.log2(factor)
            label = f"{level:.0f}" if factor == 2 else f"{level:.1f}"
            parent_rate = 2.0**-k
            child_rate = parent_rate / factor
            n_bands = factor * 2**k
            child = np.arange(n_bands, dtype=np.intp)
            parent, digit = child // factor, child % factor
            edge = parent * parent_rate / 2.0 + digit * parent_rate / (2.0 * factor)
            # Any span length at least r n will do (it only sets the band's sample rate): take a
            # fast FFT length, centred on the band.
            m = min(sp_fft.next_fast_len(max(round(child_rate * n), 1)), n)
            start = np.round((edge + child_rate / 4.0) * n - m / 2.0).astype(np.intp)
            unwrapped = start[:, None] + np.arange(m, dtype=np.intp)
            u = unwrapped / n
            nu = (u - (parent * parent_rate / 2.0)[:, None]) / parent_rate
            stage = _response(factor, nu - ((2 * digit + 1) / (4.0 * factor))[:, None])
            w = stage * _along_path(parents, parent, unwrapped)
            if factor == 2:
                path = (w, start)
            ref = reference.get(label)
            if ref is not None and ref.margin < ref.bins.shape[1] // 4:
                # One spare sample: where the response crosses the floor moves by one sample
                # either way with the record's length.
                margin = min(ref.margin + 1, m // 4)
            else:
                margin = _edge_margin(w)
            plans.append(
                _LevelPlan(level, label, np.mod(unwrapped, n), w.astype(np.float32), margin)
            )
    return tuple(sorted(plans, key=lambda p: p.level))


def _excess_kurtosis_real(x: FloatArray) -> float:
    centred = x - x.mean()
    power = centred * centred
    m2 = float(power.mean())
    return float((power * power).mean() / (m2 * m2) - 3.0) if m2 > 0.0 else 0.0


def default_max_level(n: int) -> int:
    """Deepest binary level of the fast kurtogram used by default.

    Parameters
    ----------
    n : int
        Length of the record in samples.

    Returns
    -------
    int
        The largest level up to :data:`DEFAULT_MAX_LEVEL` whose narrowest (1/3-level) bands
        still hold :data:`MIN_BAND_SAMPLES` samples, and at least 1.

    Examples
    --------
    >>> default_max_level(25600), default_max_level(2560)
    (6, 2)
    """
    level = DEFAULT_MAX_LEVEL
    while level > 1 and n / (3 * 2**level) < MIN_BAND_SAMPLES:
        level -= 1
    return level


def fast_kurtogram(
    x: npt.ArrayLike,
    fs: float,
    *,
    max_level: int | None = None,
    min_bandwidth_hz: float = 0.0,
    fmin_hz: float = 0.0,
    fmax_hz: float | None = None,
    max_samples: int | None = None,
    x_rfft: npt.NDArray[np.complex128] | None = None,
) -> Kurtogram:
    """Antoni's fast kurtogram: spectral kurtosis over a 1/3-binary tree of frequency bands.

    Parameters
    ----------
    x : array_like
        1-D samples (any unit; kurtosis is dimensionless).
    fs : float
        Sampling rate in Hz.
    max_level : int, optional
        Deepest binary level ``K``; the map then has levels ``0, 1, 1.6, ..., K, K + 0.6`` and
        the narrowest bands are ``fs / (3 * 2**(K + 1))`` Hz wide. Default:
        :func:`default_max_level` (6 for 1 s at 25.6 kHz).
    min_bandwidth_hz : float, default 0
        Only bands at least this wide (Hz) may be chosen as the best band; the map still shows
        every level. Envelope analysis needs a band wider than about twice the highest fault
        frequency of interest plus its sidebands.
    fmin_hz : float, default 0
        Lowest frequency (Hz) a chosen band may reach. For envelope analysis up to a frequency
        ``f``, a band above ``f`` keeps the signal's own low-frequency lines (shaft harmonics)
        out of the envelope spectrum.
    fmax_hz : float, optional
        Highest frequency (Hz) a chosen band may reach. Default ``fs / 2.56``: the usable
        bandwidth of a vibration analyser, whose anti-aliasing filter occupies the rest up to
        ``fs / 2``. There the signal is attenuated down to the converter's quantisation noise,
        whose kurtosis can be very large and means nothing. Give ``fs / 2`` to search everything.
    max_samples : int, optional
        Analyse at most this many samples, from the middle of the record. Choosing a band needs
        far fewer samples than a long record holds (:data:`LONG_RECORD_SAMPLES`, 2**21, leave
        the narrowest default band about 10 000), and time and memory grow with them.
    x_rfft : numpy.ndarray of complex, optional
        ``numpy.fft.rfft(x)``, when the caller already has it (envelope analysis of the same
        record starts from it too); used when the whole record is analysed.

    Returns
    -------
    Kurtogram
        The map, the level labels and the best band (largest kurtosis).

    Notes
    -----
    J. Antoni (2007), "Fast computation of the kurtogram for the detection of transient faults",
    Mechanical Systems and Signal Processing 21(1) 108-124. Each band's complex envelope ``c``
    comes from the quasi-analytic filter tree (prototype low-pass of 17 taps cut at 1/8 for the
    halving stages, 25 taps cut at 1/12 for the third-band stages, shifted to the band centres,
    with decimation by 2 or 3); its kurtosis is ``K = <|c|^4> / <|c|^2>^2 - 2``. The tree is
    evaluated on the DFT of the record (circular filtering), with one batched inverse FFT per
    level, which makes it cost about as much as a dozen FFTs of the record. The few band samples
    at each end that the wrap-around reaches are left out of the kurtosis, or the jump between
    the record's end and start would read as a transient in the narrow low-frequency bands.

    Examples
    --------
    >>> fs = 12000.0
    >>> rng = np.random.default_rng(1)
    >>> t = np.arange(12000) / fs
    >>> ringing = np.exp(-1000.0 * t[:120]) * np.sin(2 * np.pi * 2800.0 * t[:120])
    >>> x = rng.normal(0.0, 0.2, t.size)
    >>> for start in range(0, t.size - 120, 600):  # 20 impacts per second
    ...     x[start : start + 120] += ringing
    >>> kg = fast_kurtogram(x, fs)
    >>> kg.best_band_hz, kg.level_labels[:5]
    ((2500.0, 3000.0), ('0', '1', '1.6', '2', '2.6'))
    """
    arr = as_signal(x, min_len=16)
    rate = as_fs(fs)
    whole = arr.size
    if x_rfft is not None and np.shape(x_rfft) != (whole // 2 + 1,):
        raise ConfigError(
            f"x_rfft: shape {np.shape(x_rfft)}, but the rfft of {whole} samples has "
            f"{whole // 2 + 1} bins"
        )
    if max_samples is not None:
        cap = as_positive_int(max_samples, "max_samples", 16)
        start = max(0, (arr.size - cap) // 2)
        arr = arr[start : start + cap]
    n = arr.size
    if max_level is None:
        depth = default_max_level(n)
    else:
        depth = as_positive_int(max_level, "max_level", 1)
        if n / (3 * 2**depth) < 4:
            raise ConfigError(
                f"max_level: {depth} leaves fewer than 4 samples per band for {n} samples; "
                f"use at most {default_max_level(n)}"
            )
    plans = _plan(n, depth)
    n_columns = 3 * 2**depth
    if x_rfft is not None and n == whole:
        half = np.asarray(x_rfft).astype(np.complex64)
        half[0] = 0.0  # the mean removed
    else:
        half = np.fft.rfft(arr - arr.mean()).astype(np.complex64)
    spectrum = np.empty(n, dtype=np.complex64)
    spectrum[: half.size] = half
    spectrum[half.size :] = np.conj(half[1 : n - half.size + 1][::-1])
    rows = [np.full(n_columns, _excess_kurtosis_real(arr))]
    for plan in plans:
        bands = np.fft.ifft(spectrum[plan.bins] * plan.weights, axis=1)
        inner = bands[:, plan.margin : bands.shape[1] - plan.margin]
        power = np.abs(inner)
        power *= power
        # Single precision is ample for a ratio of moments (errors ~1e-4 relative).
        m2 = power.sum(axis=1).astype(np.float64) / power.shape[1]
        m4 = np.einsum("ij,ij->i", power, power).astype(np.float64) / power.shape[1]
        k = np.divide(m4, m2 * m2, out=np.full_like(m2, 2.0), where=m2 > 0.0) - 2.0
        rows.append(np.repeat(k.astype(np.float64), n_columns // k.size))
    kurt = np.vstack(rows)
    levels = np.array([0.0] + [p.level for p in plans])
    labels = ("0", *(p.label for p in plans))
    n_bands = np.array([1] + [p.weights.shape[0] for p in plans])
    widths = rate / (2.0 * n_bands)
    top = rate / USABLE_BANDWIDTH_FACTOR if fmax_hz is None else float(fmax_hz)
    band_of_column = np.arange(n_columns)[None, :] // (n_columns // n_bands[:, None])
    band_high = (band_of_column + 1) * widths[:, None]
    eligible = (
        (widths[:, None] >= float(min_bandwidth_hz))
        & (band_high <= top * (1 + 1e-9))
        & (band_high - widths[:, None] >= float(fmin_hz) * (1 - 1e-9))
    )
    if not eligible.any():
        raise ConfigError(
            f"fast_kurtogram: no band is at least min_bandwidth_hz = {min_bandwidth_hz:g} Hz wide "
            f"and lies within fmin_hz = {fmin_hz:g} and fmax_hz = {top:g} Hz; relax them"
        )
    masked = np.where(eligible, kurt, -np.inf)
    row, col = np.unravel_index(int(np.argmax(masked)), masked.shape)
    band_width = float(widths[row])
    low = float(band_of_column[row, col]) * band_width
    return Kurtogram(
        kurtosis=kurt,
        levels=levels,
        level_labels=labels,
        bandwidths_hz=widths,
        fs=rate,
        best_level=float(levels[row]),
        best_band_hz=(low, low + band_width),
        best_kurtosis=float(kurt[row, col]),
    )


def spectral_kurtosis(
    x: npt.ArrayLike,
    fs: float,
    *,
    nperseg: int = 256,
    noverlap: int | None = None,
    window: str | tuple[str, float] = "hann",
) -> Spectrum:
    """Spectral kurtosis from the short-time Fourier transform.

    Parameters
    ----------
    x : array_like
        1-D samples.
    fs : float
        Sampling rate in Hz.
    nperseg : int, default 256
        STFT segment length in samples: the frequency resolution is ``fs / nperseg``; it should be
        shorter than the spacing between the impacts sought.
    noverlap : int, optional
        Overlap in samples; default three quarters of a segment.
    window : str or tuple, default "hann"
        STFT window.

    Returns
    -------
    Spectrum
        ``SK(f) = <|X(t, f)|^4> / <|X(t, f)|^2>^2 - 2`` (dimensionless): about 0 for
        stationary Gaussian noise, -1 for a steady tone, large where the signal is impulsive. DC
        and Nyquist bins (real-valued, so their estimator is biased) are set to 0.

    Notes
    -----
    J. Antoni (2006), "The spectral kurtosis: a useful tool for characterising non-stationary
    signals", Mechanical Systems and Signal Processing 20(2) 282-307, STFT estimator.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> sk = spectral_kurtosis(rng.normal(size=65536), 1000.0)
    >>> bool(abs(np.median(sk.values)) < 0.1)
    True
    """
    arr = as_signal(x)
    rate = as_fs(fs)
    seg = as_positive_int(nperseg, "nperseg", 4)
    if seg > arr.size // 4:
        raise ConfigError(
            f"nperseg: {seg} samples leave fewer than 4 segments in {arr.size} samples"
        )
    overlap = (3 * seg) // 4 if noverlap is None else as_positive_int(noverlap, "noverlap", 0)
    if overlap >= seg:
        raise ConfigError(f"noverlap: {overlap} must be smaller than the segment ({seg} samples)")
    w = window_samples(window, seg)
    starts = np.arange(0, arr.size - seg + 1, seg - overlap)
    frames = np.lib.stride_tricks.sliding_window_view(arr - arr.mean(), seg)[starts]
    spec = np.fft.rfft(frames * w, axis=1)
    power = spec.real**2 + spec.imag**2
    m2 = power.mean(axis=0)
    m4 = (power * power).mean(axis=0)
    sk = np.divide(m4, m2 * m2, out=np.full_like(m2, 2.0), where=m2 > 0.0) - 2.0
    sk[0] = 0.0
    if seg % 2 == 0:
        sk[-1] = 0.0
    return Spectrum(rfft_freqs_hz(seg, rate), sk, "spectral kurtosis [dimensionless, 0 = Gaussian]")
