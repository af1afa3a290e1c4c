"""Bearing diagnosis without a known geometry (openphm.diagnose.geometry_free)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from openphm.acquire.datasets.cwru import cwru_records, read_cwru
from openphm.core.bearing import BearingGeometry
from openphm.core.diagnosis import Diagnosis
from openphm.core.errors import ConfigError, DataError, DataQualityWarning
from openphm.core.waveform import Recording, Waveform
from openphm.diagnose.geometry_free import (
    FAULT_CONFIDENCE_CAP,
    HEALTHY_CONFIDENCE_CAP,
    BearingRanges,
    diagnose_geometry_free,
    fitting_geometries,
    stored_fault_frequencies,
)
from openphm.knowledge.bearings import fault_frequencies
from openphm.pipeline.context import ProcessingContext
from openphm.pipeline.process import process
from tests.helpers.bearing_sim import simulate_bearing

#: Simulated geometries: two CWRU ball bearings, a roller bearing like a 22316 (13-15 rollers
#: of about a quarter of the pitch diameter, a small contact angle) and a tapered roller
#: bearing; test geometries for the simulator, not catalogue data.
GEOMETRIES = {
    "6205": BearingGeometry(9, 7.94004, 39.0398),
    "6203": BearingGeometry(8, 6.74624, 28.4988),
    "22316-like": BearingGeometry(14, 30.0, 130.0, 10.0),
    "tapered": BearingGeometry(15, 7.5, 41.0, 13.0),
}


def _orders(geometry: BearingGeometry) -> dict[str, float]:
    o = fault_frequencies(geometry)
    return {"outer": o.bpfo, "inner": o.bpfi, "ball": o.two_bsf, "cage": o.ftf}


@pytest.mark.parametrize("name", list(GEOMETRIES))
@pytest.mark.parametrize("fault", ["outer", "inner", "ball", "healthy"])
def test_simulated_faults_are_classified_without_geometry(name: str, fault: str) -> None:
    if name == "6203" and fault == "ball":
        pytest.skip("6203: 2xBSF = 3.99 orders, on the 4th shaft harmonic (see the docs' limits)")
    rng = np.random.default_rng(7)
    w = simulate_bearing(fault, rng=rng, orders=_orders(GEOMETRIES[name]), snr_db=-5.0)
    d = diagnose_geometry_free(w)
    assert d.verdict == fault
    assert d.bearing == ""
    assert any("WITHOUT the bearing's geometry" in r for r in d.reasons)
    if fault == "healthy":
        assert d.confidence <= HEALTHY_CONFIDENCE_CAP
        return
    assert d.confidence <= FAULT_CONFIDENCE_CAP
    ev = d.evidence_for(fault)  # type: ignore[arg-type]
    expected = _orders(GEOMETRIES[name])[fault]
    assert abs(ev.fault_hz / d.speed_hz - expected) < 0.02 * expected
    assert any("geometries that fit" in r for r in d.reasons)


def test_a_noise_record_stays_healthy_at_several_seeds() -> None:
    for seed in range(5):
        rng = np.random.default_rng(seed)
        w = Waveform(rng.normal(size=48000), 12000.0, speed_hz=25.0)
        assert diagnose_geometry_free(w).verdict == "healthy"


def test_the_result_round_trips_and_records_the_ranges() -> None:
    rng = np.random.default_rng(1)
    w = simulate_bearing("outer", rng=rng, orders=_orders(GEOMETRIES["6205"]))
    d = diagnose_geometry_free(w)
    assert Diagnosis.from_dict(d.to_dict()) == d
    assert d.settings["geometry_ranges"] == {
        "n_min": 6,
        "n_max": 30,
        "dd_min": 0.15,
        "dd_max": 0.35,
        "angle_max_deg": 40.0,
    }


def test_an_outer_ring_turning_swaps_the_races() -> None:
    orders = fault_frequencies(GEOMETRIES["6205"], "outer")
    o = {"outer": orders.bpfo, "inner": orders.bpfi, "ball": orders.two_bsf, "cage": orders.ftf}
    w = simulate_bearing("outer", rng=np.random.default_rng(3), orders=o, rotating_ring="outer")
    assert diagnose_geometry_free(w, rotating_ring="outer").verdict == "outer"


def test_errors_name_the_problem() -> None:
    w = Waveform(np.random.default_rng(0).normal(size=6000), 12000.0)
    with pytest.raises(DataError, match="too short"):
        diagnose_geometry_free(w, 29.95)
    with pytest.raises(DataError, match="all samples are equal"):
        diagnose_geometry_free(Waveform(np.ones(60000), 12000.0), 29.95)
    with pytest.raises(ConfigError, match="positive"):
        diagnose_geometry_free(w, -1.0)
    with pytest.raises(ConfigError, match="n_min <= n_max"):
        BearingRanges(n_min=20, n_max=10)


def test_order_ranges_follow_the_kinematics() -> None:
    g = BearingRanges()
    r_lo = g.r_range[0]
    assert r_lo == pytest.approx(0.15 * math.cos(math.radians(40.0)))
    assert g.order_range("outer") == pytest.approx((6 * (1 - 0.35) / 2, 30 * (1 - r_lo) / 2))
    assert g.order_range("inner") == pytest.approx((6 * (1 + r_lo) / 2, 30 * (1 + 0.35) / 2))
    assert g.order_range("cage", "outer")[0] > 0.5 > g.order_range("cage")[1]


def test_fitting_geometries_contain_the_true_one() -> None:
    for geometry in GEOMETRIES.values():
        o = fault_frequencies(geometry)
        r = geometry.rolling_diameter_mm / geometry.pitch_diameter_mm
        r *= math.cos(math.radians(geometry.contact_angle_deg))
        for fault, order in (("outer", o.bpfo), ("inner", o.bpfi)):
            fits = {f.n_rolling: f for f in fitting_geometries(fault, order)}
            assert geometry.n_rolling in fits
            assert fits[geometry.n_rolling].r == pytest.approx(r, rel=1e-6)
        ball = fitting_geometries("ball", o.two_bsf, ftf=o.ftf)
        assert len(ball) == 1 and ball[0].r == pytest.approx(r)
        dd = geometry.rolling_diameter_mm / geometry.pitch_diameter_mm
        assert ball[0].dd_range[0] == pytest.approx(dd)
    assert fitting_geometries("outer", 40.0) == ()


def test_stored_frequencies_in_hz_or_orders_become_orders() -> None:
    o = fault_frequencies(GEOMETRIES["6205"])
    hz = {"BPFO": o.bpfo * 29.95, "BPFI": o.bpfi * 29.95, "BSF": o.bsf * 29.95}
    found = stored_fault_frequencies({**hz, "bearing.FTF": f"{o.ftf * 29.95} Hz"})
    assert found is not None
    assert found.bpfo == pytest.approx(o.bpfo) and found.bsf == pytest.approx(o.bsf)
    in_orders = stored_fault_frequencies(
        {"bpfo": o.bpfo, "bpfi": o.bpfi, "bsf": o.bsf, "ftf": o.ftf}
    )
    assert in_orders is not None and in_orders.bpfi == pytest.approx(o.bpfi)
    assert stored_fault_frequencies(hz) is None
    with pytest.warns(DataQualityWarning, match="not a whole number"):
        assert stored_fault_frequencies({**hz, "FTF": 8.5}) is None


def test_the_pipeline_uses_stored_frequencies_else_no_geometry() -> None:
    rng = np.random.default_rng(2)
    w = simulate_bearing("outer", rng=rng, orders=_orders(GEOMETRIES["6205"]))
    ctx = ProcessingContext(stages=("diagnosis",))
    free = process(Recording((w,)), ctx).diagnoses
    assert free is not None and free.main.verdict == "outer"
    assert any("WITHOUT" in r for r in free.main.reasons)
    o = fault_frequencies(GEOMETRIES["6205"])
    meta = {"BPFO": o.bpfo, "BPFI": o.bpfi, "BSF": o.bsf, "FTF": o.ftf}
    stored = process(Recording((w,), metadata=meta), ctx).diagnoses
    assert stored is not None and stored.main.verdict == "outer"
    assert not any("WITHOUT" in r for r in stored.main.reasons)


def test_cwru_normal_baseline_stays_healthy(refdata: Path) -> None:
    info = next(r for r in cwru_records(refdata) if r.record == 97)
    assert info.path is not None
    wave = read_cwru(info.path, record=97)["DE"]
    d = diagnose_geometry_free(wave, wave.speed_hz)
    assert d.verdict == "healthy"


def test_cwru_inner_race_record_without_geometry(refdata: Path) -> None:
    info = next(r for r in cwru_records(refdata) if r.record == 169)
    assert info.path is not None
    wave = read_cwru(info.path, record=169)["DE"]
    d = diagnose_geometry_free(wave, wave.speed_hz)
    assert d.verdict == "inner"
    assert abs(d.evidence_for("inner").fault_hz / d.speed_hz - 5.415) < 0.03
