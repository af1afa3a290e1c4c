"""The fleet catalogue and its waveform files: :class:`Store`, the one door to both.

The catalogue (SQLAlchemy 2, migrated with Alembic) runs on SQLite in WAL mode in the home folder
(``$OPENPHM_HOME``, default ``./openphm-data``) out of the box, or on PostgreSQL when
``OPENPHM_DATABASE_URL`` names one. Waveforms lie in content-addressed files under
``home/waveforms`` (:mod:`openphm.store.blobs`), never in a row. Sessions stay inside the store:
every method is one transaction and returns plain frozen dataclasses
(:mod:`openphm.store.records`).

The store does not read waveforms: :meth:`Store.blob_path` gives the file, which
:func:`openphm.acquire.read` opens (the original bytes with their extension, or the Parquet file
written for samples that arrived as an array), so that the store stays below the readers.
"""

from __future__ import annotations

import os

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: SQLite's busy handler alone
    fcntl = None  # type: ignore[assignment]
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import Engine, func, select
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, sessionmaker

from openphm.core.errors import ConfigError
from openphm.store import alarms, deadletters, fleet, measurements, models, users
from openphm.store import results as processing
from openphm.store.blobs import BlobStore, samples_parquet
from openphm.store.check import check_store
from openphm.store.engine import WRITE_OPTION, make_engine, resolve_home, resolve_url
from openphm.store.records import (
    AddOutcome,
    AlarmEventInfo,
    AlarmInfo,
    AlarmUpdate,
    BaselineInfo,
    CheckReport,
    ComponentInfo,
    DeadLetterInfo,
    IssuedToken,
    MachineInfo,
    MeasurementInfo,
    PointInfo,
    ProcessingInputs,
    ResultInfo,
    ResultRow,
    SiteInfo,
    TokenInfo,
    TrendPoint,
    UserInfo,
)

__all__ = [
    "AddOutcome",
    "AlarmEventInfo",
    "AlarmInfo",
    "AlarmUpdate",
    "BaselineInfo",
    "CheckReport",
    "ComponentInfo",
    "DeadLetterInfo",
    "IssuedToken",
    "MachineInfo",
    "MeasurementInfo",
    "PointInfo",
    "ProcessingInputs",
    "ResultInfo",
    "ResultRow",
    "SiteInfo",
    "Store",
    "TokenInfo",
    "TrendPoint",
    "UserInfo",
]


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _reopen(home: str, url: str) -> Store:
    return Store.open(home, url, migrate=False)


class Store:
    """The fleet catalogue and its waveform files.

    Open one with :meth:`Store.open`; one per process (a pickled store reopens itself in the
    process that unpickles it). Every method runs in its own transaction.

    Parameters
    ----------
    engine : sqlalchemy.Engine
        The catalogue's database (see :func:`openphm.store.engine.make_engine`).
    home : pathlib.Path
        Home folder of the waveform files.
    clock : callable, optional
        Returns the current time, timezone-aware (tests pass a fixed one).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as home, Store.open(home) as store:
    ...     site = store.add_site("plant")
    ...     machine = store.add_machine("plant", "fan", profile="electric-motor")
    ...     point = store.add_point("plant/fan", "DE-H", sensor="accelerometer", unit="g")
    ...     store.point("fan/DE-H").path
    'plant/fan/DE-H'
    """

    def __init__(self, engine: Engine, home: Path, clock: Callable[[], datetime] = _utcnow) -> None:
        self._engine = engine
        self._read = sessionmaker(engine, expire_on_commit=False)
        self._write = sessionmaker(
            engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )
        self._blobs = BlobStore(home)
        self._clock = clock

    @classmethod
    def open(
        cls,
        home: str | os.PathLike[str] | None = None,
        database_url: str | URL | None = None,
        *,
        migrate: bool = True,
        clock: Callable[[], datetime] = _utcnow,
    ) -> Store:
        """Open (and create, and upgrade to the newest schema) a store.

        Parameters
        ----------
        home : str or path-like, optional
            Home folder; default ``$OPENPHM_HOME`` or ``./openphm-data``. Created if absent.
        database_url : str or sqlalchemy.engine.URL, optional
            Catalogue database; default ``$OPENPHM_DATABASE_URL`` or SQLite in the home folder.
        migrate : bool
            Upgrade the schema to the newest revision (a no-op when it is there).
        clock : callable, optional
            Returns the current time, timezone-aware.

        Returns
        -------
        Store
            The open store.

        Raises
        ------
        ConfigError
            If the home folder cannot be created, the URL is invalid or the database unreachable.
        """
        root = resolve_home(home)
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"store home {root} cannot be created: {exc.strerror}") from exc
        engine = make_engine(resolve_url(root, database_url))
        if migrate:
            # Alembic is imported only when a store is migrated (a worker reopening skips it).
            from openphm.store.migrate import upgrade

            try:
                upgrade(engine)
            except OSError as exc:  # pragma: no cover - depends on the host
                raise ConfigError(f"store at {root}: {exc}") from exc
            except Exception as exc:
                if type(exc).__module__.startswith("sqlalchemy"):
                    shown = engine.url.render_as_string(hide_password=True)
                    raise ConfigError(f"database {shown}: {exc}") from exc
                raise
        return cls(engine, root, clock)

    def __reduce__(self) -> tuple[Callable[[str, str], Store], tuple[str, str]]:
        return _reopen, (str(self.home), self._engine.url.render_as_string(hide_password=False))

    def close(self) -> None:
        """Close the database connections."""
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def home(self) -> Path:
        """Home folder of the waveform files (and of the SQLite catalogue by default)."""
        return self._blobs.home

    @property
    def backend(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self._engine.dialect.name

    @property
    def url(self) -> str:
        """The database URL, password hidden."""
        return self._engine.url.render_as_string(hide_password=True)

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (for tests and migrations; callers use the methods)."""
        return self._engine

    @contextmanager
    def _writing(self) -> Iterator[Session]:
        with self._write_lock(), self._write.begin() as session:
            yield session

    @contextmanager
    def _write_lock(self) -> Iterator[None]:
        """On SQLite, queue this process's write transactions behind the other processes' on a
        lock file: SQLite's own busy handler waits by sleeping 1 to 100 ms between tries, which
        left two ingesting processes no faster than one; a kernel lock wakes the next writer as
        soon as the last one commits. PostgreSQL queues writers itself."""
        if self._engine.dialect.name != "sqlite" or fcntl is None:
            yield
            return
        with open(self.home / ".write.lock", "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    @contextmanager
    def _reading(self) -> Iterator[Session]:
        with self._read() as session:
            yield session

    # -- fleet ------------------------------------------------------------------------------

    def add_site(self, name: str, description: str = "") -> SiteInfo:
        """Add a site (see :func:`openphm.store.fleet.add_site`).

        Parameters
        ----------
        name : str
            Unique name.
        description : str
            Free text.

        Returns
        -------
        SiteInfo
            The new site.
        """
        with self._writing() as s:
            return fleet.add_site(s, name, description, self._clock())

    def add_machine(
        self,
        site: int | str,
        name: str,
        *,
        profile: str,
        iso_group: int | None = None,
        foundation: str | None = None,
        description: str = "",
    ) -> MachineInfo:
        """Add a machine to a site (see :func:`openphm.store.fleet.add_machine`).

        Parameters
        ----------
        site : int or str
            The site (id or name).
        name : str
            Name, unique within the site.
        profile : str
            Its machine profile's name.
        iso_group : int, optional
            ISO 20816 group.
        foundation : str, optional
            ``"rigid"`` or ``"flexible"``.
        description : str
            Free text.

        Returns
        -------
        MachineInfo
            The new machine.
        """
        with self._writing() as s:
            return fleet.add_machine(
                s, site, name, profile, iso_group, foundation, description, self._clock()
            )

    def add_component(
        self,
        machine: int | str,
        name: str,
        *,
        kind: str,
        designation: str | None = None,
        geometry: Mapping[str, Any] | None = None,
        speed_ratio: float = 1.0,
        rotating_ring: str = "inner",
        details: Mapping[str, Any] | None = None,
    ) -> ComponentInfo:
        """Add a component to a machine (see :func:`openphm.store.fleet.add_component`).

        Parameters
        ----------
        machine : int or str
            The machine (id or path).
        name : str
            Name, unique within the machine.
        kind : str
            ``"bearing"``, ``"gear"``, ``"shaft"`` or ``"other"``.
        designation : str, optional
            Catalogue designation.
        geometry : Mapping, optional
            Geometry as JSON.
        speed_ratio : float
            Shaft speed over the machine's reference shaft speed.
        rotating_ring : str
            ``"inner"`` or ``"outer"``.
        details : Mapping, optional
            Anything else, as JSON.

        Returns
        -------
        ComponentInfo
            The new component.
        """
        with self._writing() as s:
            return fleet.add_component(
                s, machine, name, kind, designation, geometry, speed_ratio, rotating_ring, details
            )

    def add_point(
        self,
        machine: int | str,
        name: str,
        *,
        sensor: str,
        unit: str,
        direction: str | None = None,
        fs_hz: float | None = None,
        channel: str | None = None,
        components: Sequence[int | str] = (),
    ) -> PointInfo:
        """Add a measurement point to a machine (see :func:`openphm.store.fleet.add_point`).

        Parameters
        ----------
        machine : int or str
            The machine (id or path).
        name : str
            Name, unique within the machine.
        sensor : str
            Sensor type (``"accelerometer"``...).
        unit : str
            Unit of its measurements.
        direction : str, optional
            Measuring direction.
        fs_hz : float, optional
            Expected sampling rate in Hz.
        channel : str, optional
            Channel of incoming multi-channel files that is this point's.
        components : sequence of int or str
            Components it hears (ids or names).

        Returns
        -------
        PointInfo
            The new point.
        """
        with self._writing() as s:
            return fleet.add_point(
                s, machine, name, sensor, unit, direction, fs_hz, channel, components, self._clock()
            )

    def update_machine(self, machine: int | str, **changes: Any) -> MachineInfo:
        """Change a machine's ISO group, foundation or description (see
        :func:`openphm.store.fleet.update_machine`).

        Parameters
        ----------
        machine : int or str
            The machine (id or path).
        **changes
            ``iso_group``, ``foundation``, ``description``; None clears the first two.

        Returns
        -------
        MachineInfo
            The machine as it now stands.
        """
        with self._writing() as s:
            return fleet.update_machine(s, machine, changes)

    def update_point(self, point: int | str, **changes: Any) -> PointInfo:
        """Change a point's direction, expected sampling rate or channel (see
        :func:`openphm.store.fleet.update_point`).

        Parameters
        ----------
        point : int or str
            The point (id or path).
        **changes
            ``direction``, ``fs_hz``, ``channel``; None clears one.

        Returns
        -------
        PointInfo
            The point as it now stands.
        """
        with self._writing() as s:
            return fleet.update_point(s, point, changes)

    def sites(self) -> list[SiteInfo]:
        """All sites, by name.

        Returns
        -------
        list of SiteInfo
            The sites.
        """
        with self._reading() as s:
            return fleet.list_sites(s)

    def machine(self, ref: int | str) -> MachineInfo:
        """The machine a ref names (id, ``site/machine`` or a unique ``machine``).

        Parameters
        ----------
        ref : int or str
            Id or path.

        Returns
        -------
        MachineInfo
            The machine.

        Raises
        ------
        ConfigError
            If no machine or several match.
        """
        with self._reading() as s:
            return fleet.machine_info(s, fleet.machine_row(s, ref))

    def machines(self, site: int | str | None = None) -> list[MachineInfo]:
        """Machines of a site, or all.

        Parameters
        ----------
        site : int or str, optional
            The site (id or name).

        Returns
        -------
        list of MachineInfo
            The machines.
        """
        with self._reading() as s:
            return fleet.list_machines(s, site)

    def components(self, machine: int | str) -> list[ComponentInfo]:
        """Components of a machine.

        Parameters
        ----------
        machine : int or str
            The machine (id or path).

        Returns
        -------
        list of ComponentInfo
            The components.
        """
        with self._reading() as s:
            return fleet.list_components(s, machine)

    def point(self, ref: int | str) -> PointInfo:
        """The point a ref names (id, ``site/machine/point``, ``machine/point``, unique ``point``).

        Parameters
        ----------
        ref : int or str
            Id or path; a string of digits is an id.

        Returns
        -------
        PointInfo
            The point.

        Raises
        ------
        ConfigError
            If no point or several match (the message names the ref).
        """
        with self._reading() as s:
            return fleet.point_info(s, fleet.point_row(s, ref))

    def points(self, machine: int | str | None = None) -> list[PointInfo]:
        """Points of a machine, or all.

        Parameters
        ----------
        machine : int or str, optional
            The machine (id or path).

        Returns
        -------
        list of PointInfo
            The points.
        """
        with self._reading() as s:
            return fleet.list_points(s, machine)

    # -- measurements -----------------------------------------------------------------------

    def add_measurement(
        self,
        point: int | str,
        *,
        data: bytes | Path | None,
        original_name: str,
        acquired_at: datetime,
        kind: str = "waveform",
        fs_hz: float | None = None,
        n_samples: int | None = None,
        unit: str | None = None,
        speed_hz: float | None = None,
        load: float | None = None,
        regime: str | None = None,
        scalars: Mapping[str, Any] | None = None,
    ) -> AddOutcome:
        """Store a measurement once, atomically; returning is the acknowledgement.

        The file goes to its content address first (fsynced), then the row in one transaction;
        the same point, content and acquisition time again answers ``duplicate`` with the id
        already stored. See :mod:`openphm.store.measurements`.

        Parameters
        ----------
        point : int or str
            The point (id or path).
        data : bytes, pathlib.Path or None
            The file's bytes or the file (kept as received); None for a scalars measurement.
        original_name : str
            Name of the file as received (its extension is kept for the readers).
        acquired_at : datetime.datetime
            Acquisition time, timezone-aware.
        kind : str
            ``"waveform"`` or ``"scalars"``.
        fs_hz : float, optional
            Sampling rate in Hz (required for waveforms).
        n_samples : int, optional
            Number of samples (required for waveforms).
        unit : str, optional
            Unit of the samples; default the point's.
        speed_hz : float, optional
            Shaft speed in Hz.
        load : float, optional
            Load during the acquisition.
        regime : str, optional
            Operating-regime label.
        scalars : Mapping, optional
            Scalar telemetry as JSON.

        Returns
        -------
        AddOutcome
            ``stored`` or ``duplicate``, with the measurement id and the content's sha256.
        """
        return measurements.add_measurement(
            self._write,
            self._blobs,
            point,
            data=data,
            original_name=original_name,
            acquired_at=acquired_at,
            kind=kind,
            fs_hz=fs_hz,
            n_samples=n_samples,
            unit=unit,
            speed_hz=speed_hz,
            load=load,
            regime=regime,
            scalars=scalars,
            now=self._clock(),
        )

    def add_samples(
        self,
        point: int | str,
        samples: npt.ArrayLike,
        *,
        fs_hz: float,
        acquired_at: datetime,
        unit: str | None = None,
        channel: str = "",
        original_name: str = "",
        speed_hz: float | None = None,
        load: float | None = None,
        regime: str | None = None,
    ) -> AddOutcome:
        """Store samples that arrived as an array (MQTT JSON...) as a Parquet file, once.

        Parameters
        ----------
        point : int or str
            The point (id or path).
        samples : array_like
            One-dimensional samples.
        fs_hz : float
            Sampling rate in Hz.
        acquired_at : datetime.datetime
            Acquisition time, timezone-aware.
        unit : str, optional
            Unit of the samples; default the point's.
        channel : str
            Channel name (also the Parquet column's).
        original_name : str
            Where they came from (topic...); the stored file is ``.parquet`` whatever it says.
        speed_hz : float, optional
            Shaft speed in Hz.
        load : float, optional
            Load during the acquisition.
        regime : str, optional
            Operating-regime label.

        Returns
        -------
        AddOutcome
            ``stored`` or ``duplicate``.
        """
        chosen_unit = self.point(point).unit if unit is None else unit
        data = samples_parquet(samples, fs_hz, chosen_unit, channel)
        return self.add_measurement(
            point,
            data=data,
            original_name=f"{original_name or 'samples'}.parquet",
            acquired_at=acquired_at,
            fs_hz=fs_hz,
            n_samples=int(np.asarray(samples).size),
            unit=chosen_unit,
            speed_hz=speed_hz,
            load=load,
            regime=regime,
        )

    def measurement(self, measurement_id: int) -> MeasurementInfo:
        """One measurement's catalogue row.

        Parameters
        ----------
        measurement_id : int
            The id.

        Returns
        -------
        MeasurementInfo
            The measurement.

        Raises
        ------
        ConfigError
            If there is no such measurement.
        """
        with self._reading() as s:
            return measurements.measurement_info(measurements.get_measurement(s, measurement_id))

    def measurements(
        self,
        point: int | str | None = None,
        *,
        status: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int | None = None,
        newest_first: bool = False,
    ) -> list[MeasurementInfo]:
        """Measurements, oldest acquisition first (or newest first), filtered.

        Parameters
        ----------
        point : int or str, optional
            Only this point's.
        status : str, optional
            ``"stored"`` (still to process), ``"processed"`` or ``"failed"``.
        since, until : datetime.datetime, optional
            Acquisition-time window, ``since <= t < until``.
        limit : int, optional
            At most this many.
        newest_first : bool, default False
            Newest acquisition first (with ``limit``: the latest ones).

        Returns
        -------
        list of MeasurementInfo
            The measurements.
        """
        with self._reading() as s:
            return measurements.list_measurements(
                s, point, status, since, until, limit, newest_first
            )

    def measurement_count(self, point: int | str) -> int:
        """How many measurements a point holds.

        Parameters
        ----------
        point : int or str
            The point (id or path).

        Returns
        -------
        int
            The count.
        """
        with self._reading() as s:
            return measurements.count_measurements(s, point)

    def pending(self, limit: int | None = None) -> list[MeasurementInfo]:
        """Measurements stored but not processed (a crash between the two leaves some).

        Parameters
        ----------
        limit : int, optional
            At most this many.

        Returns
        -------
        list of MeasurementInfo
            The measurements with status ``stored``, oldest first.
        """
        return self.measurements(status="stored", limit=limit)

    def processing_inputs(self, measurement_id: int) -> ProcessingInputs:
        """What processing a measurement needs from the store, read in one transaction.

        Parameters
        ----------
        measurement_id : int
            The measurement.

        Returns
        -------
        ProcessingInputs
            The measurement, its point, machine and heard components, its file, the point's
            detector states and baselines.
        """
        with self._reading() as s:
            row = measurements.get_measurement(s, measurement_id)
            point = fleet.point_info(s, fleet.point_row(s, row.point_id))
            machine = fleet.machine_info(s, fleet.machine_row(s, point.machine_id))
            by_id = {c.id: c for c in fleet.list_components(s, machine.id)}
            return ProcessingInputs(
                measurement=measurements.measurement_info(row),
                point=point,
                machine=machine,
                components=tuple(by_id[i] for i in point.component_ids if i in by_id),
                blob=None if row.blob is None else self._blobs.path(row.blob),
                states=processing.get_states(s, point.id),
                baselines=processing.all_baselines(s, point.id),
            )

    def blob_path(self, measurement_id: int) -> Path | None:
        """The file holding a measurement's waveform (open it with :func:`openphm.acquire.read`).

        Parameters
        ----------
        measurement_id : int
            The measurement.

        Returns
        -------
        pathlib.Path or None
            The file; None for a scalars measurement.
        """
        blob = self.measurement(measurement_id).blob
        return None if blob is None else self._blobs.path(blob)

    def add_results(
        self,
        measurement_id: int,
        results: Sequence[ResultRow] = (),
        indicators: Mapping[str, float] | None = None,
        *,
        states: Mapping[str, Mapping[str, Any]] | None = None,
        status: str = "processed",
        error: str | None = None,
        regime: str | None = None,
        alarms: Sequence[AlarmUpdate] = (),
    ) -> tuple[int, ...]:
        """Store one processing of a measurement in ONE transaction: all of it or nothing.

        Results, trend values, detector states of the point and the measurement's new status are
        written together; processing again replaces the results and trend values.

        Parameters
        ----------
        measurement_id : int
            The measurement processed.
        results : sequence of ResultRow
            Its results.
        indicators : Mapping of str to float, optional
            Indicator values for the trend table (finite).
        states : Mapping of str to Mapping, optional
            Detector states of the point to insert or replace, by key.
        status : str
            ``"processed"`` or ``"failed"``.
        error : str, optional
            Why processing failed.
        regime : str, optional
            The measurement's operating regime as processing found it (kept on the measurement
            and its trend values).
        alarms : sequence of AlarmUpdate
            Alarm changes the processing caused at the measurement's point, applied in the same
            transaction (each with its event), so that a crash leaves no alarm without its
            results or results without their alarms.

        Returns
        -------
        tuple of int
            Ids of the stored results.
        """
        with self._writing() as s:
            if regime is not None:
                measurements.get_measurement(s, measurement_id).regime = regime
            ids = processing.add_results(
                s,
                measurement_id,
                results,
                indicators or {},
                states or {},
                status,
                error,
                self._clock(),
            )
            if alarms:
                measurement = measurements.get_measurement(s, measurement_id)
                point = s.get_one(models.Point, measurement.point_id)
                for update in alarms:
                    self._update_alarm(s, point.machine_id, point.id, update)
            return ids

    def _update_alarm(
        self, s: Session, machine_id: int, point_id: int, update: AlarmUpdate
    ) -> None:
        if update.level == "normal":
            row = alarms.open_alarm_row(s, machine_id, point_id, update.key)
            if row is not None:
                alarms.clear_alarm(s, row.id, self._clock(), update.message, update.details)
            return
        alarms.raise_alarm(
            s,
            machine_id=machine_id,
            point_id=point_id,
            component_id=update.component_id,
            source=update.source,
            key=update.key,
            level=update.level,
            message=update.message,
            details=update.details,
            at=self._clock(),
        )

    def results(
        self,
        measurement_id: int | None = None,
        *,
        kind: str | None = None,
        component_id: int | None = None,
    ) -> list[ResultInfo]:
        """Stored results, filtered.

        Parameters
        ----------
        measurement_id : int, optional
            Only this measurement's.
        kind : str, optional
            Only this kind.
        component_id : int, optional
            Only this component's.

        Returns
        -------
        list of ResultInfo
            The results.
        """
        with self._reading() as s:
            return processing.list_results(s, measurement_id, kind, component_id)

    def latest_result(self, kind: str, component_id: int) -> ResultInfo | None:
        """The newest result of one kind for a component.

        Parameters
        ----------
        kind : str
            The result kind (``"diagnosis"``).
        component_id : int
            The component.

        Returns
        -------
        ResultInfo or None
            The newest one, if any.
        """
        with self._reading() as s:
            return processing.latest_result(s, kind, component_id)

    def measurement_stats(self, machine: int | str) -> tuple[int, datetime | None]:
        """How many measurements a machine's points hold, and the newest acquisition time.

        Parameters
        ----------
        machine : int or str
            The machine (id or path).

        Returns
        -------
        (int, datetime or None)
            The count and the latest ``acquired_at`` (None when there is none).
        """
        with self._reading() as s:
            machine_id = fleet.machine_row(s, machine).id
            query = (
                select(func.count(models.Measurement.id), func.max(models.Measurement.acquired_at))
                .join(models.Point, models.Point.id == models.Measurement.point_id)
                .where(models.Point.machine_id == machine_id)
            )
            count, last = s.execute(query).one()
            return int(count), last

    def indicator_names(self, point: int | str) -> list[str]:
        """The names of every value trended at a point (indicators, telemetry values).

        Parameters
        ----------
        point : int or str
            The point (id or path).

        Returns
        -------
        list of str
            Sorted.
        """
        with self._reading() as s:
            point_id = fleet.point_row(s, point).id
            query = (
                select(models.IndicatorValue.name)
                .where(models.IndicatorValue.point_id == point_id)
                .distinct()
            )
            return sorted(s.scalars(query))

    def change_marker(self) -> tuple[int, ...]:
        """The newest id of each table a fleet view is made of: it changes when anything does.

        One query of index look-ups (machines, components, points, measurements, results,
        alarm events), so that a view built from the store can be kept until the marker moves.

        Returns
        -------
        tuple of int
            The largest id of each table (0 when empty).
        """
        tables = (
            models.Machine,
            models.Component,
            models.Point,
            models.Measurement,
            models.Result,
            models.AlarmEvent,
        )
        query = select(*(select(func.max(t.id)).scalar_subquery() for t in tables))
        with self._reading() as s:
            return tuple(int(v or 0) for v in s.execute(query).one())

    def trend(
        self,
        point: int | str,
        indicator: str,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        regime: str | None = None,
    ) -> list[TrendPoint]:
        """An indicator's values at a point, oldest first.

        Parameters
        ----------
        point : int or str
            The point (id or path).
        indicator : str
            The indicator (``"rms"``).
        since, until : datetime.datetime, optional
            Acquisition-time window.
        regime : str, optional
            Only this operating regime.

        Returns
        -------
        list of TrendPoint
            The values.
        """
        with self._reading() as s:
            return processing.trend(s, point, indicator, since, until, regime)

    def add_baseline(
        self,
        point: int | str,
        indicator: str,
        payload: Mapping[str, Any],
        *,
        regime: str | None = None,
    ) -> BaselineInfo:
        """Store a learned baseline; the newest one is in force.

        Parameters
        ----------
        point : int or str
            The point (id or path).
        indicator : str
            The indicator it describes.
        payload : Mapping
            The baseline as JSON.
        regime : str, optional
            Operating regime (None: all).

        Returns
        -------
        BaselineInfo
            The stored baseline.
        """
        with self._writing() as s:
            return processing.add_baseline(s, point, regime, indicator, payload, self._clock())

    def baseline(
        self, point: int | str, indicator: str, *, regime: str | None = None
    ) -> BaselineInfo | None:
        """The baseline in force for a point, indicator and regime.

        Parameters
        ----------
        point : int or str
            The point (id or path).
        indicator : str
            The indicator.
        regime : str, optional
            Operating regime.

        Returns
        -------
        BaselineInfo or None
            The newest matching baseline.
        """
        with self._reading() as s:
            return processing.latest_baseline(s, point, regime, indicator)

    def baselines(self, point: int | str, *, regime: str | None = None) -> dict[str, BaselineInfo]:
        """The baselines in force at a point and regime, by indicator.

        Parameters
        ----------
        point : int or str
            The point (id or path).
        regime : str, optional
            Operating regime.

        Returns
        -------
        dict of str to BaselineInfo
            The newest baseline of each indicator that has one.
        """
        with self._reading() as s:
            return processing.latest_baselines(s, point, regime)

    def states(self, point: int | str) -> dict[str, Mapping[str, Any]]:
        """Detector states of a point, by key.

        Parameters
        ----------
        point : int or str
            The point (id or path).

        Returns
        -------
        dict of str to Mapping
            The states.
        """
        with self._reading() as s:
            return processing.get_states(s, point)

    def set_state(self, point: int | str, key: str, payload: Mapping[str, Any]) -> None:
        """Insert or replace one detector state of a point.

        Parameters
        ----------
        point : int or str
            The point (id or path).
        key : str
            Which detector.
        payload : Mapping
            The state as JSON.
        """
        with self._writing() as s:
            processing.set_state(s, fleet.point_row(s, point).id, key, payload, self._clock())

    # -- alarms -----------------------------------------------------------------------------

    def raise_alarm(
        self,
        machine: int | str,
        key: str,
        level: str,
        *,
        source: str,
        point: int | str | None = None,
        component_id: int | None = None,
        message: str = "",
        details: Mapping[str, Any] | None = None,
    ) -> AlarmInfo:
        """Raise an alarm, or escalate / de-escalate the open one with the same point and key.

        Parameters
        ----------
        machine : int or str
            The machine (id or path).
        key : str
            What it is about (``"rms"``, ``"bearing:DE"``).
        level : str
            ``"alert"`` or ``"danger"``.
        source : str
            What raised it (``"indicator"``, ``"zone"``, ``"diagnosis"``...).
        point : int or str, optional
            The point (id or path).
        component_id : int, optional
            The component it names.
        message : str
            One line for people.
        details : Mapping, optional
            Evidence as JSON.

        Returns
        -------
        AlarmInfo
            The alarm as it now stands.
        """
        with self._writing() as s:
            machine_id = fleet.machine_row(s, machine).id
            point_id = None if point is None else fleet.point_row(s, point).id
            return alarms.raise_alarm(
                s,
                machine_id=machine_id,
                point_id=point_id,
                component_id=component_id,
                source=source,
                key=key,
                level=level,
                message=message,
                details=details,
                at=self._clock(),
            )

    def open_alarm(
        self, machine: int | str, key: str, *, point: int | str | None = None
    ) -> AlarmInfo | None:
        """The open alarm of a machine (and point) for a key, if any.

        Parameters
        ----------
        machine : int or str
            The machine (id or path).
        key : str
            What the alarm is about.
        point : int or str, optional
            The point (id or path).

        Returns
        -------
        AlarmInfo or None
            The alarm.
        """
        with self._reading() as s:
            machine_id = fleet.machine_row(s, machine).id
            point_id = None if point is None else fleet.point_row(s, point).id
            row = alarms.open_alarm_row(s, machine_id, point_id, key)
            return None if row is None else alarms.alarm_info(row)

    def clear_alarm(
        self, alarm_id: int, *, comment: str = "", details: Mapping[str, Any] | None = None
    ) -> AlarmInfo:
        """Clear an alarm.

        Parameters
        ----------
        alarm_id : int
            The alarm.
        comment : str
            Why.
        details : Mapping, optional
            Evidence as JSON.

        Returns
        -------
        AlarmInfo
            The alarm as it now stands.
        """
        with self._writing() as s:
            return alarms.clear_alarm(s, alarm_id, self._clock(), comment, details)

    def acknowledge(self, alarm_id: int, user: str, comment: str = "") -> AlarmInfo:
        """Acknowledge an open alarm.

        Parameters
        ----------
        alarm_id : int
            The alarm.
        user : str
            Who acknowledges.
        comment : str
            Their comment.

        Returns
        -------
        AlarmInfo
            The alarm as it now stands.
        """
        with self._writing() as s:
            return alarms.acknowledge_alarm(s, alarm_id, user, comment, self._clock())

    def comment_alarm(self, alarm_id: int, comment: str, user: str | None = None) -> AlarmInfo:
        """Add a comment to an alarm's history.

        Parameters
        ----------
        alarm_id : int
            The alarm.
        comment : str
            The comment.
        user : str, optional
            Who comments.

        Returns
        -------
        AlarmInfo
            The alarm.
        """
        with self._writing() as s:
            return alarms.comment_alarm(s, alarm_id, user, comment, self._clock())

    def alarms(
        self,
        *,
        open_only: bool = False,
        machine: int | str | None = None,
        point: int | str | None = None,
    ) -> list[AlarmInfo]:
        """Alarms, newest first, filtered.

        Parameters
        ----------
        open_only : bool
            Only raised or acknowledged ones.
        machine : int or str, optional
            Only this machine's (id or path).
        point : int or str, optional
            Only this point's (id or path).

        Returns
        -------
        list of AlarmInfo
            The alarms.
        """
        with self._reading() as s:
            machine_id = None if machine is None else fleet.machine_row(s, machine).id
            point_id = None if point is None else fleet.point_row(s, point).id
            return alarms.list_alarms(s, open_only, machine_id, point_id)

    def alarm_events(self, alarm_id: int) -> list[AlarmEventInfo]:
        """An alarm's history, oldest first.

        Parameters
        ----------
        alarm_id : int
            The alarm.

        Returns
        -------
        list of AlarmEventInfo
            Its events.
        """
        with self._reading() as s:
            return alarms.alarm_events(s, alarm_id)

    # -- dead letters and the self-check ----------------------------------------------------

    def add_dead_letter(
        self,
        source_name: str,
        reason: str,
        *,
        point_ref: str | None = None,
        data: bytes | Path | None = None,
        keep: bool = False,
    ) -> DeadLetterInfo:
        """Record a refused input with its reason.

        Parameters
        ----------
        source_name : str
            File name or topic it came from.
        reason : str
            Why it was refused.
        point_ref : str, optional
            The point it claimed.
        data : bytes or pathlib.Path, optional
            Its content, to hash (and keep when ``keep``).
        keep : bool
            Keep its bytes as a file for inspection.

        Returns
        -------
        DeadLetterInfo
            The record.
        """
        with self._writing() as s:
            return deadletters.add_dead_letter(
                s,
                self._blobs,
                source_name=source_name,
                reason=reason,
                point_ref=point_ref,
                data=data,
                keep=keep,
                received_at=self._clock(),
            )

    def dead_letters(self, limit: int | None = None) -> list[DeadLetterInfo]:
        """Refused inputs, newest first.

        Parameters
        ----------
        limit : int, optional
            At most this many.

        Returns
        -------
        list of DeadLetterInfo
            The records.
        """
        with self._reading() as s:
            return deadletters.list_dead_letters(s, limit)

    def check(self, *, collect: bool = False, grace_s: float = 3600.0) -> CheckReport:
        """Verify every measurement's file (exists, sha256 right) and list orphan files.

        Parameters
        ----------
        collect : bool
            Remove orphan files older than ``grace_s``.
        grace_s : float
            Age in seconds under which a file without a row may be an ingest in progress.

        Returns
        -------
        CheckReport
            What was found.
        """
        with self._reading() as s:
            return check_store(s, self._blobs, collect, grace_s)

    # -- users and their bearer secrets (openphm.service) -----------------------------------

    def add_user(self, name: str, role: str, password_hash: str | None = None) -> UserInfo:
        """Add a user of the service (see :func:`openphm.store.users.add_user`).

        Parameters
        ----------
        name : str
            Unique name.
        role : str
            ``"viewer"``, ``"engineer"`` or ``"admin"``.
        password_hash : str, optional
            argon2 hash of the password (:func:`openphm.service.auth.hash_password`); None for
            a user that signs in with API tokens only.

        Returns
        -------
        UserInfo
            The new user.
        """
        with self._writing() as s:
            return users.add_user(s, name, role, password_hash, self._clock())

    def user_by_name(self, name: str) -> UserInfo | None:
        """The user of that name, if any.

        Parameters
        ----------
        name : str
            The name.

        Returns
        -------
        UserInfo or None
            The user.
        """
        with self._reading() as s:
            row = users.user_row(s, name)
            return None if row is None else users.user_info(row)

    def users(self) -> list[UserInfo]:
        """All users, by name.

        Returns
        -------
        list of UserInfo
            The users.
        """
        with self._reading() as s:
            return users.list_users(s)

    def set_password(self, name: str, password_hash: str) -> UserInfo:
        """Replace a user's password hash.

        Parameters
        ----------
        name : str
            The user.
        password_hash : str
            The new argon2 hash.

        Returns
        -------
        UserInfo
            The user.
        """
        with self._writing() as s:
            return users.update_user(s, name, password_hash=password_hash)

    def update_user(
        self, name: str, *, role: str | None = None, active: bool | None = None
    ) -> UserInfo:
        """Change a user's role or activity; deactivating also revokes its secrets.

        Parameters
        ----------
        name : str
            The user.
        role : str, optional
            New role.
        active : bool, optional
            Whether the user may sign in.

        Returns
        -------
        UserInfo
            The user as it now stands.
        """
        with self._writing() as s:
            info = users.update_user(s, name, role=role, active=active)
            if active is False:
                for token in users.list_tokens(s, name, None):
                    if token.revoked_at is None:
                        users.revoke_token(s, token.id, self._clock())
            return info

    def add_token(
        self,
        name: str,
        *,
        kind: str = "api",
        label: str = "",
        lifetime_s: float | None = None,
    ) -> IssuedToken:
        """Issue a bearer secret to a user; the secret is in the answer only, kept hashed.

        Parameters
        ----------
        name : str
            The user.
        kind : str
            ``"api"`` (a system's token) or ``"session"`` (a person's login).
        label : str
            What it is for.
        lifetime_s : float, optional
            Seconds until it expires (None: until revoked).

        Returns
        -------
        IssuedToken
            Its record and the secret.
        """
        with self._writing() as s:
            return users.add_token(s, name, kind, label, self._clock(), lifetime_s)

    def user_by_token_hash(self, digest: str) -> UserInfo | None:
        """The active user whose live secret hashes to ``digest`` (see
        :func:`openphm.store.users.token_hash`).

        Parameters
        ----------
        digest : str
            sha256 hex of the secret presented.

        Returns
        -------
        UserInfo or None
            The user, or None when no live secret matches.
        """
        with self._reading() as s:
            return users.user_by_token_hash(s, digest, self._clock())

    def revoke_token(self, token_id: int | None = None, *, digest: str | None = None) -> None:
        """Revoke a token by id, or the secret hashing to ``digest`` (a logout).

        Parameters
        ----------
        token_id : int, optional
            The token's id.
        digest : str, optional
            sha256 hex of the secret.
        """
        with self._writing() as s:
            if token_id is not None:
                users.revoke_token(s, token_id, self._clock())
            if digest is not None:
                users.revoke_by_hash(s, digest, self._clock())

    def tokens(self, name: str | None = None, *, kind: str | None = None) -> list[TokenInfo]:
        """Tokens, newest first (never their secrets).

        Parameters
        ----------
        name : str, optional
            Only this user's.
        kind : str, optional
            Only ``"api"`` or ``"session"``.

        Returns
        -------
        list of TokenInfo
            The tokens.
        """
        with self._reading() as s:
            return users.list_tokens(s, name, kind)
