"""Machine profiles: the shipped files load and are physically consistent; bad files are refused."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from openphm.core.errors import ConfigError
from openphm.knowledge.catalogue import ENV_VAR, get_bearing
from openphm.knowledge.profiles import (
    MachineProfile,
    RegimeSpec,
    list_profiles,
    load_profile,
    parse_profile,
)

SHIPPED = list_profiles()
EXPECTED = {
    "afc_drive",
    "cwru_rig",
    "electric_motor",
    "hydraulic_roof_support",
    "shearer_haulage",
    "shearer_ranging_arm",
    "tbm_main_drive",
    "vertical_shaft_boring_machine",
    "wind_turbine",
}

MINIMAL = """
name = "{name}"
title = "Test fan"
description = "A fan for the tests."

[reference]
shaft = "rotor"
speed_rpm = 1200.0

[[components]]
name = "rotor"
kind = "shaft"
speed_ratio = 1.0

[[components]]
name = "de"
kind = "bearing"
designation = "6205"
speed_ratio = 1.0

[[points]]
name = "DE"
sensor = "accelerometer"
direction = "radial"
unit = "g"
sampling_rate_hz = 25600.0
hears = ["de"]
"""


@pytest.fixture(autouse=True)
def _no_user_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- shipped profiles


def test_every_kind_of_equipment_has_a_profile() -> None:
    assert set(SHIPPED) >= EXPECTED


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_profile_loads_and_round_trips(name: str) -> None:
    profile = load_profile(name)
    assert isinstance(profile, MachineProfile)
    assert profile.name == name and profile.title and profile.description
    assert parse_profile(profile.to_dict(), origin=profile.origin) == profile


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_bearings_resolve_or_are_examples_with_a_geometry(name: str) -> None:
    for c in load_profile(name).components:
        if c.kind != "bearing":
            continue
        if c.designation:
            try:
                get_bearing(c.designation)
            except ConfigError:
                assert c.example and c.geometry is not None, c
        else:
            assert c.example and c.geometry is not None, c
        # Every bearing can be diagnosed: its geometry comes from the profile or the catalogue.
        assert c.bearing_geometry().n_rolling >= 1


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_gears_are_physically_consistent(name: str) -> None:
    profile = load_profile(name)
    for c in profile.components:
        if c.gear_type == "planetary":
            sun, planet, ring = c.teeth
            assert ring == sun + 2 * planet, f"{c.name}: planets do not fit between sun and ring"
            assert (sun + ring) % c.planets == 0, f"{c.name}: planets cannot be equally spaced"
        if c.kind == "gear":
            assert c.mesh_order is not None and c.mesh_order > 0
    turning = [c for c in profile.components if c.speed_ratio is not None]
    assert all(c.speed_ratio is not None and c.speed_ratio > 0 for c in turning)
    if turning:
        assert profile.reference_shaft is not None and profile.typical_speed_hz is not None
        assert profile.component(profile.reference_shaft).speed_ratio == 1.0


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_points_hear_existing_components(name: str) -> None:
    profile = load_profile(name)
    for p in profile.points:
        assert profile.heard_by(p.name)
        assert p.sampling_rate_hz > 0


def test_cwru_rig_matches_the_data_center() -> None:
    rig = load_profile("cwru_rig")
    assert rig.typical_speed_hz == pytest.approx(1797.0 / 60.0)
    assert rig.component("de_bearing").bearing_geometry().n_rolling == 9  # 6205: 9 balls
    assert rig.component("fe_bearing").bearing_geometry().n_rolling == 8  # 6203: 8 balls
    assert [p.name for p in rig.points] == ["DE", "FE", "BA"]
    assert {p.sampling_rate_hz for p in rig.points} == {12000.0}
    assert rig.severity is not None and rig.severity.zone(1.0).letter == "B"  # class I
    assert rig.regimes.bin_of(rig.typical_speed_hz, 2.0) == (0, 2)


def test_wind_turbine_ratio_is_the_grc_gearbox() -> None:
    wt = load_profile("wind_turbine")
    # NREL GRC: overall ratio 1:81.491, planetary mesh at 99 orders of the rotor.
    assert wt.component("high_speed_shaft").speed_ratio == pytest.approx(81.491, abs=1e-3)
    assert wt.component("planetary_stage").mesh_order == pytest.approx(99.0)
    assert wt.component("planet_bearing").speed_ratio == pytest.approx(99.0 / 39.0)
    assert wt.component("planet_bearing").rotating_ring == "outer"


def test_hydraulic_support_is_scalar_telemetry_without_a_reference_shaft() -> None:
    support = load_profile("hydraulic_roof_support")
    assert support.reference_shaft is None and support.typical_speed_hz is None
    assert all(p.signal == "scalar" and p.sensor == "pressure" for p in support.points)
    assert not any(c.kind == "bearing" for c in support.components)
    assert support.regimes.bin_of(None, None) == (0, 0)


def test_gear_orders_follow_from_the_teeth() -> None:
    # Parallel 20/61 after a 17/43 bevel; planetary 19/26/71 sun in; a 7-tooth sprocket.
    afc = load_profile("afc_drive")
    spur = afc.component("spur_stage")
    assert spur.speed_ratio == pytest.approx(17 / 43)
    assert spur.mesh_order == pytest.approx(17 / 43 * 20)
    planetary = afc.component("planetary_stage")
    carrier = 17 / 43 * 20 / 61 * 19 / 90
    assert planetary.output_ratio == pytest.approx(carrier)
    assert planetary.mesh_order == pytest.approx(carrier * 71)
    assert afc.component("sprocket").mesh_order == pytest.approx(carrier * 7)


# --------------------------------------------------------------------------- user profiles


def test_user_directory_adds_and_overrides(tmp_path: Path) -> None:
    _write(tmp_path, "my_fan", MINIMAL.format(name="my_fan"))
    _write(tmp_path, "cwru_rig", MINIMAL.format(name="cwru_rig"))
    assert "my_fan" in list_profiles([tmp_path]) and "my_fan" not in list_profiles()
    assert load_profile("my_fan", [tmp_path]).title == "Test fan"
    assert load_profile("cwru_rig", [tmp_path]).title == "Test fan"
    assert load_profile("cwru_rig").title == "CWRU bearing test rig"
    assert list_profiles([tmp_path / "absent"]) == SHIPPED


def test_later_user_directory_wins(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    _write(first, "fan", MINIMAL.format(name="fan"))
    _write(second, "fan", MINIMAL.format(name="fan").replace("Test fan", "Second fan"))
    assert load_profile("fan", [first, second]).title == "Second fan"


def test_load_by_path(tmp_path: Path) -> None:
    path = _write(tmp_path, "fan", MINIMAL.format(name="fan"))
    profile = load_profile(path)
    assert profile.origin == str(path)
    assert profile.typical_speed_hz == pytest.approx(20.0)


def test_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(ConfigError, match=r"'no_such'.*cwru_rig"):
        load_profile("no_such")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('title = "Test fan"', 'title = "Test fan"\ncolour = "red"', r"unknown key.*'colour'"),
        ('title = "Test fan"\n', "", r"missing key 'title'"),
        ("speed_rpm = 1200.0", 'speed_rpm = "fast"', r"\[reference\]\.speed_rpm: must be a number"),
        (
            'hears = ["de"]',
            'hears = ["de", "nde"]',
            r"points\[0\] \('DE'\)\.hears: no component 'nde'",
        ),
        (
            'designation = "6205"\nspeed_ratio = 1.0',
            'designation = "6205"\nspeed_ratio = -2.0',
            r"components\[1\] \('de'\)\.speed_ratio: must be a finite number > 0",
        ),
        (
            'designation = "6205"\nspeed_ratio = 1.0',
            'designation = "6205"',
            r"components\[1\] \('de'\): missing key 'speed_ratio'",
        ),
        ('kind = "bearing"', 'kind = "bearings"', r"kind: 'bearings' is not one of"),
        ('unit = "g"', 'unit = "mm/s"', r"unit: 'mm/s' is no unit of a accelerometer"),
        ('shaft = "rotor"', 'shaft = "de"', r"\[reference\]\.shaft: 'de' must be a component"),
        ('designation = "6205"\n', "", r"a bearing needs a catalogue 'designation'"),
        ("sampling_rate_hz = 25600.0", "sampling_rate_hz = 0", r"sampling_rate_hz: must be"),
        (
            "speed_rpm = 1200.0",
            "speed_rpm = 1200.0\n[regimes]\nspeed_edges_rpm = [10, 5]",
            r"speed_edges_rpm: edges must increase",
        ),
        ('name = "fan"', 'name = "other"', r"'other' differs from the file's name 'fan'"),
        ('title = "Test fan"', 'title = "Test fan', r"not valid TOML"),
    ],
)
def test_broken_user_file_names_the_file_and_the_key(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    text = MINIMAL.format(name="fan")
    assert old in text
    path = _write(tmp_path, "fan", text.replace(old, new, 1))
    with pytest.raises(ConfigError, match=message) as info:
        load_profile("fan", [tmp_path])
    assert str(path) in str(info.value)


GEARBOX = """
name = "box"
title = "Box"
description = "A one-stage box."

[reference]
shaft = "input"
speed_rpm = 1500.0

[[components]]
name = "input"
kind = "shaft"
speed_ratio = 1.0

[[components]]
name = "stage"
kind = "gear"
gear_type = "parallel"
teeth = [20, 80]
speed_ratio = 1.0

[[components]]
name = "output"
kind = "shaft"
driven_by = "stage"

[[points]]
name = "P"
sensor = "accelerometer"
direction = "radial"
unit = "g"
sampling_rate_hz = 25600.0
hears = ["stage", "output"]
"""


def test_driven_by_takes_the_stage_output(tmp_path: Path) -> None:
    box = load_profile(_write(tmp_path, "box", GEARBOX))
    assert box.component("output").speed_ratio == pytest.approx(0.25)
    assert box.component("stage").mesh_order == pytest.approx(20.0)
    assert box.to_dict()["components"][2] == {  # type: ignore[index]
        "name": "output",
        "kind": "shaft",
        "driven_by": "stage",
    }


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("teeth = [20, 80]", "teeth = [20, 80, 3]", r"a parallel stage takes \[driving, driven\]"),
        ("teeth = [20, 80]", "teeth = [20, 0]", r"teeth: must be whole numbers >= 1"),
        ('driven_by = "stage"', 'driven_by = "input"', r"'input' is no gear stage"),
        ('driven_by = "stage"', 'driven_by = "nothing"', r"no component 'nothing'"),
        ('driven_by = "stage"', 'driven_by = "stage"\nspeed_ratio = 2.0', r"not both"),
        (
            "teeth = [20, 80]\nspeed_ratio = 1.0",
            'teeth = [20, 80]\ndriven_by = "output"',
            r"loops back",
        ),
        ('gear_type = "parallel"', 'gear_type = "planetary"', r"a planetary stage takes"),
    ],
)
def test_broken_gear_stage(tmp_path: Path, old: str, new: str, message: str) -> None:
    assert old in GEARBOX
    path = _write(tmp_path, "box", GEARBOX.replace(old, new, 1))
    with pytest.raises(ConfigError, match=message):
        load_profile(path)


# --------------------------------------------------------------------------- regimes


def test_regime_bins() -> None:
    regimes = RegimeSpec(speed_edges_hz=(0.0, 10.0, 20.0), load_edges=(0.0, 50.0, 100.0))
    assert regimes.bin_of(5.0, 10.0) == (0, 0)
    assert regimes.bin_of(10.0, 99.0) == (1, 1)
    assert regimes.bin_of(20.0, 100.0) == (1, 1)  # the last bin holds its upper edge
    assert regimes.bin_of(25.0, 10.0) is None
    assert regimes.bin_of(5.0, None) is None
    assert RegimeSpec().bin_of(math.nan) == (0, 0)
