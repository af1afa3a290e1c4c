"""Alarm levels of one indicator as a pure state machine: hysteresis and counts against flapping.

An alarm rises to a level after ``min_count`` consecutive values at or beyond that level's limit,
and drops only after ``clear_count`` consecutive values that have come back past the limit by the
hysteresis margin. A value wandering around a limit therefore raises (at most) once and stays
raised: it does not flap. Acknowledgement (who, when, a comment) belongs to the store; this module
only says which level the indicator is at and what changed.

Transitions: ``raised`` (normal to alert or danger), ``escalated`` (alert to danger),
``de-escalated`` (danger to alert) and ``cleared`` (alert or danger to normal).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Literal

from openphm.core.errors import ConfigError
from openphm.core.serialize import Serializable
from openphm.detect.baseline import LEVELS, Baseline, Level, Limits

#: What a transition did.
TransitionKind = Literal["raised", "escalated", "de-escalated", "cleared"]


def _rank(level: Level) -> int:
    return LEVELS.index(level)


@dataclass(frozen=True)
class AlarmRule(Serializable):
    """When an indicator's alarm rises, escalates and drops.

    Parameters
    ----------
    limits : Limits
        Alert and danger limits with their direction (indicator unit).
    hysteresis : float, default 0
        How far (indicator unit) a value must come back past a limit, towards the healthy
        side, to count towards dropping that level. :meth:`from_baseline` sets it in robust
        sigmas; for a fraction ``f`` of a limit pass ``f * abs(limit)``.
    min_count : int, default 3
        Consecutive values at or beyond a level's limit before the alarm rises to it.
    clear_count : int, default 3
        Consecutive values back past a level's limit by ``hysteresis`` before it drops.
    """

    limits: Limits
    hysteresis: float = 0.0
    min_count: int = 3
    clear_count: int = 3

    def __post_init__(self) -> None:
        if not (math.isfinite(self.hysteresis) and self.hysteresis >= 0.0):
            raise ConfigError(
                f"AlarmRule.hysteresis: must be finite and >= 0, got {self.hysteresis!r}"
            )
        if self.min_count < 1 or self.clear_count < 1:
            raise ConfigError(
                f"AlarmRule: min_count and clear_count must be >= 1, got {self.min_count} and "
                f"{self.clear_count}"
            )

    @classmethod
    def from_baseline(
        cls,
        baseline: Baseline,
        *,
        hysteresis_sigmas: float = 1.0,
        min_count: int = 3,
        clear_count: int = 3,
    ) -> AlarmRule:
        """Build the rule of a baseline's limits.

        Parameters
        ----------
        baseline : Baseline
            Gives the limits and the robust sigma.
        hysteresis_sigmas : float, default 1
            Hysteresis in robust sigmas of the baseline.
        min_count, clear_count : int, default 3
            See the class.

        Returns
        -------
        AlarmRule
            The rule.
        """
        return cls(
            limits=baseline.limits,
            hysteresis=hysteresis_sigmas * baseline.scale,
            min_count=min_count,
            clear_count=clear_count,
        )


@dataclass(frozen=True)
class AlarmState(Serializable):
    """Current alarm level of an indicator and the run counters behind it.

    Parameters
    ----------
    level : {"normal", "alert", "danger"}, default "normal"
        The level.
    over_alert, over_danger : int, default 0
        Consecutive latest values at or beyond the alert (danger) limit.
    under_alert, under_danger : int, default 0
        Consecutive latest values back past the alert (danger) limit by the hysteresis.
    """

    level: Level = "normal"
    over_alert: int = 0
    over_danger: int = 0
    under_alert: int = 0
    under_danger: int = 0

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ConfigError(
                f"AlarmState.level: expected one of {list(LEVELS)}, got {self.level!r}"
            )


@dataclass(frozen=True)
class AlarmTransition(Serializable):
    """A change of alarm level and what made it.

    Parameters
    ----------
    kind : {"raised", "escalated", "de-escalated", "cleared"}
        What changed.
    from_level, to_level : {"normal", "alert", "danger"}
        Level before and after.
    value : float
        The value that completed the count.
    limit : float
        The limit it crossed: the new level's limit when rising, the old level's limit moved
        by the hysteresis when dropping (indicator unit).
    """

    kind: TransitionKind
    from_level: Level
    to_level: Level
    value: float
    limit: float


def _kind(old: Level, new: Level) -> TransitionKind:
    if _rank(new) > _rank(old):
        return "raised" if old == "normal" else "escalated"
    return "cleared" if new == "normal" else "de-escalated"


def step(
    rule: AlarmRule, state: AlarmState, value: float
) -> tuple[AlarmState, tuple[AlarmTransition, ...]]:
    """Advance an indicator's alarm by one value.

    Parameters
    ----------
    rule : AlarmRule
        Limits, hysteresis and counts.
    state : AlarmState
        The state before the value.
    value : float
        The new indicator value (indicator unit). NaN leaves the state unchanged.

    Returns
    -------
    (AlarmState, tuple of AlarmTransition)
        The new state and the transitions it made (none or one).

    Notes
    -----
    Rising: the alarm goes to the highest level whose limit the last ``min_count`` values
    all reached, if above the current one (normal straight to danger is one ``raised``).
    Dropping: to ``normal`` after ``clear_count`` values back past the alert limit by the
    hysteresis, else from ``danger`` to ``alert`` after ``clear_count`` values back past
    the danger limit by it.

    Examples
    --------
    >>> rule = AlarmRule(Limits("upper", alert_high=4.0, danger_high=6.0), hysteresis=1.0,
    ...                  min_count=2, clear_count=2)
    >>> state, events = AlarmState(), []
    >>> for x in (4.5, 4.2, 3.5, 3.8, 2.9, 2.5):
    ...     state, changes = step(rule, state, x)
    ...     events += [(c.kind, c.to_level, c.limit) for c in changes]
    >>> events
    [('raised', 'alert', 4.0), ('cleared', 'normal', 3.0)]
    """
    v = float(value)
    if math.isnan(v):
        return state, ()
    reached = _rank(rule.limits.level_of(v))
    released = _rank(rule.limits.level_of(v, margin=rule.hysteresis))
    counts = replace(
        state,
        over_alert=state.over_alert + 1 if reached >= 1 else 0,
        over_danger=state.over_danger + 1 if reached >= 2 else 0,
        under_alert=state.under_alert + 1 if released < 1 else 0,
        under_danger=state.under_danger + 1 if released < 2 else 0,
    )
    current = _rank(state.level)
    if counts.over_danger >= rule.min_count:
        up = 2
    elif counts.over_alert >= rule.min_count:
        up = 1
    else:
        up = 0
    if counts.under_alert >= rule.clear_count:
        down = 0
    elif counts.under_danger >= rule.clear_count:
        down = 1
    else:
        down = current
    if up > current:
        new: Level = LEVELS[up]
        limit = rule.limits.limit_of(new, v)
    elif down < current:
        new = LEVELS[down]
        dropped: Level = LEVELS[down + 1]
        limit = rule.limits.limit_of(dropped, v)
        limit += -rule.hysteresis if limit >= v else rule.hysteresis
    else:
        return counts, ()
    transition = AlarmTransition(_kind(state.level, new), state.level, new, v, limit)
    return replace(counts, level=new), (transition,)
