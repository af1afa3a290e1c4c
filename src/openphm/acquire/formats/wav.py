"""Sound-file reader (soundfile/libsndfile): WAV, RF64, Wave64, FLAC and AIFF.

The rate comes from the file; each interleaved channel becomes ``ch0``, ``ch1``... Integer PCM
samples are scaled by libsndfile to fractions of full scale (-1 to 1), so the physical unit is
unknown unless ``unit=`` (and a calibration, applied by the caller) says otherwise; float files keep
their values. ``metadata`` gives the container and the sample encoding (``PCM_16``, ``FLOAT``...).
"""

from __future__ import annotations

import warnings

import soundfile

from openphm.acquire.formats.common import (
    Array,
    ChannelSelection,
    Group,
    build_recording,
    candidates,
    check_read_size,
    seekable,
)
from openphm.acquire.registry import FileSource, register_reader
from openphm.core.errors import DataQualityWarning
from openphm.core.waveform import Recording

_RIFF_LIKE = (b"RIFF", b"RIFX", b"RF64")
_W64 = b"riff\x2e\x91\xcf\x11"


def sniff(src: FileSource) -> bool:
    """RIFF/RF64 WAVE, Wave64, FLAC or AIFF magic bytes.

    Parameters
    ----------
    src : FileSource
        The file, of which only the head is looked at.

    Returns
    -------
    bool
        Whether this reader recognises the content.
    """
    head = src.head
    return (
        (head[:4] in _RIFF_LIKE and head[8:12] == b"WAVE")
        or head[:8] == _W64
        or head[:4] == b"fLaC"
        or (head[:4] == b"FORM" and head[8:12] in (b"AIFF", b"AIFC"))
    )


def _size_notes(extra_info: str) -> str:
    """libsndfile's notes on chunk sizes that disagree with the file (``data : 240000 (should
    be 119978)``), joined."""
    return "; ".join(
        " ".join(line.split()) for line in extra_info.splitlines() if "should be" in line
    )


def load(
    src: FileSource,
    *,
    fs: float | None = None,
    unit: str | None = None,
    channels: ChannelSelection = None,
    speed_hz: float | None = None,
) -> Recording:
    """Read a sound file.

    Parameters
    ----------
    src : FileSource
        The file (a compressed one is decompressed into memory: libsndfile seeks).
    fs : float, optional
        Sampling rate in Hz; replaces the file's (for recorders that store a nominal rate).
    unit : str, optional
        Unit of the samples (default empty: fractions of full scale for PCM files).
    channels : str, int or sequence, optional
        ``"ch0"``, ``"ch1"``... or 0-based positions; default all.
    speed_hz : float, optional
        Shaft speed in Hz.

    Returns
    -------
    Recording
        ``metadata`` holds ``container`` and ``encoding``.

    Raises
    ------
    DataError
        The samples would need more than :data:`~openphm.acquire.formats.common.MAX_READ_BYTES`
        in memory (refused before reading).

    Warns
    -----
    DataQualityWarning
        The file is shorter than its header says (truncated): the frames it holds are read.

    Examples
    --------
    >>> from openphm.acquire import read
    >>> rec = read("tap.wav", channels="ch1", unit="g")       # doctest: +SKIP
    """
    with seekable(src) as target:
        info = soundfile.info(target)
        check_read_size(info.frames * info.channels, src)
        if "should be" in info.extra_info:
            warnings.warn(
                f"{src.path}: the file is shorter than its header says (truncated; "
                f"{_size_notes(info.extra_info)}); reading the {info.frames} frames it holds",
                DataQualityWarning,
                stacklevel=3,
            )
        if not isinstance(target, str):
            target.seek(0)
        data, rate = soundfile.read(target, dtype="float64", always_2d=True)
    arrays = {f"ch{j}": Array(data[:, j]) for j in range(data.shape[1])}
    return build_recording(
        src,
        candidates(Group({"fs": float(rate)}, arrays), min_samples=0),
        reader="wav",
        fs=fs,
        unit=unit,
        channels=channels,
        speed_hz=speed_hz,
        metadata={"container": info.format, "encoding": info.subtype},
    )


register_reader(
    "wav",
    sniff,
    load,
    suffixes=(".wav", ".wave", ".rf64", ".w64", ".flac", ".aif", ".aiff"),
    description="sound file (WAV, FLAC, AIFF; soundfile)",
)
