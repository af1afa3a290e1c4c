"""What the store hands out: plain frozen dataclasses, never ORM objects or sessions.

JSON fields come back as read-only mappings (``types.MappingProxyType``) of plain JSON values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

#: Kinds of component.
ComponentKind = Literal["bearing", "gear", "shaft", "other"]
#: Kinds of measurement.
MeasurementKind = Literal["waveform", "scalars"]
#: Processing status of a measurement.
MeasurementStatus = Literal["stored", "processed", "failed"]
#: Alarm levels, lowest first.
AlarmLevel = Literal["alert", "danger"]
#: Life-cycle states of an alarm.
AlarmState = Literal["raised", "acknowledged", "cleared"]
#: Kinds of alarm event.
AlarmEventKind = Literal[
    "raised", "escalated", "de-escalated", "acknowledged", "commented", "cleared"
]

EMPTY: Mapping[str, Any] = MappingProxyType({})


def frozen_mapping(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    """A read-only copy of a JSON mapping (empty when None).

    Parameters
    ----------
    value : Mapping or None
        The mapping.

    Returns
    -------
    Mapping
        A ``MappingProxyType`` over a shallow copy.

    Examples
    --------
    >>> frozen_mapping({"a": 1})["a"]
    1
    """
    return MappingProxyType(dict(value or {}))


@dataclass(frozen=True)
class SiteInfo:
    """A site (plant, tunnel project, wind farm)."""

    id: int
    name: str
    description: str
    created_at: datetime


@dataclass(frozen=True)
class MachineInfo:
    """A machine: its site, its profile name, ISO 20816 group and foundation."""

    id: int
    site_id: int
    site: str
    name: str
    profile: str
    iso_group: int | None
    foundation: str | None
    description: str
    created_at: datetime

    @property
    def path(self) -> str:
        """``site/machine``."""
        return f"{self.site}/{self.name}"


@dataclass(frozen=True)
class ComponentInfo:
    """A component of a machine; ``speed_ratio`` is its shaft speed over the reference shaft's."""

    id: int
    machine_id: int
    name: str
    kind: ComponentKind
    designation: str | None
    geometry: Mapping[str, Any] | None
    speed_ratio: float
    rotating_ring: str
    details: Mapping[str, Any] = field(default_factory=lambda: EMPTY)


@dataclass(frozen=True)
class PointInfo:
    """A measurement point: sensor, direction, unit, rate (Hz), channel, components it hears."""

    id: int
    machine_id: int
    site: str
    machine: str
    name: str
    sensor: str
    direction: str | None
    unit: str
    fs_hz: float | None
    channel: str | None
    component_ids: tuple[int, ...]
    created_at: datetime

    @property
    def path(self) -> str:
        """``site/machine/point``."""
        return f"{self.site}/{self.machine}/{self.name}"


@dataclass(frozen=True)
class AddOutcome:
    """What :meth:`Store.add_measurement` did: stored a new measurement or found it there."""

    status: Literal["stored", "duplicate"]
    measurement_id: int
    sha256: str


@dataclass(frozen=True)
class MeasurementInfo:
    """A measurement's catalogue row; ``blob`` is relative to the store's home folder."""

    id: int
    point_id: int
    kind: MeasurementKind
    acquired_at: datetime
    content_sha256: str
    blob: str | None
    original_name: str
    fs_hz: float | None
    n_samples: int | None
    unit: str
    speed_hz: float | None
    load: float | None
    regime: str | None
    scalars: Mapping[str, Any] | None
    status: MeasurementStatus
    error: str | None
    created_at: datetime


@dataclass(frozen=True)
class ProcessingInputs:
    """Everything processing one measurement reads from the store, read in one transaction.

    Parameters
    ----------
    measurement : MeasurementInfo
        The measurement.
    point : PointInfo
        Its point.
    machine : MachineInfo
        The point's machine.
    components : tuple of ComponentInfo
        The components the point hears, in the point's order.
    blob : pathlib.Path or None
        The file holding the waveform (None for scalars).
    states : Mapping of str to Mapping
        The point's detector states, by key.
    baselines : Mapping of (str or None, str) to BaselineInfo
        The baseline in force of each (regime, indicator) at the point.
    """

    measurement: MeasurementInfo
    point: PointInfo
    machine: MachineInfo
    components: tuple[ComponentInfo, ...]
    blob: Path | None
    states: Mapping[str, Mapping[str, Any]]
    baselines: Mapping[tuple[str | None, str], BaselineInfo]


@dataclass(frozen=True)
class AlarmUpdate:
    """An alarm's new level, written in the same transaction as the results that caused it.

    Parameters
    ----------
    key : str
        What the alarm is about (``"rms"``, ``"bearing:DE"``), at the measurement's point.
    level : {"alert", "danger", "normal"}
        The new level: ``"normal"`` clears the open alarm with that key; the others raise it, or
        escalate or de-escalate the open one.
    source : str
        What raised it (``"indicator"``, ``"zone"``, ``"diagnosis"``).
    message : str
        One line for people.
    details : Mapping
        Evidence as JSON.
    component_id : int or None
        The component it names.
    """

    key: str
    level: Literal["alert", "danger", "normal"]
    source: str
    message: str = ""
    details: Mapping[str, Any] = field(default_factory=lambda: EMPTY)
    component_id: int | None = None


@dataclass(frozen=True)
class ResultRow:
    """A result to store for a measurement (see :meth:`Store.add_results`).

    ``payload`` is the result's ``to_dict()``; ``settings`` the settings that made it and
    ``settings_hash`` their hash; ``input`` what it was computed from (file, channel...).
    """

    kind: str
    payload: Mapping[str, Any]
    component_id: int | None = None
    openphm_version: str = ""
    settings: Mapping[str, Any] | None = None
    settings_hash: str | None = None
    input: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class ResultInfo:
    """A stored result, with its provenance."""

    id: int
    measurement_id: int
    component_id: int | None
    kind: str
    payload: Mapping[str, Any]
    openphm_version: str
    settings: Mapping[str, Any] | None
    settings_hash: str | None
    input: Mapping[str, Any] | None
    created_at: datetime


@dataclass(frozen=True)
class TrendPoint:
    """One value of an indicator's trend at a point."""

    measurement_id: int
    acquired_at: datetime
    value: float
    regime: str | None


@dataclass(frozen=True)
class BaselineInfo:
    """A learned baseline of one indicator at a point and operating regime."""

    id: int
    point_id: int
    regime: str | None
    indicator: str
    payload: Mapping[str, Any]
    created_at: datetime


@dataclass(frozen=True)
class AlarmInfo:
    """An alarm and its life-cycle state."""

    id: int
    machine_id: int
    point_id: int | None
    component_id: int | None
    source: str
    key: str
    level: AlarmLevel
    state: AlarmState
    message: str
    details: Mapping[str, Any]
    raised_at: datetime
    updated_at: datetime
    cleared_at: datetime | None

    @property
    def is_open(self) -> bool:
        """Whether the alarm is raised or acknowledged (not cleared)."""
        return self.state != "cleared"


@dataclass(frozen=True)
class AlarmEventInfo:
    """One event in an alarm's life."""

    id: int
    alarm_id: int
    at: datetime
    kind: AlarmEventKind
    user: str | None
    comment: str
    details: Mapping[str, Any]


@dataclass(frozen=True)
class DeadLetterInfo:
    """A refused input: its name, the point it claimed, the reason, and its kept bytes if any."""

    id: int
    received_at: datetime
    source_name: str
    point_ref: str | None
    reason: str
    sha256: str | None
    size_bytes: int | None
    kept_blob: str | None


@dataclass(frozen=True)
class CheckReport:
    """What :meth:`Store.check` found.

    ``missing`` and ``corrupt`` list measurement ids whose file is absent or hashes wrong;
    ``orphans`` the files under ``waveforms/`` that no row names (a crash between the file and the
    row leaves one; harmless), ``collected`` those removed when asked.
    """

    checked: int
    missing: tuple[int, ...] = ()
    corrupt: tuple[int, ...] = ()
    orphans: tuple[Path, ...] = ()
    collected: tuple[Path, ...] = field(default=())

    @property
    def ok(self) -> bool:
        """Whether every row's file exists and hashes right."""
        return not self.missing and not self.corrupt


#: Roles of the service's users, lowest first.
UserRole = Literal["viewer", "engineer", "admin"]
#: Kinds of bearer secret: an API token for a system, a session for a person who logged in.
TokenKind = Literal["api", "session"]


@dataclass(frozen=True)
class UserInfo:
    """A user of the service; ``password_hash`` is the argon2 hash (None: tokens only)."""

    id: int
    name: str
    role: UserRole
    active: bool
    created_at: datetime
    password_hash: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class TokenInfo:
    """A bearer secret's record (never the secret): whose, what kind, when it ends."""

    id: int
    user_id: int
    user: str
    kind: TokenKind
    name: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None


@dataclass(frozen=True)
class IssuedToken:
    """A new bearer secret: its record and the secret itself, which the store does not keep."""

    token: TokenInfo
    secret: str = field(repr=False)
