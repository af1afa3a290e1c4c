"""The HTML report of a diagnosis."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np

from openphm.diagnose import diagnose_bearing
from openphm.diagnose.report import render_report
from tests.diagnose.test_bearing import OTHER_BEARING
from tests.helpers.bearing_sim import simulate_bearing


def test_report_lists_the_unexplained_series() -> None:
    w = simulate_bearing("outer", rng=np.random.default_rng(0), snr_db=-5.0, orders=OTHER_BEARING)
    d = diagnose_bearing(w, "6205")
    page = render_report(w, d)
    assert d.unexplained is not None
    assert "<td>unexplained</td><td>1xS</td>" in page
    assert page.count("data:image/png;base64,") >= 3


def test_band_without_cursors_draws_no_empty_legend() -> None:
    """A spectrum in a band where no fault was scored has no labelled cursors: no legend warning."""
    w = simulate_bearing("healthy", rng=np.random.default_rng(1))
    d = diagnose_bearing(w, "6205")
    full = max(d.bands_hz, key=lambda b: b[1] - b[0])
    d = dataclasses.replace(
        d, evidence=tuple(dataclasses.replace(ev, band_hz=full) for ev in d.evidence)
    )
    assert len(d.bands_hz) > 1 and d.unexplained is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        page = render_report(w, d)
    assert page.count("data:image/png;base64,") >= 3


def test_report_shows_the_verdict_lines_close_up() -> None:
    w = simulate_bearing("inner", rng=np.random.default_rng(2), snr_db=-5.0)
    d = diagnose_bearing(w, "6205")
    assert d.verdict == "inner"
    assert "Close-up of the inner lines" in render_report(w, d)
    healthy = simulate_bearing("healthy", rng=np.random.default_rng(2))
    assert "Close-up" not in render_report(healthy, diagnose_bearing(healthy, "6205"))
