"""Gear diagnosis on simulated gearboxes with known answers, and on unknown trains."""

from __future__ import annotations

import numpy as np
import pytest

from openphm.core.diagnosis import Diagnosis
from openphm.core.errors import ConfigError, DataError
from openphm.core.waveform import Waveform
from openphm.diagnose.gear import (
    GearSettings,
    analyse_gears,
    common_teeth,
    diagnose_gear,
    diagnose_gears,
    learn_gear_baseline,
    unknown_train,
)
from openphm.diagnose.speed import SpeedTrack
from openphm.knowledge.gear_train import GearStage, GearTrain
from openphm.simulate.gearbox import GearFault, simulate_gearbox

TRAIN = GearTrain((GearStage("s1", "parallel", (23, 48), 1.0),))
PLANETARY = GearTrain((GearStage("p", "planetary", (15, 27, 69), 1.0, planets=4),))
FS, SPEED = 10000.0, 25.0


def _sim(
    train: GearTrain,
    seed: int,
    faults: list[GearFault] | None = None,
    snr: float = -10.0,
    dur: float = 6.0,
) -> Waveform:
    return simulate_gearbox(
        train, SPEED, FS, dur, np.random.default_rng(seed), faults=faults or [], snr_db=snr
    )


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_healthy_stays_healthy(seed: int) -> None:
    for train in (TRAIN, PLANETARY):
        d = diagnose_gear(_sim(train, seed), train)
        assert d.verdict == "healthy", d.reasons
        assert d.element == "gear"


@pytest.mark.parametrize("gear", ["s1 pinion", "s1 wheel"])
def test_local_tooth_fault_at_minus_10_db(gear: str) -> None:
    d = diagnose_gear(_sim(TRAIN, 5, [GearFault(gear, "tooth", 2.0)]), TRAIN)
    assert (d.verdict, d.bearing) == ("tooth", gear)
    assert d.scores["tooth"] >= 3.0
    tooth = d.evidence[0]
    assert tooth.fault == "tooth"
    assert any(p.kind == "sideband" for p in tooth.peaks)


@pytest.mark.parametrize("gear", ["p sun", "p planet", "p ring"])
def test_planetary_tooth_faults(gear: str) -> None:
    d = diagnose_gear(_sim(PLANETARY, 7, [GearFault(gear, "tooth", 3.0)], dur=10.0), PLANETARY)
    assert (d.verdict, d.bearing) == ("tooth", gear)


def test_tooth_angle_is_found() -> None:
    fault = GearFault("s1 pinion", "tooth", 3.0, tooth_angle=0.6)
    a = {x.member.name: x for x in analyse_gears(_sim(TRAIN, 3, [fault], snr=10.0), TRAIN)}
    # The impact rings just after the tooth: within a few teeth of it.
    assert abs(a["s1 pinion"].tooth_angle_rev - 0.6) < 4 / 23


def test_distributed_wear_against_a_baseline() -> None:
    baseline = learn_gear_baseline([_sim(TRAIN, 10), _sim(TRAIN, 11)], TRAIN)
    worn = _sim(TRAIN, 12, [GearFault("s1 wheel", "distributed", 1.0)])
    d = diagnose_gear(worn, TRAIN, baseline=baseline)
    assert d.verdict == "distributed"
    assert d.bearing.startswith("s1")
    assert set(baseline.sideband_mean_db) == {"s1 pinion", "s1 wheel"}
    assert any("sideband level factor" in r for r in d.reasons)
    no_base = diagnose_gear(worn, TRAIN)
    assert no_base.verdict != "distributed"
    assert any("no healthy baseline" in r for r in no_base.reasons)


def test_one_diagnosis_per_gear_and_round_trip() -> None:
    per = diagnose_gears(_sim(TRAIN, 0), TRAIN)
    assert set(per) == {"s1 pinion", "s1 wheel"}
    d = per["s1 wheel"]
    assert Diagnosis.from_dict(d.to_dict()) == d
    assert d.speed_ratio == pytest.approx(23 / 48)
    assert d.provenance is not None and d.provenance.settings_type == "GearSettings"


def test_unknown_train_finds_mesh_and_shafts() -> None:
    # A damaged tooth spreads sidebands at its shaft rate: a rahmonic family.
    fault = [GearFault("s1 pinion", "tooth", 3.0)]
    w = _sim(TRAIN, 0, fault, snr=10.0)
    mesh, shafts = unknown_train(w)
    assert mesh == pytest.approx(575.0, rel=2e-3)
    assert 23 in {m.teeth for m in shafts}
    assert 23 in common_teeth([w, _sim(TRAIN, 1, fault, snr=10.0)])
    d = diagnose_gear(_sim(TRAIN, 2, [GearFault("s1 pinion", "tooth", 3.0)], snr=0.0), None)
    assert d.verdict == "tooth"
    assert "unknown train" in d.speed_source


def test_speed_estimated_from_the_mesh_when_not_given() -> None:
    w = _sim(TRAIN, 0, [GearFault("s1 wheel", "tooth", 3.0)], snr=0.0)
    bare = Waveform(w.samples, w.fs)  # no speed stated
    d = diagnose_gear(bare, TRAIN)
    assert d.speed_hz == pytest.approx(SPEED, rel=2e-3)
    assert "estimated" in d.speed_source
    assert (d.verdict, d.bearing) == ("tooth", "s1 wheel")


def test_varying_speed_through_a_track() -> None:
    """A record whose speed drifts 5 %: averaged along the tachometer, a shaft not measured
    (the wheel) through the train's ratio."""
    fs, dur = 10000.0, 6.0
    t = np.arange(int(fs * dur)) / fs
    speed = SPEED * (1.0 + 0.05 * t / dur)
    angle = np.cumsum(speed) / fs  # reference shaft turns
    wheel_angle = angle * 23 / 48
    x = np.cos(2 * np.pi * 23 * angle)
    near = np.abs(np.mod(wheel_angle - 0.3 + 0.5, 1.0) - 0.5) * 48 < 0.5
    x = x + 3.0 * near * np.cos(2 * np.pi * 240.0 * wheel_angle)  # locked to the tooth
    x = x + np.random.default_rng(0).normal(0.0, 0.5, t.size)
    pulses = np.interp(np.arange(1, int(angle[-1])), angle, t)
    track = SpeedTrack(tacho_pulses_s=pulses)
    per = diagnose_gears(Waveform(x, fs), TRAIN, track=track)
    assert per["s1 wheel"].verdict == "tooth"
    assert "order-tracked" in per["s1 wheel"].speed_source
    with pytest.raises(ConfigError, match="not both"):
        diagnose_gears(Waveform(x, fs), TRAIN, 25.0, track=track)


def test_errors() -> None:
    short = _sim(TRAIN, 0, dur=0.2)
    with pytest.raises(DataError, match="no gear can be assessed"):
        diagnose_gear(short, TRAIN)
    with pytest.raises(ConfigError):
        GearSettings(threshold=-1.0)


def test_report_gear_section() -> None:
    from openphm.diagnose.report import render_gear_section, render_report

    w = _sim(TRAIN, 5, [GearFault("s1 wheel", "tooth", 2.0)])
    gears = diagnose_gears(w, TRAIN)
    section = render_gear_section(w, gears, TRAIN)
    assert "<h2>Gears</h2>" in section and "s1 wheel" in section
    assert "data:image/png;base64," in section
    assert render_gear_section(w, {}, TRAIN) == ""
    from openphm.diagnose.bearing import diagnose_bearing

    page = render_report(w, diagnose_bearing(w, "6205", 25.0), gears_html=section)
    assert section in page
