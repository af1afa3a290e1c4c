"""Naming the peaks of an envelope spectrum: which bearing line (or shaft harmonic) each one is.

An analyst reads an envelope spectrum by holding the bearing's characteristic frequencies
against its peaks. :func:`bearing_lines` gives those frequencies for a catalogue bearing at a
speed, :func:`line_candidates` their harmonics up to the highest frequency shown, and
:func:`nearest_line` the one a peak matches, within the slip of a rolling bearing (1-2 %,
Randall & Antoni 2011) or two bins, or says that it matches none, or several.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from openphm.core.bearing import Ring
from openphm.core.errors import ConfigError
from openphm.core.serialize import Serializable
from openphm.knowledge.bearings import fault_frequencies
from openphm.knowledge.catalogue import get_bearing

__all__ = [
    "LINE_NAMES",
    "MATCH_FRACTION",
    "BearingLines",
    "LineMatch",
    "bearing_lines",
    "line_candidates",
    "nearest_line",
]

#: Characteristic frequencies a peak may be matched to, with their printed names.
LINE_NAMES: Mapping[str, str] = MappingProxyType(
    {"shaft": "shaft", "ftf": "FTF", "bsf": "BSF", "2bsf": "2xBSF", "bpfo": "BPFO", "bpfi": "BPFI"}
)
#: A peak matches a bearing line within this fraction of the line's frequency (bearing slip is
#: typically 1-2 %) or two bins, whichever is wider.
MATCH_FRACTION = 0.02


@dataclass(frozen=True)
class BearingLines(Serializable):
    """The characteristic frequencies of a catalogue bearing at one speed.

    Parameters
    ----------
    designation : str
        Catalogue designation as the user gave it.
    speed_hz : float
        Speed of the turning ring, Hz.
    lines_hz : Mapping of str to float
        ``shaft``, ``ftf``, ``bsf``, ``2bsf``, ``bpfo`` and ``bpfi`` in Hz.
    """

    designation: str
    speed_hz: float
    lines_hz: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines_hz", MappingProxyType(dict(self.lines_hz)))


@dataclass(frozen=True)
class LineMatch(Serializable):
    """The line nearest a peak and whether the peak is that line.

    Parameters
    ----------
    label : str
        Name of the line (``"BPFI"``, ``"2xBPFO"``, ``"3xshaft"``); several names joined with
        ``" or "``, nearest first, when the peak is within tolerance of several.
    line_hz : float
        Frequency of the (nearest) line, Hz.
    deviation_hz : float
        Peak frequency minus line frequency, Hz.
    match : bool
        Whether the peak lies within tolerance of exactly one line.
    """

    label: str
    line_hz: float
    deviation_hz: float
    match: bool


def bearing_lines(
    designation: str,
    speed_hz: float,
    rotating_ring: Ring = "inner",
    catalogue: Sequence[str] = (),
) -> BearingLines:
    """Characteristic frequencies in Hz of a catalogue bearing turning at ``speed_hz``.

    Orders from :func:`openphm.knowledge.bearings.fault_frequencies` times the speed.

    Parameters
    ----------
    designation : str
        Catalogue designation or alias.
    speed_hz : float
        Speed of the turning ring, Hz (> 0).
    rotating_ring : {"inner", "outer"}
        The ring that turns.
    catalogue : sequence of str
        Extra catalogue files in which the designation is looked up too.

    Returns
    -------
    BearingLines
        The lines in Hz.

    Raises
    ------
    ConfigError
        A designation the catalogue lacks, or has without internal geometry.

    Examples
    --------
    >>> lines = bearing_lines("6205", 29.95)
    >>> round(lines.lines_hz["bpfi"], 1), round(lines.lines_hz["bpfo"], 1)
    (162.2, 107.4)
    """
    if not (math.isfinite(speed_hz) and speed_hz > 0.0):
        raise ConfigError(f"bearing {designation}: the speed must be > 0, got {speed_hz!r} Hz")
    entry = get_bearing(designation, extra_files=catalogue)
    if entry.geometry is None:
        raise ConfigError(f"the catalogue has no internal geometry for {entry.designation}")
    orders = fault_frequencies(entry.geometry, rotating_ring)
    return BearingLines(designation, speed_hz, {"shaft": speed_hz, **orders.in_hz(speed_hz)})


def line_candidates(lines_hz: Mapping[str, float], fmax_hz: float) -> list[tuple[str, float]]:
    """Harmonics of the bearing lines up to ``fmax_hz``, with their names.

    Cage (FTF) harmonics stop at the third: its ninth is BPFO itself for a 9-ball bearing, and
    a label should name the defect, not the cage. BSF is marked once: a rolling-element defect
    repeats at 2xBSF, whose harmonics are listed, so higher BSF multiples would only double them.

    Parameters
    ----------
    lines_hz : Mapping of str to float
        The lines of :class:`BearingLines` (keys of :data:`LINE_NAMES`), Hz.
    fmax_hz : float
        Highest frequency of interest, Hz (harmonics up to 5 % above it are listed).

    Returns
    -------
    list of (str, float)
        Name (``"3xBPFO"``) and frequency in Hz of each candidate.

    Examples
    --------
    >>> [name for name, _ in line_candidates({"shaft": 30.0, "ftf": 12.0, "bsf": 70.0,
    ...     "2bsf": 140.0, "bpfo": 107.0, "bpfi": 162.0}, 100.0)]
    ['BPFO', 'BPFI', '2xBSF', 'BSF', 'shaft', '2xshaft', '3xshaft', 'FTF', '2xFTF', '3xFTF']
    """
    out: list[tuple[str, float]] = []
    for key in ("bpfo", "bpfi", "2bsf", "bsf", "shaft", "ftf"):
        base = lines_hz[key]
        top = {"ftf": 3, "bsf": 1}.get(key, max(1, math.floor(fmax_hz * 1.05 / base)))
        for h in range(1, top + 1):
            name = LINE_NAMES[key]
            out.append((name if h == 1 else f"{h}x{name}", h * base))
    return out


def nearest_line(
    freq_hz: float, candidates: Sequence[tuple[str, float]], resolution_hz: float
) -> LineMatch:
    """The candidate within tolerance of ``freq_hz``, else the nearest one (no match).

    The tolerance is two bins, widened to :data:`MATCH_FRACTION` of the line for bearing lines
    (slip; shaft harmonics are exact at the given speed). A peak within tolerance of several
    candidates is ambiguous: it names all of them, nearest first, and claims no match. That
    happens where lines coincide (2xBPFI and 3xBPFO of a 6205 lie within 1 %) and on short
    records, whose coarse resolution widens every tolerance.

    Parameters
    ----------
    freq_hz : float
        Peak frequency, Hz.
    candidates : sequence of (str, float)
        Named lines (see :func:`line_candidates`), Hz; not empty.
    resolution_hz : float
        Bin spacing of the spectrum, Hz.

    Returns
    -------
    LineMatch
        The line named and whether the peak matches it.

    Examples
    --------
    >>> lines = [("2xBPFI", 324.4), ("3xBPFO", 322.1), ("BPFI", 162.2)]
    >>> nearest_line(161.8, lines, 0.1).match, nearest_line(323.0, lines, 0.1).label
    (True, '3xBPFO or 2xBPFI')
    """
    if not candidates:
        raise ConfigError("nearest_line: no candidate lines")

    def distance(c: tuple[str, float]) -> float:
        return abs(freq_hz - c[1])

    def tolerance(c: tuple[str, float]) -> float:
        slip = 0.0 if c[0].endswith("shaft") else MATCH_FRACTION * c[1]
        return max(2.0 * resolution_hz, slip)

    close = sorted((c for c in candidates if distance(c) <= tolerance(c)), key=distance)
    if len(close) > 1:
        label = " or ".join(c[0] for c in close)
        return LineMatch(label, close[0][1], freq_hz - close[0][1], False)
    label, line = min(close or candidates, key=distance)
    return LineMatch(label, line, freq_hz - line, bool(close))
