"""The catalogue's tables (SQLAlchemy 2 ORM): fleet, measurements, results, trends, states, alarms.

Sites hold machines; a machine holds components (bearings, gears, shafts) and measurement points;
a point hears some components (``point_components``) and receives measurements, whose waveform
lies in a content-addressed file (``blob``), never in a row. Results, trend values
(``indicator_values``), baselines and detector states hang off measurements and points; alarms and
their events off machines. Bad input is recorded in ``dead_letters``. Times are UTC and
timezone-aware in and out (:class:`UTCDateTime`), JSON columns are :class:`sqlalchemy.JSON`, so
that one schema serves SQLite and PostgreSQL. These classes stay inside :mod:`openphm.store`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from openphm.core.errors import DataError

#: Constraint names the same on every backend, so that migrations can name what they change.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every backend (SQLite keeps no zone of its own).

    A naive datetime is refused (its zone would be a guess); an aware one is converted to UTC on the
    way in, and every value read back carries ``tzinfo=UTC``.

    Parameters
    ----------
    *args
        Passed to :class:`sqlalchemy.types.DateTime` (ignored: the type is always timezone-aware).
    **kwargs
        Likewise.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Convert an aware datetime to UTC; refuse a naive one.

        Parameters
        ----------
        value : datetime.datetime or None
            The value to store.
        dialect : sqlalchemy.engine.Dialect
            The backend.

        Returns
        -------
        datetime.datetime or None
            The UTC value (naive on SQLite, which stores no zone).
        """
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise DataError(f"time {value.isoformat()} has no timezone: give an aware datetime")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Attach UTC to a value read back.

        Parameters
        ----------
        value : datetime.datetime or None
            The value as the driver returns it.
        dialect : sqlalchemy.engine.Dialect
            The backend.

        Returns
        -------
        datetime.datetime or None
            The value, aware, in UTC.
        """
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base of the catalogue's tables.

    Parameters
    ----------
    **kwargs
        Column values by attribute name.
    """

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
        str: Text(),
    }


class Site(Base):
    """A plant, tunnel project or wind farm.

    Parameters
    ----------
    **kwargs
        Column values by attribute name.
    """

    __tablename__ = "sites"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(default="")
    created_at: Mapped[datetime]


class Machine(Base):
    """A machine of a site, described by a machine profile.

    Parameters
    ----------
    **kwargs
        Column values by attribute name.
    """

    __tablename__ = "machines"
    __table_args__ = (UniqueConstraint("site_id", "name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    profile: Mapped[str]
    iso_group: Mapped[int | None]
    foundation: Mapped[str | None]
    description: Mapped[str] = mapped_column(default="")
    created_at: Mapped[datetime]


class Component(Base):
    """A bearing, gear or shaft of a machine, with its speed ratio to the reference shaft.

    Parameters
    ----------
    **kwargs
        Column values by attribute name.
    """

    __tablename__ = "components"
    __table_args__ = (UniqueConstraint("machine_id", "name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    machine_id: Mapped[int] = mapped_column(ForeignKey("machines.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    designation: Mapped[str | None]
    geometry: Mapped[dict[str, Any] | None]
    speed_ratio: Mapped[float] = mapped_column(Float, default=1.0)
    rotating_ring: Mapped[str] = mapped_column(String(10), default="inner")
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Point(Base):
    """A measurement point: one sensor on a machine, hearing some of its components.

    Parameters
    ----------
    **kwargs
        Column values by attribute name.
    """

    __tablename__ = "points"
    __table_args__ = (UniqueConstraint("machine_id", "name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    machine_id: Mapped[int] = mapped_column(ForeignKey("machines.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    sensor: Mapped[str] = mapped_column(String(40))
    direction: Mapped[str | None]
    unit: Mapped[str] = mapped_column(String(40))
    fs_hz: Mapped[float | None] = mapped_column(Float)
    channel: Mapped[str | None]
    created_at: Mapped[datetime]


class PointComponent(Base):
    """Which components a point hears.

    Parameters
    ----------
    **kwargs
        Column values by attribute name.
    """

    __tablename__ = "point_components"
    point_id: Mapped[int] = mapped_column(ForeignKey("points.id"), primary_key=True)
    component_id: Mapped[int] = mapped_column(ForeignKey("components.id"), primary_key=True)
    #: Order in which the point hears its components: the first is the one it is placed for.
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Measurement(Base):
    """One acquisition at a point: a waveform file (by content address) or scalar telemetry.

    Parameters
    ----------
    **kwargs
        Column values by attribute name.
    """

    __tablename__ = "measurements"
    __table_args__ = (
        UniqueConstraint("point_id", "content_sha256", "acquired_at"),
        Index("ix_measurements_point_acquired", "point_id", "acquired_at"),
        Index("ix_measurements_status", "status"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    point_id: Mapped[int] = mapped_column(ForeignKey("points.id"))
    kind: Mapped[str] = mapped_column(String(20))
    acquired_at: Mapped[datetime]
    content_sha256: Mapped[str] = mapped_column(String(64))
    blob: Mapped[str | None] = mapped_column(String(200))
    original_name: Mapped[str] = mapped_column(default="")
    fs_hz: Mapped[float | None] = mapped_column(Float)
    n_samples: Mapped[int | None]
    unit: Mapped[str] = mapped_column(String(40), default="")
    speed_hz: Mapped[float | None] = mapped_column(Float)
    load: Mapped[float | None] = mapped_column(Float)
    regime: Mapped[str | None] = mapped_column(String(100))
    scalars: Mapped[dict[str, Any] | None]
    status: Mapped[str] = mapped_column(String(20), default="stored")
    error: Mapped[str | None]
    created_at: Mapped[datetime]


class Result(Base):
    """One result of processing a measurement, with its provenance.

    Parameters
    ----------
    **kwargs
        Column values by attribute name.
    """

    __tablename__ = "results"
    __table_args__ = (Index("ix_results_component_kind", "component_id", "kind", "id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    measurement_id: Mapped[int] = mapped_column(ForeignKey("measurements.id"), index=True)
    component_id: Mapped[int | None] = mapped_column(ForeignKey("components.id"))
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]]
    openphm_version: Mapped[str] = mapped_column(String(40))
    settings: Mapped[dict[str, Any] | None]
    settings_hash: Mapped[str | None] = mapped_column(String(64))
    input: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime]


class IndicatorValue(Base):
    """One indicator of one measurement: the trend table.

    Parameters
    ----------
    **kwargs
        Column values by attribute name.
    """

    __tablename__ = "indicator_values"
    __table_args__ = (Index("ix_indicator_values_trend", "point_id", "name", "acquired_at"),)
    measurement_id: Mapped[int] = mapped_column(ForeignKey("measurements.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    point_id: Mapped[int] = mapped_column(ForeignKey("points.id"))
    value: Mapped[float] = mapped_column(Float)
    regime: Mapped[str | None] = mapped_column(String(100))
    acquired_at: Mapped[datetime]


class Baseline(Base):
    """A learned baseline of one indicator at a point in one operating regime.

    Parameters
    ----------
    **kwargs
        Column values by attribute name.
    """

    __tablename__ = "baselines"
    __table_args__ = (Index("ix_baselines_lookup", "point_id", "indicator", "regime"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    point_id: Mapped[int] = mapped_column(ForeignKey("points.id"))
    regime: Mapped[str | None] = mapped_column(String(100))
    indicator: Mapped[str] = mapped_column(String(100))
    payload: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]


class DetectorState(Base):
    """The streaming state of one detector at a point (CUSUM sums, counters...).

    Parameters
    ----------
    **kwargs
        Column values by attribute name.
    """

    __tablename__ = "detector_states"
    point_id: Mapped[int] = mapped_column(ForeignKey("points.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    payload: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]


class Alarm(Base):
    """An alarm on a machine (and maybe a point or component), with its life-cycle state.

    Parameters
    ----------
    **kwargs
        Column values by attribute name.
    """

    __tablename__ = "alarms"
    __table_args__ = (Index("ix_alarms_open", "machine_id", "state"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    machine_id: Mapped[int] = mapped_column(ForeignKey("machines.id"))
    point_id: Mapped[int | None] = mapped_column(ForeignKey("points.id"))
    component_id: Mapped[int | None] = mapped_column(ForeignKey("components.id"))
    source: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20))
    message: Mapped[str] = mapped_column(default="")
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    raised_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    cleared_at: Mapped[datetime | None]


class AlarmEvent(Base):
    """One event in an alarm's life: raised, escalated, acknowledged, commented, cleared...

    Parameters
    ----------
    **kwargs
        Column values by attribute name.
    """

    __tablename__ = "alarm_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alarm_id: Mapped[int] = mapped_column(ForeignKey("alarms.id"), index=True)
    at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(20))
    user: Mapped[str | None] = mapped_column(String(200))
    comment: Mapped[str] = mapped_column(default="")
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


class DeadLetter(Base):
    """Input that was refused, with the reason (never a measurement).

    Parameters
    ----------
    **kwargs
        Column values by attribute name.
    """

    __tablename__ = "dead_letters"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    received_at: Mapped[datetime]
    source_name: Mapped[str]
    point_ref: Mapped[str | None]
    reason: Mapped[str]
    sha256: Mapped[str | None] = mapped_column(String(64))
    size_bytes: Mapped[int | None]
    kept_blob: Mapped[str | None] = mapped_column(String(200))


class User(Base):
    """A person or a system that uses the service, with its role and (for people) a password.

    The password is stored only as an argon2 hash made by the service; a system with API tokens
    only may have none.

    Parameters
    ----------
    **kwargs
        Column values by attribute name.
    """

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None]
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]


class ApiToken(Base):
    """A bearer secret of a user (an API token, or a login session), stored as its sha256 only.

    Parameters
    ----------
    **kwargs
        Column values by attribute name.
    """

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
