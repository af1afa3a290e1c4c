"""JSON round trip of the detection results: one generic converter driven by the type hints.

Every result of :mod:`openphm.detect` is a frozen dataclass of floats, ints, strings, ``Literal``
choices, ``None``, tuples and nested dataclasses. :class:`JsonRecord` gives them ``to_dict()`` and
``from_dict()`` from their annotations, so no type carries a serialiser of its own. Non-finite
floats travel as the strings ``"inf"``, ``"-inf"`` and ``"nan"`` because strict JSON (and
PostgreSQL's ``jsonb``) has no literal for them.
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from collections.abc import Mapping
from functools import cache
from typing import Any, Literal, Self, Union, get_args, get_origin

from openphm.core.errors import DataError

_NON_FINITE = {"inf": math.inf, "-inf": -math.inf, "nan": math.nan}


def to_jsonable(obj: Any) -> Any:
    """Convert a detection result (or any value inside one) to JSON-ready Python objects.

    Parameters
    ----------
    obj : object
        A dataclass instance, tuple, list, mapping, float, int, str, bool or None.

    Returns
    -------
    object
        Dicts, lists, finite floats, ints, strings, bools and None; non-finite floats become
        ``"inf"``, ``"-inf"`` or ``"nan"``.

    Examples
    --------
    >>> to_jsonable((1.0, float("inf"), None))
    [1.0, 'inf', None]
    """
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, tuple | list):
        return [to_jsonable(x) for x in obj]
    if isinstance(obj, Mapping):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, bool | str) or obj is None:
        return obj
    if isinstance(obj, int):
        return int(obj)
    if isinstance(obj, float):
        value = float(obj)
        if math.isfinite(value):
            return value
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    raise DataError(f"cannot convert {type(obj).__name__} {obj!r} to JSON")


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _fail(where: str, expected: str, data: Any) -> DataError:
    return DataError(f"{where}: expected {expected}, got {data!r}")


def from_jsonable(tp: Any, data: Any, where: str = "value") -> Any:
    """Rebuild a value of type ``tp`` from the output of :func:`to_jsonable`.

    Parameters
    ----------
    tp : type
        The annotation to rebuild: a dataclass, ``float``, ``int``, ``str``, ``bool``, ``None``,
        a ``Literal``, a union, ``tuple[X, ...]``, a fixed ``tuple[X, Y]`` or ``dict[str, X]``.
    data : object
        JSON-ready data.
    where : str, default "value"
        Name of the input, for error messages.

    Returns
    -------
    object
        The rebuilt value.

    Raises
    ------
    DataError
        The data do not fit the type; the message names the field.

    Examples
    --------
    >>> from_jsonable(tuple[float, ...], [1, "inf"])
    (1.0, inf)
    """
    origin = get_origin(tp)
    args = get_args(tp)
    if tp is Any:
        return data
    if tp is type(None) or tp is None:
        if data is not None:
            raise _fail(where, "null", data)
        return None
    if origin is Literal:
        if data not in args:
            raise _fail(where, f"one of {list(args)}", data)
        return data
    if origin is Union or origin is types.UnionType:
        if data is None and type(None) in args:
            return None
        errors = []
        for arg in args:
            if arg is type(None):
                continue
            try:
                return from_jsonable(arg, data, where)
            except DataError as exc:
                errors.append(str(exc))
        raise DataError("; ".join(errors) or f"{where}: no type fits {data!r}")
    if origin is tuple:
        if not isinstance(data, list | tuple):
            raise _fail(where, "a list", data)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(from_jsonable(args[0], x, f"{where}[{i}]") for i, x in enumerate(data))
        if len(data) != len(args):
            raise _fail(where, f"a list of {len(args)} items", data)
        pairs = enumerate(zip(args, data, strict=True))
        return tuple(from_jsonable(a, x, f"{where}[{i}]") for i, (a, x) in pairs)
    if origin is dict:
        if not isinstance(data, Mapping):
            raise _fail(where, "an object", data)
        return {str(k): from_jsonable(args[1], v, f"{where}[{k!r}]") for k, v in data.items()}
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _dataclass_from(tp, data, where)
    if tp is float:
        if isinstance(data, str) and data in _NON_FINITE:
            return _NON_FINITE[data]
        if isinstance(data, bool) or not isinstance(data, int | float):
            raise _fail(where, "a number", data)
        return float(data)
    if tp is bool:
        if not isinstance(data, bool):
            raise _fail(where, "true or false", data)
        return data
    if tp is int:
        if isinstance(data, bool) or not isinstance(data, int):
            raise _fail(where, "an integer", data)
        return data
    if tp is str:
        if not isinstance(data, str):
            raise _fail(where, "a string", data)
        return data
    raise DataError(f"{where}: cannot rebuild type {tp!r} from JSON")


def _dataclass_from(cls: type, data: Any, where: str) -> Any:
    if not isinstance(data, Mapping):
        raise _fail(where, f"an object for {cls.__name__}", data)
    hints = _hints(cls)
    names = {f.name for f in dataclasses.fields(cls) if f.init}
    unknown = sorted(set(data) - names)
    if unknown:
        raise DataError(f"{where}: unknown field(s) {unknown} for {cls.__name__}")
    kwargs = {
        name: from_jsonable(hints[name], data[name], f"{where}.{name}")
        for name in names
        if name in data
    }
    try:
        return cls(**kwargs)
    except TypeError as exc:
        raise DataError(f"{where}: cannot build {cls.__name__} ({exc})") from exc


class JsonRecord:
    """Mixin giving a frozen dataclass ``to_dict()`` and ``from_dict()`` from its type hints."""

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready dictionary of this result (see :func:`to_jsonable`).

        Returns
        -------
        dict
            Field name to JSON-ready value.
        """
        out: dict[str, Any] = to_jsonable(self)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Rebuild the result from :meth:`to_dict`'s output.

        Parameters
        ----------
        data : mapping
            The dictionary (for example read back from JSON).

        Returns
        -------
        JsonRecord
            An equal instance.

        Raises
        ------
        DataError
            A field is missing, unknown or of the wrong type.
        """
        out: Self = _dataclass_from(cls, data, cls.__name__)
        return out
