"""Data-quality checks applied to every channel a reader returns.

Policy (what is an error, what is a warning)
--------------------------------------------
Errors (:class:`~openphm.core.errors.DataError`): the data cannot be processed without guessing.

- **Empty channel**: no samples at all.
- **NaN or Inf samples**: any non-finite sample. Spectra, filters and statistics would silently
  propagate them, and filling the gaps would change the spectrum, so openphm refuses the channel.
  The message gives the count and the index and time of the first one, so that the user can cut the
  record or select other channels (``channels=``).

Warnings (:class:`~openphm.core.errors.DataQualityWarning`): the data are usable but suspect.

- **Constant channel**: every sample has the same value (a disconnected sensor or a dead channel).
- **Joined blocks**: a channel counts blocks of rows (a snapshot, segment or file index that
  steps by one every fixed number of rows): the file joins separate records (a monitoring
  system's snapshots) end to end, and every other channel jumps at each boundary
  (:func:`joined_blocks`).
- **Clipping**: samples piled up at the channel's maximum or minimum. A signal that stays within the
  range of its sensor and converter has a thinning tail towards its extremes; one that saturates
  collects samples *exactly* at the extreme, more of them than in the whole band just below it. The
  test, a histogram criterion in the spirit of amplitude-histogram clipping detectors for audio
  (Aleinik, Matveev and Raev, "Detection of clipped fragments in speech signals", 2014), flags a
  side when at least :data:`CLIP_MIN_SAMPLES` samples equal the extreme and they outnumber both
  the samples in the band of width :data:`CLIP_BAND_FRACTION` of the range below it and the samples
  at the next lower value (a tone sampled in step with its period repeats its crest exactly, but
  its neighbours just as often). Channels resolved into fewer than :data:`CLIP_MIN_LEVELS` steps
  over their range are not judged (coarse quantisation looks the same). Single samples at full
  scale cannot be told from an ordinary peak and pass.

Sampling-rate sanity (missing or outside 1 mHz to 1 GHz) is checked where the rate is resolved
(readers and :class:`~openphm.core.waveform.Waveform`), not here.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from openphm.core.errors import DataError, DataQualityWarning
from openphm.core.waveform import Recording, Waveform

#: Fewest samples at an extreme value that can indicate clipping.
CLIP_MIN_SAMPLES = 2
#: Width of the band below (above) the maximum (minimum), as a fraction of the range (max - min).
CLIP_BAND_FRACTION = 0.01
#: Channels resolved into fewer quantisation steps than this over their range are not judged.
CLIP_MIN_LEVELS = 256


@dataclass(frozen=True)
class QualityIssue:
    """One finding of :func:`assess`.

    Parameters
    ----------
    kind : str
        ``"empty"``, ``"nonfinite"``, ``"constant"`` or ``"clipping"``.
    fatal : bool
        True when the channel cannot be used (raise), False when it is only suspect (warn).
    message : str
        What was found, without the file or channel name.
    """

    kind: str
    fatal: bool
    message: str


def assess(samples: npt.ArrayLike, fs: float | None = None) -> tuple[QualityIssue, ...]:
    """Find the quality problems of one channel (see the module docstring for the policy).

    Parameters
    ----------
    samples : array_like
        1-D samples, in any unit.
    fs : float, optional
        Sampling rate in Hz, used only to give the time of the first bad sample.

    Returns
    -------
    tuple of QualityIssue
        Empty when the channel looks clean. A fatal issue, when there is one, comes first.

    Examples
    --------
    >>> import numpy as np
    >>> [i.kind for i in assess(np.array([0.0, 1.0, np.nan, 2.0]))]
    ['nonfinite']
    >>> x = np.clip(np.sin(np.linspace(0, 20, 2000)) * 2.0, -1.0, 1.0)
    >>> [i.kind for i in assess(x)]
    ['clipping', 'clipping']
    """
    x = np.asarray(samples, dtype=np.float64).ravel()
    if x.size == 0:
        return (QualityIssue("empty", True, "the channel has no samples"),)
    finite = np.isfinite(x)
    if not finite.all():
        bad = np.flatnonzero(~finite)
        n_nan = int(np.isnan(x[bad]).sum())
        when = f" (t = {bad[0] / fs:.6g} s)" if fs else ""
        return (
            QualityIssue(
                "nonfinite",
                True,
                f"{bad.size} non-finite samples ({n_nan} NaN, {bad.size - n_nan} Inf) out of "
                f"{x.size}, the first at index {bad[0]}{when}; cut the record there or pick "
                "other channels",
            ),
        )
    lo, hi = float(x.min()), float(x.max())
    if lo == hi:
        return (
            ()
            if x.size == 1
            else (
                QualityIssue(
                    "constant",
                    False,
                    f"all {x.size} samples equal {hi:g} (a disconnected sensor or a dead channel?)",
                ),
            )
        )
    issues = []
    for side, extreme, n_piled in (
        ("maximum", hi, _piled_up(x, hi, lo)),
        ("minimum", lo, _piled_up(x, lo, hi)),
    ):
        if n_piled:
            issues.append(
                QualityIssue(
                    "clipping",
                    False,
                    f"possible clipping: {n_piled} samples sit exactly at the {side} {extreme:g}",
                )
            )
    return tuple(issues)


def _piled_up(x: npt.NDArray[np.float64], extreme: float, other: float) -> int:
    """Number of samples piled up at ``extreme`` (the max or min of ``x``) if they look clipped.

    Works on the samples of the band next to the extreme, so that no copy of ``x`` is made.
    """
    sign = 1.0 if extreme > other else -1.0
    span = abs(extreme - other)
    band = CLIP_BAND_FRACTION * span
    # Values within a few ulps of the span are "equal": a computed tone repeats its values only
    # to rounding. ``near`` is oriented so that the extreme is its maximum.
    tol = 1e-9 * span
    near = sign * (x[x >= extreme - band] if sign > 0 else x[x <= extreme + band])
    top = sign * extreme
    n_top = int(np.count_nonzero(near >= top - tol))
    n_band = near.size - n_top
    if n_top < CLIP_MIN_SAMPLES or n_top <= n_band:
        return 0
    # The quantisation step, estimated from the band and a spread-out subsample.
    sample = sign * x[:: max(1, x.size // 4096)]
    steps = np.diff(np.unique(np.concatenate([near, sample])))
    if steps.size and span / float(steps.min()) < CLIP_MIN_LEVELS:
        return 0
    below = sign * x < top - tol
    v_next = float(np.max(sign * x, where=below, initial=-np.inf))
    n_next = int(np.count_nonzero(np.abs(sign * x - v_next) <= tol))
    return n_top if n_top > n_next else 0


def check_samples(samples: npt.ArrayLike, where: str, fs: float | None = None) -> None:
    """Apply the policy to one channel: raise on a fatal issue, warn on the others.

    Parameters
    ----------
    samples : array_like
        1-D samples.
    where : str
        The file and channel, for the message (``"rec.csv: channel 'x'"``).
    fs : float, optional
        Sampling rate in Hz, for the time of the first bad sample.

    Raises
    ------
    DataError
        Empty channel or non-finite samples.

    Warns
    -----
    DataQualityWarning
        Constant channel or possible clipping.

    Examples
    --------
    >>> import numpy as np
    >>> check_samples(np.sin(np.arange(100.0)), "demo: channel 'x'")
    """
    for issue in assess(samples, fs):
        if issue.fatal:
            raise DataError(f"{where}: {issue.message}")
        warnings.warn(f"{where}: {issue.message}", DataQualityWarning, stacklevel=2)


def check_waveform(waveform: Waveform) -> Waveform:
    """Apply the policy to a :class:`Waveform` and return it unchanged (for chaining).

    Parameters
    ----------
    waveform : Waveform
        The channel; its ``source`` names it in messages.

    Returns
    -------
    Waveform
        The same object.

    Examples
    --------
    >>> import numpy as np
    >>> w = check_waveform(Waveform(np.sin(np.arange(100.0)), fs=100.0, channel="x"))
    """
    where = waveform.source or f"channel {waveform.channel!r}"
    check_samples(waveform.samples, where, waveform.fs)
    return waveform


def check_recording(recording: Recording) -> Recording:
    """Apply the policy to every channel of a :class:`Recording` and return it unchanged.

    Parameters
    ----------
    recording : Recording
        The channels to check.

    Returns
    -------
    Recording
        The same object.

    Examples
    --------
    >>> import numpy as np
    >>> rec = Recording((Waveform(np.sin(np.arange(100.0)), 100.0, channel="x"),))
    >>> check_recording(rec).channel_names
    ('x',)
    """
    for waveform in recording:
        check_waveform(waveform)
    return recording


#: Fewest rows per block for a channel to count blocks (see :func:`joined_blocks`).
MIN_BLOCK_ROWS = 2


def joined_blocks(samples: npt.ArrayLike) -> tuple[int, int]:
    """Whether a channel counts blocks of rows: the number of blocks and rows per block.

    Parameters
    ----------
    samples : array_like
        One channel's samples.

    Returns
    -------
    (int, int)
        ``(k, n)`` when the samples are integers that step up by one every ``n`` rows
        (``n >= MIN_BLOCK_ROWS``; the last block may be shorter) through ``k >= 2`` values, as
        a snapshot index beside the signals of joined snapshots does; ``(0, 0)`` otherwise.

    Examples
    --------
    >>> joined_blocks(np.repeat([1.0, 2.0, 3.0], 4))
    (3, 4)
    >>> joined_blocks(np.sin(np.arange(12.0)))
    (0, 0)
    """
    x = np.asarray(samples, dtype=np.float64).ravel()
    if x.size < 2 * MIN_BLOCK_ROWS or x[0] == x[-1]:
        return 0, 0
    step = np.diff(x)
    edges = np.flatnonzero(step)
    if edges.size == 0 or not np.all(step[edges] == 1.0) or x[0] != np.rint(x[0]):
        return 0, 0
    n = int(edges[0]) + 1
    runs = np.diff(np.concatenate(([-1], edges, [x.size - 1])))
    if n < MIN_BLOCK_ROWS or not np.all(runs[:-1] == n) or runs[-1] > n:
        return 0, 0
    return int(edges.size + 1), n


def warn_joined_blocks(waveforms: Sequence[Waveform], where: str) -> None:
    """Warn when a channel of a record counts joined blocks of rows (see :func:`joined_blocks`).

    Parameters
    ----------
    waveforms : sequence of Waveform
        The channels read.
    where : str
        The file, for the message.

    Warns
    -----
    DataQualityWarning
        Naming the counting channel, the blocks and the discontinuities between them.
    """
    for wave in waveforms:
        k, n = joined_blocks(wave.samples)
        if k:
            warnings.warn(
                f"{where}: channel {wave.channel!r} counts {k} blocks of {n} rows "
                f"({n / wave.fs:.3g} s each): the file joins {k} separate records end to end, "
                f"so every channel has {k - 1} discontinuities at the block boundaries; "
                "analyse the blocks as separate snapshots (diagnose --snapshots), not as one "
                "record",
                DataQualityWarning,
                stacklevel=3,
            )
            return
