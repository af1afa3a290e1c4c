"""One serialiser for every result type: frozen dataclasses to plain JSON-ready data and back.

A result travels between processes (pickle), into the store and out of the API (JSON). Rather
than a serialiser per type or per caller, :func:`to_dict` walks a dataclass's fields and
:func:`from_dict` rebuilds it from the field *type hints*: nested dataclasses, tuples, mappings,
optionals, ``Literal`` closed sets (checked), enums and numpy arrays. Rebuilding is strict: a
value of the wrong type, outside its closed set, an unknown key or a missing required field is a
:class:`~openphm.core.errors.DataError` naming the field (``Baseline.direction``). Types opt in by
inheriting :class:`Serializable`, which adds ``obj.to_dict()`` and ``Type.from_dict(data)``.
"""

from __future__ import annotations

import dataclasses
import enum
import math
import types
import typing
from collections.abc import Mapping
from datetime import datetime
from functools import cache
from typing import Any, Literal, TypeVar, Union, cast, get_args, get_origin

import numpy as np

from openphm.core.errors import DataError

__all__ = ["Serializable", "from_dict", "to_dict", "to_plain"]

T = TypeVar("T")


def to_plain(value: Any) -> Any:
    """``value`` as JSON-ready data: dicts, lists, str, int, float, bool and None.

    Dataclasses become dicts of their fields, tuples and arrays lists, enums their value,
    datetimes ISO 8601 text, non-finite floats the strings ``"nan"``, ``"inf"`` and ``"-inf"``
    (strict JSON, and PostgreSQL's ``jsonb``, have no such numbers).

    Parameters
    ----------
    value : object
        A dataclass, mapping, sequence, numpy array or scalar.

    Returns
    -------
    object
        Plain data that :func:`json.dumps` accepts.

    Examples
    --------
    >>> to_plain({"a": (1, 2.5), "b": np.array([0.5, float("inf")])})
    {'a': [1, 2.5], 'b': [0.5, 'inf']}
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return to_plain(value.value)
    if isinstance(value, bool | str | int) or value is None:
        return value
    if isinstance(value, float | np.floating):
        x = float(value)
        return x if math.isfinite(x) else ("nan" if math.isnan(x) else ("inf" if x > 0 else "-inf"))
    if isinstance(value, np.integer | np.bool_):
        return value.item()
    if isinstance(value, np.ndarray):
        return [to_plain(v) for v in value.tolist()]
    if isinstance(value, Mapping):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_plain(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "__fspath__"):
        return str(value)
    raise TypeError(f"cannot serialise a {type(value).__name__}: {value!r}")


def to_dict(obj: Any) -> dict[str, Any]:
    """The fields of the dataclass ``obj`` as JSON-ready data (see :func:`to_plain`).

    Parameters
    ----------
    obj : dataclass instance
        The object.

    Returns
    -------
    dict
        One entry per field.
    """
    if not (dataclasses.is_dataclass(obj) and not isinstance(obj, type)):
        raise TypeError(f"to_dict needs a dataclass instance, got {type(obj).__name__}")
    plain: dict[str, Any] = to_plain(obj)
    return plain


@cache
def _hints(cls: Any) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _float(value: Any, where: str) -> float:
    if isinstance(value, str) and value in ("nan", "inf", "-inf"):
        return float(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise DataError(f"{where}: expected a number, got {value!r}")
    return float(value)


def _build(tp: Any, value: Any, where: str) -> Any:
    origin = get_origin(tp)
    if tp is Any or tp is object:
        return value
    if tp is None or tp is type(None):
        if value is not None:
            raise DataError(f"{where}: expected null, got {value!r}")
        return None
    if origin is Union or origin is types.UnionType:
        args = get_args(tp)
        if value is None and type(None) in args:
            return None
        errors = []
        for arg in (a for a in args if a is not type(None)):
            try:
                return _build(arg, value, where)
            except (DataError, TypeError, ValueError, KeyError) as exc:
                errors.append(str(exc))
        raise DataError(f"{where}: {value!r} fits none of {tp}: {'; '.join(errors)}")
    if origin is Literal:
        if value not in get_args(tp):
            allowed = ", ".join(repr(a) for a in get_args(tp))
            raise DataError(f"{where}: {value!r} is not one of {allowed}")
        return value
    if origin is tuple:
        args = get_args(tp)
        if not isinstance(value, list | tuple):
            raise DataError(f"{where}: expected a list, got {value!r}")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_build(args[0], v, f"{where}[{i}]") for i, v in enumerate(value))
        if len(args) != len(value):
            raise DataError(f"{where}: expected {len(args)} items, got {len(value)}")
        return tuple(
            _build(a, v, f"{where}[{i}]") for i, (a, v) in enumerate(zip(args, value, strict=True))
        )
    if origin in (list, set, frozenset):
        (arg,) = get_args(tp) or (Any,)
        if not isinstance(value, list | tuple | set | frozenset):
            raise DataError(f"{where}: expected a list, got {value!r}")
        return origin(_build(arg, v, f"{where}[{i}]") for i, v in enumerate(value))
    if origin is not None and isinstance(origin, type) and issubclass(origin, Mapping):
        key_type, value_type = get_args(tp) or (Any, Any)
        if not isinstance(value, Mapping):
            raise DataError(f"{where}: expected a mapping, got {value!r}")
        return {
            _build(key_type, k, where): _build(value_type, v, f"{where}[{k!r}]")
            for k, v in value.items()
        }
    if isinstance(tp, type):
        if dataclasses.is_dataclass(tp):
            return from_dict(tp, value, where)
        if issubclass(tp, enum.Enum):
            try:
                return tp(value)
            except ValueError:
                allowed = ", ".join(repr(m.value) for m in tp)
                raise DataError(f"{where}: {value!r} is not one of {allowed}") from None
        if tp is float:
            return _float(value, where)
        if tp is bool:
            if not isinstance(value, bool):
                raise DataError(f"{where}: expected true or false, got {value!r}")
            return value
        if tp is int:
            if isinstance(value, bool) or not isinstance(value, int):
                raise DataError(f"{where}: expected an integer, got {value!r}")
            return value
        if tp is str:
            if not isinstance(value, str):
                raise DataError(f"{where}: expected text, got {value!r}")
            return value
        if tp is datetime:
            try:
                return datetime.fromisoformat(value)
            except (TypeError, ValueError):
                raise DataError(f"{where}: expected an ISO 8601 time, got {value!r}") from None
        if issubclass(tp, np.ndarray):
            return np.asarray([_float(v, where) for v in value], dtype=np.float64)
    return value


def from_dict(kind: type[T], data: Mapping[str, Any], where: str = "") -> T:
    """Rebuild a dataclass of type ``cls`` from what :func:`to_dict` made of one.

    Each field is rebuilt from its type hint; ``Literal`` fields are checked against their closed
    set. Fields missing from ``data`` take their defaults; unknown keys are an error.

    Parameters
    ----------
    kind : type
        A dataclass type.
    data : Mapping
        Plain data.
    where : str, optional
        Where the data come from, for error messages.

    Returns
    -------
    object
        An instance of ``cls``.

    Raises
    ------
    DataError
        A key ``cls`` does not have, a missing required field, or a value of the wrong type.

    Examples
    --------
    >>> from openphm.core.bearing import BearingGeometry
    >>> g = BearingGeometry(9, 7.94, 39.04, designation="6205")
    >>> from_dict(BearingGeometry, to_dict(g)) == g
    True
    """
    where = where or kind.__name__
    if not isinstance(data, Mapping):
        raise DataError(f"{where}: expected a mapping of fields, got {type(data).__name__}")
    hints = _hints(cast(Any, kind))
    fields = {f.name: f for f in dataclasses.fields(kind) if f.init}  # type: ignore[arg-type]
    unknown = set(data) - set(fields)
    if unknown:
        raise DataError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    missing = [
        name
        for name, f in fields.items()
        if name not in data
        and f.default is dataclasses.MISSING
        and f.default_factory is dataclasses.MISSING
    ]
    if missing:
        raise DataError(
            f"{where}: cannot build {kind.__name__}: missing field(s) {', '.join(missing)}"
        )
    kwargs = {
        name: _build(hints[name], data[name], f"{where}.{name}") for name in fields if name in data
    }
    try:
        return kind(**kwargs)
    except TypeError as exc:
        raise DataError(f"{where}: cannot build {kind.__name__} ({exc})") from None


class Serializable:
    """Mix-in for frozen dataclasses: ``obj.to_dict()`` and ``Type.from_dict(data)``.

    Examples
    --------
    >>> from dataclasses import dataclass
    >>> @dataclass(frozen=True)
    ... class Point(Serializable):
    ...     x: float
    ...     tags: tuple[str, ...] = ()
    >>> Point.from_dict(Point(1.5, ("a",)).to_dict())
    Point(x=1.5, tags=('a',))
    """

    def __getstate__(self) -> dict[str, Any]:
        # Read-only mapping views (MappingProxyType) do not pickle: send plain dicts, and let
        # __post_init__ wrap them again on the other side.
        return {
            k: dict(v) if isinstance(v, types.MappingProxyType) else v
            for k, v in vars(self).items()
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        vars(self).update(state)
        post_init = getattr(self, "__post_init__", None)
        if post_init is not None:
            post_init()

    def to_dict(self) -> dict[str, Any]:
        """This object as JSON-ready data (see :func:`to_dict`)."""
        return to_dict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> typing.Self:
        """Rebuild an object from what :meth:`to_dict` made of one (see :func:`from_dict`)."""
        return from_dict(cls, data)
