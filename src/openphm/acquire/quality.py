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
