"""Which geometry a bearing named by the user has, and its frequency table."""

from __future__ import annotations

import pickle

import pytest

from openphm.core.errors import ConfigError
from openphm.knowledge.bearing_spec import (
    BearingFrequencies,
    bearing_frequencies,
    bearing_geometry,
)
from openphm.knowledge.catalogue import get_bearing


def test_catalogue_geometry_and_overrides() -> None:
    entry = get_bearing("6205")
    assert bearing_geometry(entry) == entry.geometry
    tilted = bearing_geometry(entry, contact_angle_deg=15.0)
    assert tilted.contact_angle_deg == 15.0 and tilted.n_rolling == entry.geometry.n_rolling  # type: ignore[union-attr]
    given = bearing_geometry(entry, 8, 10.0, 50.0)
    assert (given.n_rolling, given.designation) == (8, "6205")


@pytest.mark.parametrize(
    ("entry", "args", "message"),
    [
        (None, (8, None, 50.0), "together"),
        (None, (), "name a bearing"),
        ("6309", (), "no internal geometry for 6309"),
    ],
)
def test_geometry_errors(entry: str | None, args: tuple[float | None, ...], message: str) -> None:
    found = None if entry is None else get_bearing(entry)
    with pytest.raises(ConfigError, match=message):
        bearing_geometry(found, *args)  # type: ignore[arg-type]


def test_frequencies_in_orders_and_hz() -> None:
    entry = get_bearing("6205")
    assert entry.geometry is not None
    f = bearing_frequencies(entry.geometry, shaft_hz=29.95, entry=entry)
    assert list(f.orders) == ["shaft", "ftf", "bsf", "2bsf", "bpfo", "bpfi"]
    assert f.frequencies_hz is not None
    assert f.frequencies_hz["bpfo"] == pytest.approx(107.36, abs=0.01)
    assert f.bearing is not None and f.bearing["designation"] == "6205"
    assert BearingFrequencies.from_dict(f.to_dict()) == f
    assert pickle.loads(pickle.dumps(f)) == f
    orders_only = bearing_frequencies(entry.geometry, rotating_ring="outer")
    assert orders_only.frequencies_hz is None and orders_only.bearing is None
    assert orders_only.orders["ftf"] == pytest.approx(0.6017, abs=1e-4)
    with pytest.raises(ConfigError, match="speed"):
        bearing_frequencies(entry.geometry, shaft_hz=0.0)
