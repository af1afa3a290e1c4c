"""The demo's pieces on the shipped excerpt (the whole run is tests/cli/test_demo.py)."""

from __future__ import annotations

from openphm.evaluate.demo import TrendPoint, femto_trend


def test_femto_trend_rises_to_failure() -> None:
    name, points = femto_trend()
    assert name == "Bearing1_1"
    assert [p.snapshot for p in points] == sorted(p.snapshot for p in points)
    assert points[-1].rms_g > 5 * points[0].rms_g
    assert TrendPoint.from_dict(points[0].to_dict()) == points[0]
