"""Sites, machines, components and points; how refs resolve and how bad ones are refused."""

from __future__ import annotations

import pytest

from openphm.core.errors import ConfigError
from openphm.store import Store


def test_point_by_id_and_by_each_path(store: Store, point: int) -> None:
    info = store.point(point)
    assert info.path == "plant/fan/DE-H"
    for ref in ("plant/fan/DE-H", "fan/DE-H", "DE-H", str(point)):
        assert store.point(ref) == info
    assert info.unit == "g"
    assert info.component_ids == tuple(c.id for c in store.components("plant/fan"))
    assert info.created_at.tzinfo is not None


def test_unknown_point_names_the_ref(store: Store, point: int) -> None:
    with pytest.raises(ConfigError, match="'plant/fan/NDE-V'"):
        store.point("plant/fan/NDE-V")
    with pytest.raises(ConfigError, match="999"):
        store.point(999)


def test_ambiguous_short_path_asks_for_the_full_one(store: Store, point: int) -> None:
    store.add_site("mine")
    store.add_machine("mine", "fan", profile="electric-motor")
    store.add_point("mine/fan", "DE-H", sensor="accelerometer", unit="m/s^2")
    with pytest.raises(ConfigError, match="ambiguous"):
        store.point("fan/DE-H")
    assert store.point("mine/fan/DE-H").unit == "m/s^2"
    assert len(store.points()) == 2
    assert [m.path for m in store.machines()] == ["mine/fan", "plant/fan"]
    assert len(store.machines("plant")) == 1


def test_duplicates_and_invalid_fields_are_refused(store: Store, point: int) -> None:
    with pytest.raises(ConfigError, match="already exists"):
        store.add_site("plant")
    with pytest.raises(ConfigError, match="already exists"):
        store.add_machine("plant", "fan", profile="x")
    with pytest.raises(ConfigError, match="already exists"):
        store.add_point("fan", "DE-H", sensor="accelerometer", unit="g")
    with pytest.raises(ConfigError, match="kind"):
        store.add_component("fan", "G1", kind="pulley")
    with pytest.raises(ConfigError, match="speed_ratio"):
        store.add_component("fan", "G1", kind="gear", speed_ratio=0.0)
    with pytest.raises(ConfigError, match="rotating_ring"):
        store.add_component("fan", "B2", kind="bearing", rotating_ring="middle")
    with pytest.raises(ConfigError, match="iso_group"):
        store.add_machine("plant", "pump", profile="x", iso_group=7)
    with pytest.raises(ConfigError, match="name"):
        store.add_site("a/b")
    with pytest.raises(ConfigError, match="component"):
        store.add_point("fan", "NDE", sensor="accelerometer", unit="g", components=["nope"])


def test_component_fields_round_trip(store: Store, point: int) -> None:
    gear = store.add_component(
        "plant/fan",
        "pinion",
        kind="gear",
        geometry={"teeth": 23},
        speed_ratio=3.5,
        rotating_ring="outer",
        details={"mesh": "ring gear"},
    )
    assert gear.geometry == {"teeth": 23}
    assert gear.details == {"mesh": "ring gear"}
    assert (gear.speed_ratio, gear.rotating_ring) == (3.5, "outer")
    assert store.machine("plant/fan").iso_group == 2
