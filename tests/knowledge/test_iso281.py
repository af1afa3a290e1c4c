"""ISO 281:2007 rating life against published values, the standard's tables and its limits."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openphm.core import ConfigError
from openphm.knowledge.iso281 import (
    AISO_CAP,
    basic_rating_life_mrev,
    contamination_factor_guide,
    equivalent_load_deep_groove,
    estimate_fatigue_load_limit_ball,
    life_modification_factor_aiso,
    modified_rating_life,
    rating_life_hours,
    reference_viscosity_nu1,
    reliability_factor_a1,
    viscosity_ratio,
)

# ISO 281:2007 Table 12 (life modification factor for reliability).
A1_TABLE = {
    90: 1.0,
    95: 0.64,
    96: 0.55,
    97: 0.47,
    98: 0.37,
    99: 0.25,
    99.2: 0.22,
    99.4: 0.19,
    99.6: 0.16,
    99.8: 0.12,
    99.9: 0.093,
    99.92: 0.087,
    99.94: 0.080,
    99.95: 0.077,
}


def test_skf_worked_example_6309() -> None:
    """SKF "Rolling bearings" (17000 EN), Example 1: SKF Explorer 6309, C = 55.3 kN, purely
    radial Fr = 10 kN at 3000 r/min: L10 = 169 million revolutions, L10h = 940 operating hours."""
    l10 = basic_rating_life_mrev(55.3, 10.0, "ball")
    assert round(l10) == 169
    assert round(rating_life_hours(l10, 3000), -1) == 940
    assert round(rating_life_hours(169, 3000), -1) == 940


def test_roller_exponent() -> None:
    assert basic_rating_life_mrev(20.0, 10.0, "roller") == pytest.approx(2 ** (10 / 3))
    assert basic_rating_life_mrev(10.0, 10.0, "roller") == pytest.approx(1.0)


@pytest.mark.parametrize(("c", "p", "kind"), [(0, 1, "ball"), (1, -1, "ball"), (1, 1, "needle")])
def test_basic_life_rejects_bad_input(c: float, p: float, kind: str) -> None:
    with pytest.raises(ConfigError):
        basic_rating_life_mrev(c, p, kind)


def test_hours_conversion() -> None:
    assert rating_life_hours(60.0, 1000.0) == pytest.approx(1000.0)
    with pytest.raises(ConfigError, match="speed"):
        rating_life_hours(1.0, 0.0)
    with pytest.raises(ConfigError, match="life"):
        rating_life_hours(-1.0, 100.0)


@pytest.mark.parametrize(("reliability", "a1"), sorted(A1_TABLE.items()))
def test_a1_table_points(reliability: float, a1: float) -> None:
    assert reliability_factor_a1(reliability) == a1


@pytest.mark.parametrize(("reliability", "a1"), sorted(A1_TABLE.items()))
def test_a1_table_follows_the_weibull_model_of_iso_tr_1281_2(reliability: float, a1: float) -> None:
    model = 0.95 * (math.log(100 / reliability) / math.log(100 / 90)) ** (2 / 3) + 0.05
    assert a1 == pytest.approx(model, abs=0.005)


def test_a1_interpolates_between_points() -> None:
    assert reliability_factor_a1(99.1) == pytest.approx(0.235)
    values = [reliability_factor_a1(r) for r in np.linspace(90, 99.95, 200)]
    assert all(a >= b for a, b in itertools.pairwise(values))


@pytest.mark.parametrize("reliability", [89.9, 99.96, 100.0, math.nan])
def test_a1_outside_the_table_is_rejected(reliability: float) -> None:
    with pytest.raises(ConfigError, match="reliability"):
        reliability_factor_a1(reliability)


def test_reference_viscosity_both_speed_forms() -> None:
    assert reference_viscosity_nu1(100.0, 3600.0) == pytest.approx(4500 / 600.0)
    assert reference_viscosity_nu1(100.0, 100.0) == pytest.approx(45000 * 100**-0.83 / 10)
    below, above = reference_viscosity_nu1(72.5, 999.999), reference_viscosity_nu1(72.5, 1000.0)
    assert below == pytest.approx(above, rel=0.03)
    with pytest.raises(ConfigError):
        reference_viscosity_nu1(0.0, 100.0)


def test_viscosity_ratio() -> None:
    assert viscosity_ratio(20.0, 8.15) == pytest.approx(2.454, abs=1e-3)
    with pytest.raises(ConfigError):
        viscosity_ratio(-1.0, 8.0)


@pytest.mark.parametrize("kind", ["ball", "roller"])
def test_aiso_limits(kind: str) -> None:
    assert life_modification_factor_aiso(0.0, 2.0, kind) == pytest.approx(0.1)
    assert life_modification_factor_aiso(5.0, 4.0, kind) == AISO_CAP
    assert life_modification_factor_aiso(0.2, 10.0, kind) == life_modification_factor_aiso(
        0.2, 4.0, kind
    )
    assert life_modification_factor_aiso(0.3, 0.1, kind) == pytest.approx(0.1, abs=0.01)
    with pytest.raises(ConfigError, match=r"below 0\.1"):
        life_modification_factor_aiso(0.2, 0.099, kind)


@pytest.mark.parametrize("kind", ["ball", "roller"])
@pytest.mark.parametrize("edge", [0.4, 1.0])
def test_aiso_is_continuous_across_the_kappa_ranges(kind: str, edge: float) -> None:
    for load in (0.01, 0.1, 0.5):
        left = life_modification_factor_aiso(load, edge - 1e-9, kind)
        right = life_modification_factor_aiso(load, edge, kind)
        assert left == pytest.approx(right, rel=1e-3)


def test_aiso_of_ball_bearing_at_kappa_one() -> None:
    # At kappa = 1 the kappa term is 2.5671 - 1.9987 = 0.5684.
    x = 0.1
    expected = 0.1 * (1 - 0.5684**0.83 * x ** (1 / 3)) ** -9.3
    assert life_modification_factor_aiso(x, 1.0, "ball") == pytest.approx(expected)


def test_aiso_roller_differs_from_ball() -> None:
    ball = life_modification_factor_aiso(0.1, 1.0, "ball")
    roller = life_modification_factor_aiso(0.1, 1.0, "roller")
    expected = 0.1 * (1 - (1.5859 - 1.2348) * 0.1**0.4) ** -9.185
    assert roller == pytest.approx(expected)
    assert roller != pytest.approx(ball)


def test_aiso_rejects_bad_input() -> None:
    with pytest.raises(ConfigError, match="radial"):
        life_modification_factor_aiso(0.1, 1.0, "thrust_ball")
    with pytest.raises(ConfigError, match="eC Cu/P"):
        life_modification_factor_aiso(-0.1, 1.0)


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["ball", "roller"]),
    st.floats(0.0, 2.0),
    st.floats(0.0, 2.0),
    st.floats(0.1, 6.0),
    st.floats(0.1, 6.0),
)
def test_aiso_grows_with_cleanliness_and_lubrication(
    kind: str, x1: float, x2: float, k1: float, k2: float
) -> None:
    lo_x, hi_x = sorted((x1, x2))
    lo_k, hi_k = sorted((k1, k2))
    a = life_modification_factor_aiso(lo_x, lo_k, kind)
    assert 0.1 - 1e-9 <= a <= AISO_CAP
    assert life_modification_factor_aiso(hi_x, lo_k, kind) >= a - 1e-9
    assert life_modification_factor_aiso(lo_x, hi_k, kind) >= a - 1e-9


def test_modified_life_without_lubrication_data_is_a1_l10() -> None:
    life = modified_rating_life(55.3, 10.0, reliability_pct=99)
    assert life.a_iso is None
    assert life.lnm_mrev == pytest.approx(0.25 * life.l10_mrev)


def test_modified_life_with_lubrication_data() -> None:
    life = modified_rating_life(
        55.3, 10.0, kappa=2.45, contamination_factor=0.8, fatigue_load_limit=1.34
    )
    expected = life_modification_factor_aiso(0.8 * 1.34 / 10.0, 2.45)
    assert life.a_iso == pytest.approx(expected)
    assert life.lnm_mrev == pytest.approx(expected * life.l10_mrev)


def test_modified_life_needs_all_three_lubrication_inputs() -> None:
    with pytest.raises(ConfigError, match="together"):
        modified_rating_life(55.3, 10.0, kappa=2.0)
    with pytest.raises(ConfigError, match="between 0 and 1"):
        modified_rating_life(55.3, 10.0, kappa=2.0, contamination_factor=1.5, fatigue_load_limit=1)


def test_ep_additive_rule() -> None:
    plain = modified_rating_life(
        55.3, 10.0, kappa=0.5, contamination_factor=0.5, fatigue_load_limit=1.34
    )
    ep = modified_rating_life(
        55.3,
        10.0,
        kappa=0.5,
        contamination_factor=0.5,
        fatigue_load_limit=1.34,
        ep_additives=True,
    )
    assert ep.kappa == 1.0
    assert plain.a_iso is not None and ep.a_iso is not None
    assert plain.a_iso < ep.a_iso <= 3.0
    at_one = life_modification_factor_aiso(0.5 * 1.34 / 10.0, 1.0)
    assert ep.a_iso == pytest.approx(min(at_one, 3.0))
    dirty = modified_rating_life(
        55.3, 10.0, kappa=0.5, contamination_factor=0.1, fatigue_load_limit=1.34, ep_additives=True
    )
    assert dirty.kappa == 0.5


def test_equivalent_load_small_axial_load_is_pure_radial() -> None:
    q = equivalent_load_deep_groove(fr=10.0, fa=1.0, c0=31.5, f0=13.0)
    assert (q.p, q.x, q.y) == (10.0, 1.0, 0.0)


@pytest.mark.parametrize(
    ("relative", "e", "y"),
    [(0.172, 0.19, 2.30), (1.03, 0.28, 1.55), (3.45, 0.38, 1.15), (6.89, 0.44, 1.00)],
)
def test_equivalent_load_table_rows(relative: float, e: float, y: float) -> None:
    c0, f0 = 10.0, 10.0
    fa = relative * c0 / f0
    q = equivalent_load_deep_groove(fr=fa / (2 * e), fa=fa, c0=c0, f0=f0)
    assert (q.e, q.y, q.x) == pytest.approx((e, y, 0.56))
    assert q.p == pytest.approx(0.56 * fa / (2 * e) + y * fa)


def test_equivalent_load_interpolates_and_limits() -> None:
    q = equivalent_load_deep_groove(fr=1.0, fa=1.205, c0=10.0, f0=10.0)  # halfway 1.03 -> 1.38
    assert q.e == pytest.approx(0.29) and q.y == pytest.approx(1.50)
    axial_only = equivalent_load_deep_groove(fr=0.0, fa=1.0, c0=10.0, f0=10.0)
    assert axial_only.p == pytest.approx(axial_only.y)
    with pytest.raises(ConfigError, match="exceeds"):
        equivalent_load_deep_groove(fr=1.0, fa=7.0, c0=10.0, f0=10.0)
    with pytest.raises(ConfigError, match="zero"):
        equivalent_load_deep_groove(fr=0.0, fa=0.0, c0=10.0, f0=10.0)


def test_fatigue_load_limit_estimate_is_near_skf_pu() -> None:
    assert estimate_fatigue_load_limit_ball(31.5, 72.5) == pytest.approx(1.34, rel=0.1)
    assert estimate_fatigue_load_limit_ball(22.0, 400.0) == pytest.approx(0.5)


def test_contamination_guide() -> None:
    assert contamination_factor_guide("high cleanliness", 50.0) == (0.6, 0.8)
    assert contamination_factor_guide("High_Cleanliness", 150.0) == (0.8, 0.9)
    with pytest.raises(ConfigError, match="unknown"):
        contamination_factor_guide("dusty", 50.0)
