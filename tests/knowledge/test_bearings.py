"""Bearing defect frequencies against CWRU's published multiples and the kinematic identities."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openphm.core import BearingGeometry, ConfigError
from openphm.knowledge.bearings import fault_frequencies, fault_frequencies_hz

# CWRU Bearing Data Center, "Bearing information": geometry in inches, defect frequencies as
# multiples of running speed.
SKF_6205 = BearingGeometry(9, 0.3126, 1.537, designation="6205-2RS JEM SKF")
SKF_6203 = BearingGeometry(8, 0.2656, 1.122, designation="6203-2RS JEM SKF")
CWRU_PUBLISHED = {
    SKF_6205: {"bpfi": 5.4152, "bpfo": 3.5848, "ftf": 0.39828, "two_bsf": 4.7135},
    SKF_6203: {"bpfi": 4.9469, "bpfo": 3.0530, "ftf": 0.3817, "two_bsf": 3.9874},
}


def _decimals(value: float) -> int:
    text = repr(value)
    return len(text.split(".")[1]) if "." in text else 0


@pytest.mark.parametrize(
    ("geometry", "name", "published"),
    [(g, k, v) for g, table in CWRU_PUBLISHED.items() for k, v in table.items()],
)
def test_reproduces_cwru_multiples(geometry: BearingGeometry, name: str, published: float) -> None:
    """Every published multiple agrees to within 2e-4 relative (at most 3 units of its last digit).

    CWRU's table is not self-consistent at its last digit: for the 6205 BPFO/FTF = 9.0007 and for
    the 6203 BPFI + BPFO = 7.9999 and BPFO/FTF = 7.9984, where the kinematics demand exactly 9,
    8 and 8. No single geometry reproduces every digit, so the exact formula is held to the
    table within 2e-4 relative, and to the last digit wherever the table is consistent.
    """
    computed = getattr(fault_frequencies(geometry), name)
    assert computed == pytest.approx(published, rel=2e-4)


@pytest.mark.parametrize(
    ("geometry", "name"),
    [(SKF_6205, "bpfi"), (SKF_6205, "bpfo"), (SKF_6203, "bpfi")],
)
def test_consistent_cwru_values_match_to_every_published_digit(
    geometry: BearingGeometry, name: str
) -> None:
    published = CWRU_PUBLISHED[geometry][name]
    computed = getattr(fault_frequencies(geometry), name)
    assert round(computed, _decimals(published)) == published


def test_cwru_table_is_internally_inconsistent_at_its_last_digit() -> None:
    t5, t3 = CWRU_PUBLISHED[SKF_6205], CWRU_PUBLISHED[SKF_6203]
    assert t5["bpfo"] / t5["ftf"] != pytest.approx(9.0, abs=1e-4)
    assert t3["bpfi"] + t3["bpfo"] != pytest.approx(8.0, abs=1e-5)


def test_frequencies_in_hz_at_cwru_speed() -> None:
    hz = fault_frequencies_hz(SKF_6205, rpm=1797)
    assert hz["shaft"] == pytest.approx(29.95)
    assert hz["bpfi"] == pytest.approx(162.19, abs=0.01)
    assert hz["bpfo"] == pytest.approx(107.36, abs=0.01)
    assert hz["2bsf"] == pytest.approx(2 * hz["bsf"])


@pytest.mark.parametrize("rpm", [0.0, -10.0, math.nan, math.inf])
def test_bad_speed_is_rejected(rpm: float) -> None:
    with pytest.raises(ConfigError, match="r/min"):
        fault_frequencies_hz(SKF_6205, rpm)


def test_contact_angle_enters_through_cos() -> None:
    """An angular-contact bearing equals a radial one with d cos(a) in place of d (except BSF)."""
    angled = fault_frequencies(BearingGeometry(12, 10.0, 50.0, contact_angle_deg=40.0))
    r = 10.0 / 50.0 * math.cos(math.radians(40.0))
    assert angled.ftf == pytest.approx(0.5 * (1 - r))
    assert angled.bpfi == pytest.approx(6 * (1 + r))
    assert angled.bsf == pytest.approx(50.0 / 20.0 * (1 - r * r))


geometries = st.builds(
    lambda n, ratio, pitch, angle: BearingGeometry(n, ratio * pitch, pitch, angle),
    st.integers(3, 40),
    st.floats(0.02, 0.45),
    st.floats(5.0, 2000.0),
    st.floats(0.0, 45.0),
)


@settings(max_examples=60, deadline=None)
@given(geometries)
def test_kinematic_identities(g: BearingGeometry) -> None:
    f = fault_frequencies(g)
    assert f.bpfo + f.bpfi == pytest.approx(g.n_rolling)
    assert f.bpfo == pytest.approx(g.n_rolling * f.ftf)
    assert 0.0 < f.ftf < 0.5 < f.bpfo < f.bpfi
    assert f.two_bsf == pytest.approx(2 * f.bsf)


@settings(max_examples=60, deadline=None)
@given(geometries)
def test_a_turning_outer_ring_changes_only_the_cage_frequency(g: BearingGeometry) -> None:
    inner, outer = fault_frequencies(g), fault_frequencies(g, "outer")
    assert outer.rotating_ring == "outer" and inner.rotating_ring == "inner"
    assert (outer.bsf, outer.bpfo, outer.bpfi) == pytest.approx((inner.bsf, inner.bpfo, inner.bpfi))
    # The cage follows the turning ring: (1 + r)/2 of the outer ring's speed, so that the
    # stationary inner race is passed n times per cage revolution.
    assert outer.ftf == pytest.approx(1.0 - inner.ftf)
    assert outer.bpfi == pytest.approx(g.n_rolling * outer.ftf)
    assert 0.5 < outer.ftf < 1.0


def test_unknown_rotating_ring_is_rejected() -> None:
    with pytest.raises(ConfigError, match="rotating_ring"):
        fault_frequencies(BearingGeometry(9, 7.94, 39.04), "cage")


@settings(max_examples=40, deadline=None)
@given(geometries, st.floats(0.01, 100.0))
def test_only_the_diameter_ratio_matters(g: BearingGeometry, scale: float) -> None:
    scaled = BearingGeometry(
        g.n_rolling, g.rolling_diameter_mm * scale, g.pitch_diameter_mm * scale, g.contact_angle_deg
    )
    a, b = fault_frequencies(g), fault_frequencies(scaled)
    assert (a.ftf, a.bsf, a.bpfo, a.bpfi) == pytest.approx((b.ftf, b.bsf, b.bpfo, b.bpfi))
