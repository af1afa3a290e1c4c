"""Vibration severity zones of ISO 10816-3 / 20816-3 and ISO 10816-1."""

from __future__ import annotations

import math

import pytest

from openphm.core import ConfigError
from openphm.knowledge.iso20816 import zone, zone_boundaries, zone_iso10816_1

ISO_10816_3 = {
    (1, "rigid"): (2.3, 4.5, 7.1),
    (1, "flexible"): (3.5, 7.1, 11.0),
    (2, "rigid"): (1.4, 2.8, 4.5),
    (2, "flexible"): (2.3, 4.5, 7.1),
}
ISO_10816_1 = {
    "I": (0.71, 1.8, 4.5),
    "II": (1.12, 2.8, 7.1),
    "III": (1.8, 4.5, 11.2),
    "IV": (2.8, 7.1, 18.0),
}


@pytest.mark.parametrize(("key", "expected"), sorted(ISO_10816_3.items()))
def test_iso10816_3_boundaries(key: tuple[int, str], expected: tuple[float, ...]) -> None:
    group, foundation = key
    assert zone_boundaries(group=group, foundation=foundation) == expected


@pytest.mark.parametrize(("key", "bounds"), sorted(ISO_10816_3.items()))
def test_each_zone_is_reached(key: tuple[int, str], bounds: tuple[float, ...]) -> None:
    group, foundation = key
    probes = [0.0, bounds[0], bounds[0] + 0.01, bounds[1], bounds[1] + 0.01, bounds[2] + 0.01]
    letters = [zone(v, group=group, foundation=foundation).letter for v in probes]
    assert letters == ["A", "A", "B", "B", "C", "D"]


def test_zone_carries_limits_and_meaning() -> None:
    z = zone(5.0, group=2, foundation="rigid")
    assert z.letter == "D"
    assert (z.lower_mm_s, z.upper_mm_s) == (4.5, math.inf)
    assert "damage" in z.description
    assert "group 2" in z.machine and "10816-3" in z.standard
    assert z.to_dict()["upper_mm_s"] == "inf"
    b = zone(2.0, group=2, foundation="rigid")
    assert (b.letter, b.lower_mm_s, b.upper_mm_s) == ("B", 1.4, 2.8)


@pytest.mark.parametrize(("machine_class", "bounds"), sorted(ISO_10816_1.items()))
def test_iso10816_1_classes(machine_class: str, bounds: tuple[float, ...]) -> None:
    z = zone_iso10816_1(bounds[1] + 0.01, machine_class)
    assert z.letter == "C"
    assert z.boundaries_mm_s == bounds
    assert zone_iso10816_1(bounds[0], machine_class).letter == "A"


def test_iso10816_1_class_as_number() -> None:
    assert zone_iso10816_1(20.0, 4).letter == "D"
    assert zone_iso10816_1(1.0, "ii").letter == "A"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: zone(1.0, group=3), "group"),
        (lambda: zone(1.0, group=1, foundation="soft"), "foundation"),
        (lambda: zone(-1.0, group=1), "velocity"),
        (lambda: zone(math.nan, group=1), "velocity"),
        (lambda: zone_iso10816_1(1.0, "V"), "class"),
    ],
)
def test_bad_input_is_rejected(call: object, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        call()  # type: ignore[operator]
