"""The one serialiser: every shape a result type uses round-trips through strict JSON and pickle."""

from __future__ import annotations

import enum
import json
import pickle
import types
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from openphm.core.errors import DataError
from openphm.core.serialize import Serializable, from_dict, to_dict, to_plain


class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


@dataclass(frozen=True)
class Inner(Serializable):
    kind: Literal["a", "b"]
    value: float


@dataclass(frozen=True)
class Other(Serializable):
    label: str
    count: int = 0


@dataclass(frozen=True)
class Record(Serializable):
    name: str
    inner: Inner
    either: Inner | Other
    edges: tuple[float, ...] = ()
    pair: tuple[int, str] = (0, "")
    maybe: float | None = None
    nothing: None = None
    tags: list[str] = field(default_factory=list)
    table: dict[str, float] = field(default_factory=dict)
    colour: Colour = Colour.RED
    when: datetime | None = None


def _json_round_trip(obj: Record) -> Record:
    text = json.dumps(obj.to_dict(), allow_nan=False)
    return Record.from_dict(json.loads(text))


floats = st.floats(allow_nan=False)
records = st.builds(
    Record,
    name=st.text(max_size=5),
    inner=st.builds(Inner, st.sampled_from(["a", "b"]), floats),
    either=st.one_of(
        st.builds(Inner, st.sampled_from(["a", "b"]), floats),
        st.builds(Other, st.text(max_size=5), st.integers(-(10**6), 10**6)),
    ),
    edges=st.lists(floats, max_size=4).map(tuple),
    pair=st.tuples(st.integers(-(10**9), 10**9), st.text(max_size=3)),
    maybe=st.none() | floats,
    tags=st.lists(st.text(max_size=3), max_size=3),
    table=st.dictionaries(st.text(max_size=3), floats, max_size=3),
    colour=st.sampled_from(Colour),
    when=st.none() | st.datetimes(timezones=st.just(UTC)),
)


@given(records)
def test_round_trip_through_strict_json_and_pickle(obj: Record) -> None:
    assert _json_round_trip(obj) == obj
    assert pickle.loads(pickle.dumps(obj)) == obj


def test_non_finite_floats_travel_as_strings() -> None:
    obj = Record("x", Inner("a", float("inf")), Other("o"), edges=(float("-inf"), 1.0))
    data = obj.to_dict()
    assert data["inner"]["value"] == "inf"
    assert data["edges"] == ["-inf", 1.0]
    assert _json_round_trip(obj) == obj
    nan = Record.from_dict({**data, "maybe": "nan"}).maybe
    assert nan is not None and np.isnan(nan)


def test_numpy_values_become_plain() -> None:
    assert to_plain({"a": np.float64(2.5), "b": np.int64(3), "c": np.array([1.0, np.nan])}) == {
        "a": 2.5,
        "b": 3,
        "c": [1.0, "nan"],
    }


def test_union_of_dataclasses_picks_the_one_that_fits() -> None:
    obj = Record("x", Inner("a", 1.0), Other("o", 2))
    back = Record.from_dict(obj.to_dict())
    assert isinstance(back.either, Other)


def test_mapping_proxy_fields_pickle() -> None:
    @dataclass(frozen=True)
    class Frozen(Serializable):
        table: Any

        def __post_init__(self) -> None:
            object.__setattr__(self, "table", types.MappingProxyType(dict(self.table)))

    # A local class does not pickle by reference; the state hooks are what matter here.
    obj = Frozen({"a": 1})
    state = obj.__getstate__()
    assert state["table"] == {"a": 1} and type(state["table"]) is dict
    clone = object.__new__(Frozen)
    clone.__setstate__(state)
    assert isinstance(clone.table, types.MappingProxyType)
    assert clone == obj


@pytest.mark.parametrize(
    ("change", "pattern"),
    [
        ({"inner": {"kind": "c", "value": 1.0}}, r"Record\.inner\.kind: 'c' is not one of"),
        ({"inner": {"kind": "a", "value": "high"}}, r"Record\.inner\.value: expected a number"),
        ({"inner": {"kind": "a", "value": True}}, r"Record\.inner\.value: expected a number"),
        ({"edges": [1.0, "x"]}, r"Record\.edges\[1\]"),
        ({"pair": [1]}, r"Record\.pair: expected 2 items"),
        ({"pair": [1.5, "a"]}, r"Record\.pair\[0\]: expected an integer"),
        ({"nothing": 3}, r"Record\.nothing: expected null"),
        ({"tags": "abc"}, r"Record\.tags: expected a list"),
        ({"table": [1.0]}, r"Record\.table: expected a mapping"),
        ({"colour": "green"}, r"Record\.colour: 'green' is not one of 'red', 'blue'"),
        ({"when": "yesterday"}, r"Record\.when: expected an ISO 8601 time"),
        ({"either": {"colour": 1}}, r"Record\.either: .* fits none of"),
        ({"colour_": "red"}, r"Record: unknown field\(s\) colour_"),
    ],
)
def test_from_dict_names_the_field_and_the_problem(change: dict[str, Any], pattern: str) -> None:
    data = Record("x", Inner("a", 1.0), Other("o")).to_dict()
    with pytest.raises(DataError, match=pattern):
        Record.from_dict({**data, **change})


def test_missing_required_fields_are_named() -> None:
    with pytest.raises(DataError, match=r"cannot build Record: missing field\(s\) inner, either"):
        Record.from_dict({"name": "x"})
    with pytest.raises(DataError, match=r"expected a mapping of fields"):
        from_dict(Record, [1, 2])  # type: ignore[arg-type]


def test_to_dict_needs_a_dataclass_instance() -> None:
    with pytest.raises(TypeError, match="dataclass instance"):
        to_dict(Record)
    with pytest.raises(TypeError, match="cannot serialise a object"):
        to_plain(object())
