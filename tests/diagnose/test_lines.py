"""Naming envelope peaks after bearing lines: candidates, tolerance, ambiguity."""

from __future__ import annotations

import pickle

import pytest

from openphm.core.errors import ConfigError
from openphm.diagnose.lines import (
    BearingLines,
    LineMatch,
    bearing_lines,
    line_candidates,
    nearest_line,
)


def test_bearing_lines_of_the_cwru_drive_end_bearing() -> None:
    lines = bearing_lines("6205", 1797.0 / 60.0)
    assert lines.lines_hz["shaft"] == pytest.approx(29.95)
    assert lines.lines_hz["bpfi"] == pytest.approx(162.19, abs=0.01)
    assert lines.lines_hz["bpfo"] == pytest.approx(107.36, abs=0.01)
    outer = bearing_lines("6205", 1.0, rotating_ring="outer")
    assert outer.lines_hz["ftf"] == pytest.approx(0.6017, abs=1e-4)
    assert BearingLines.from_dict(lines.to_dict()) == lines
    assert pickle.loads(pickle.dumps(lines)) == lines


def test_bearing_lines_errors() -> None:
    with pytest.raises(ConfigError, match="no internal geometry for 6309"):
        bearing_lines("6309", 25.0)
    with pytest.raises(ConfigError, match="speed must be > 0"):
        bearing_lines("6205", 0.0)


def test_candidates_stop_cage_and_spin_harmonics() -> None:
    lines = bearing_lines("6205", 29.95).lines_hz
    names = [name for name, _ in line_candidates(lines, 500.0)]
    assert "3xFTF" in names and "4xFTF" not in names
    assert "BSF" in names and "2xBSF" in names and "2x2xBSF" in names
    assert not [n for n in names if n.endswith("xBSF") and not n.endswith("2xBSF")]
    assert "4xBPFO" in names  # 4 x 107.4 = 429.4 Hz < 500 Hz
    assert "16xshaft" in names  # up to 5 % above the top


def test_a_peak_near_several_lines_is_ambiguous_not_matched() -> None:
    lines = [("2xBPFI", 324.4), ("3xBPFO", 322.1), ("BPFI", 162.2)]
    coincident = nearest_line(323.0, lines, resolution_hz=0.1)
    assert (coincident.label, coincident.match) == ("3xBPFO or 2xBPFI", False)  # nearest first
    clear = nearest_line(161.8, lines, resolution_hz=0.1)
    assert clear == LineMatch("BPFI", 162.2, pytest.approx(-0.4), True)  # type: ignore[arg-type]
    coarse = nearest_line(240.0, [("8xshaft", 239.6), ("9xshaft", 269.6)], resolution_hz=20.0)
    assert (coarse.label, coarse.match) == ("8xshaft or 9xshaft", False)


def test_shaft_harmonics_are_exact_bearing_lines_may_slip() -> None:
    lines = [("BPFO", 100.0), ("3xshaft", 90.0)]
    assert nearest_line(98.5, lines, resolution_hz=0.1).match  # 1.5 % slip
    off_shaft = nearest_line(91.0, lines, resolution_hz=0.1)
    assert (off_shaft.label, off_shaft.match) == ("3xshaft", False)
    with pytest.raises(ConfigError):
        nearest_line(1.0, [], resolution_hz=0.1)
