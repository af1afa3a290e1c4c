"""Declared validation of settings: each field states its rule, one check enforces them all.

A settings dataclass annotates its fields with rules, ``n: Annotated[int, Range(ge=1)]``, and calls
:func:`validate_fields` from ``__post_init__``. Every violation raises a
:class:`~openphm.core.errors.ConfigError` in one format, ``"Type.field must be ..., got ..."``,
whether the value came from Python, a command-line option or a settings file.
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal, get_args, get_origin

from openphm.core.errors import ConfigError

__all__ = ["OneOf", "Range", "validate_fields"]


@dataclass(frozen=True)
class Range:
    """A number within bounds: ``ge``/``gt`` below, ``le``/``lt`` above; finite always.

    Parameters
    ----------
    ge, gt, le, lt : float, optional
        Inclusive and exclusive bounds.
    """

    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    lt: float | None = None

    def describe(self) -> str:
        """The rule in words, for messages (``"a number > 0 and <= 1"``)."""
        parts = [
            f"{op} {bound:g}"
            for op, bound in ((">=", self.ge), (">", self.gt), ("<=", self.le), ("<", self.lt))
            if bound is not None
        ]
        return "a finite number" + (" " + " and ".join(parts) if parts else "")

    def accepts(self, value: float) -> bool:
        """Whether ``value`` satisfies the rule."""
        return (
            math.isfinite(value)
            and (self.ge is None or value >= self.ge)
            and (self.gt is None or value > self.gt)
            and (self.le is None or value <= self.le)
            and (self.lt is None or value < self.lt)
        )


@dataclass(frozen=True)
class OneOf:
    """A value from a closed set (for fields typed ``str`` rather than ``Literal``)."""

    values: tuple[object, ...]


@cache
def _rules(cls: Any) -> dict[str, tuple[Any, tuple[object, ...]]]:
    hints = typing.get_type_hints(cls, include_extras=True)
    out: dict[str, tuple[Any, tuple[object, ...]]] = {}
    for f in dataclasses.fields(cls):
        hint = hints[f.name]
        extras: tuple[object, ...] = ()
        if get_origin(hint) is typing.Annotated:
            hint, *rest = get_args(hint)
            extras = tuple(rest)
        out[f.name] = (hint, extras)
    return out


def _type_problem(hint: Any, value: object) -> str | None:
    """What is wrong with ``value`` for a field typed ``hint``, or None."""
    if get_origin(hint) in (typing.Union, types.UnionType):
        args = get_args(hint)
        if value is None:
            return None if type(None) in args else "given"
        problems = [_type_problem(a, value) for a in args if a is not type(None)]
        return None if any(p is None for p in problems) else " or ".join(map(str, problems))
    if hint is bool:
        return None if isinstance(value, bool) else "true or false"
    if hint is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
        return None if ok else "an integer"
    if hint is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return None if ok else "a number"
    if get_origin(hint) is Literal:
        allowed = get_args(hint)
        return None if value in allowed else "one of " + ", ".join(repr(a) for a in allowed)
    return None


def validate_fields(obj: object) -> None:
    """Check every field of the dataclass ``obj`` against its type and declared rules.

    Parameters
    ----------
    obj : dataclass instance
        Usually ``self`` in ``__post_init__``.

    Raises
    ------
    ConfigError
        The first field that breaks its rule, named with the type, the rule and the value.

    Examples
    --------
    >>> @dataclass(frozen=True)
    ... class S:
    ...     n: typing.Annotated[int, Range(ge=1)] = 4
    ...     def __post_init__(self) -> None:
    ...         validate_fields(self)
    >>> S(n=0)
    Traceback (most recent call last):
    ...
    openphm.core.errors.ConfigError: S.n must be a finite number >= 1, got 0
    """
    cls: Any = type(obj)
    for name, (hint, extras) in _rules(cls).items():
        value = getattr(obj, name)
        where = f"{cls.__name__}.{name}"
        wrong = _type_problem(hint, value)
        if wrong is not None:
            raise ConfigError(f"{where} must be {wrong}, got {value!r}")
        for rule in extras:
            if value is None and not isinstance(rule, OneOf):
                continue
            if isinstance(rule, Range) and not rule.accepts(float(value)):
                raise ConfigError(f"{where} must be {rule.describe()}, got {value!r}")
            if isinstance(rule, OneOf) and value not in rule.values:
                allowed = ", ".join(repr(v) for v in rule.values)
                raise ConfigError(f"{where} must be one of {allowed}, got {value!r}")
