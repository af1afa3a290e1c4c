"""The HTML report of a diagnosis."""

from __future__ import annotations

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
