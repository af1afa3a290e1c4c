"""Fleet repository: sites, machines, components and measurement points, and how refs resolve.

A machine is addressed by id or by ``site/machine`` (``machine`` alone when the name is unique); a
point by id or by ``site/machine/point`` (``machine/point`` or ``point`` when unique). A string of
digits is an id. These functions run inside a session that :class:`openphm.store.Store` opens.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar, cast, get_args

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from openphm.core.errors import ConfigError
from openphm.store.models import Component, Machine, Point, PointComponent, Site
from openphm.store.records import (
    ComponentInfo,
    ComponentKind,
    MachineInfo,
    PointInfo,
    SiteInfo,
    frozen_mapping,
)

#: Rings that can rotate in a bearing.
ROTATING_RINGS = ("inner", "outer")
#: ISO 20816 machine groups.
ISO_GROUPS = (1, 2, 3, 4)

_Row = TypeVar("_Row", Site, Machine, Point, Component)


def _one(session: Session, query: Select[_Row], what: str, ref: int | str) -> _Row:
    rows = session.scalars(query.limit(2)).all()
    if not rows:
        raise ConfigError(f"{what} {ref!r} not found")
    if len(rows) > 1:
        raise ConfigError(f"{what} {ref!r} is ambiguous: give its full path (site/machine/...)")
    return rows[0]


def _by_id(session: Session, model: type[_Row], ident: int, what: str, ref: int | str) -> _Row:
    """The row of ``model`` with primary key ``ident`` (from the identity map when loaded)."""
    found = session.get(model, ident)
    if found is None:
        raise ConfigError(f"{what} {ref!r} not found")
    return found


def _as_id(ref: int | str) -> int | None:
    if isinstance(ref, bool):
        raise ConfigError(f"reference {ref!r} is neither an id nor a path")
    if isinstance(ref, int):
        return ref
    return int(ref) if ref.strip().isdigit() else None


def _check_name(name: str, what: str) -> str:
    clean = name.strip() if isinstance(name, str) else ""
    if not clean or "/" in clean or clean.isdigit():
        raise ConfigError(
            f"{what} name {name!r} is invalid: give non-empty text, not only digits, without '/'"
        )
    return clean


def site_row(session: Session, ref: int | str) -> Site:
    """The site a ref names (id or name).

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open session.
    ref : int or str
        Id or name.

    Returns
    -------
    Site
        The row.

    Raises
    ------
    ConfigError
        If no site matches.
    """
    ident = _as_id(ref)
    query = select(Site).where(Site.id == ident if ident is not None else Site.name == ref)
    return _one(session, query, "site", ref)


def machine_row(session: Session, ref: int | str) -> Machine:
    """The machine a ref names (id, ``site/machine`` or a unique ``machine``).

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open session.
    ref : int or str
        Id or path.

    Returns
    -------
    Machine
        The row.

    Raises
    ------
    ConfigError
        If no machine or several match.
    """
    ident = _as_id(ref)
    if ident is not None:
        return _by_id(session, Machine, ident, "machine", ref)
    parts = str(ref).split("/")
    if len(parts) > 2:
        raise ConfigError(f"machine {ref!r}: expected 'site/machine' or 'machine'")
    query = select(Machine).where(Machine.name == parts[-1])
    if len(parts) == 2:
        query = query.join(Site, Site.id == Machine.site_id).where(Site.name == parts[0])
    return _one(session, query, "machine", ref)


def point_row(session: Session, ref: int | str) -> Point:
    """The point a ref names (id, ``site/machine/point``, ``machine/point`` or a unique ``point``).

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open session.
    ref : int or str
        Id or path.

    Returns
    -------
    Point
        The row.

    Raises
    ------
    ConfigError
        If no point or several match.
    """
    ident = _as_id(ref)
    if ident is not None:
        return _by_id(session, Point, ident, "point", ref)
    parts = str(ref).split("/")
    if len(parts) > 3:
        raise ConfigError(
            f"point {ref!r}: expected 'site/machine/point', 'machine/point' or 'point'"
        )
    query = select(Point).where(Point.name == parts[-1])
    if len(parts) >= 2:
        query = query.join(Machine, Machine.id == Point.machine_id).where(Machine.name == parts[-2])
    if len(parts) == 3:
        query = query.join(Site, Site.id == Machine.site_id).where(Site.name == parts[0])
    return _one(session, query, "point", ref)


def component_row(session: Session, machine_id: int, ref: int | str) -> Component:
    """A component of a machine, by id or name.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open session.
    machine_id : int
        The machine.
    ref : int or str
        Component id or name.

    Returns
    -------
    Component
        The row.

    Raises
    ------
    ConfigError
        If the machine has no such component.
    """
    ident = _as_id(ref)
    query = select(Component).where(Component.machine_id == machine_id)
    query = query.where(Component.id == ident if ident is not None else Component.name == ref)
    return _one(session, query, f"component of machine {machine_id}", ref)


def site_info(row: Site) -> SiteInfo:
    """A site row as a :class:`SiteInfo`.

    Parameters
    ----------
    row : Site
        The row.

    Returns
    -------
    SiteInfo
        Its plain copy.
    """
    return SiteInfo(row.id, row.name, row.description, row.created_at)


def machine_info(session: Session, row: Machine) -> MachineInfo:
    """A machine row as a :class:`MachineInfo`.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open session (to name the site).
    row : Machine
        The row.

    Returns
    -------
    MachineInfo
        Its plain copy.
    """
    site = session.get_one(Site, row.site_id)
    return MachineInfo(
        row.id,
        row.site_id,
        site.name,
        row.name,
        row.profile,
        row.iso_group,
        row.foundation,
        row.description,
        row.created_at,
    )


def component_info(row: Component) -> ComponentInfo:
    """A component row as a :class:`ComponentInfo`.

    Parameters
    ----------
    row : Component
        The row.

    Returns
    -------
    ComponentInfo
        Its plain copy.
    """
    return ComponentInfo(
        row.id,
        row.machine_id,
        row.name,
        cast(ComponentKind, row.kind),
        row.designation,
        None if row.geometry is None else frozen_mapping(row.geometry),
        row.speed_ratio,
        row.rotating_ring,
        frozen_mapping(row.details),
    )


def point_info(session: Session, row: Point) -> PointInfo:
    """A point row as a :class:`PointInfo` (with its site, machine and components).

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open session.
    row : Point
        The row.

    Returns
    -------
    PointInfo
        Its plain copy.
    """
    machine = session.get_one(Machine, row.machine_id)
    site = session.get_one(Site, machine.site_id)
    heard = session.scalars(
        select(PointComponent.component_id)
        .where(PointComponent.point_id == row.id)
        .order_by(PointComponent.position, PointComponent.component_id)
    ).all()
    return PointInfo(
        row.id,
        row.machine_id,
        site.name,
        machine.name,
        row.name,
        row.sensor,
        row.direction,
        row.unit,
        row.fs_hz,
        row.channel,
        tuple(heard),
        row.created_at,
    )


def add_site(session: Session, name: str, description: str, now: datetime) -> SiteInfo:
    """Add a site.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open write session.
    name : str
        Unique name.
    description : str
        Free text.
    now : datetime.datetime
        Creation time (UTC).

    Returns
    -------
    SiteInfo
        The new site.

    Raises
    ------
    ConfigError
        If the name is invalid or taken.
    """
    clean = _check_name(name, "site")
    if session.scalar(select(Site.id).where(Site.name == clean)) is not None:
        raise ConfigError(f"site {clean!r} already exists")
    row = Site(name=clean, description=description, created_at=now)
    session.add(row)
    session.flush()
    return site_info(row)


def add_machine(
    session: Session,
    site: int | str,
    name: str,
    profile: str,
    iso_group: int | None,
    foundation: str | None,
    description: str,
    now: datetime,
) -> MachineInfo:
    """Add a machine to a site.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open write session.
    site : int or str
        The site (id or name).
    name : str
        Name, unique within the site.
    profile : str
        Name of its machine profile.
    iso_group : int or None
        ISO 20816 machine group (1 to 4).
    foundation : str or None
        ``"rigid"`` or ``"flexible"`` (ISO 20816), if known.
    description : str
        Free text.
    now : datetime.datetime
        Creation time (UTC).

    Returns
    -------
    MachineInfo
        The new machine.

    Raises
    ------
    ConfigError
        If the site is unknown, the name taken or a field invalid.
    """
    parent = site_row(session, site)
    clean = _check_name(name, "machine")
    if iso_group is not None and iso_group not in ISO_GROUPS:
        raise ConfigError(f"machine {clean!r}: iso_group {iso_group!r} must be one of {ISO_GROUPS}")
    taken = select(Machine.id).where(Machine.site_id == parent.id, Machine.name == clean)
    if session.scalar(taken) is not None:
        raise ConfigError(f"machine {parent.name}/{clean} already exists")
    row = Machine(
        site_id=parent.id,
        name=clean,
        profile=profile,
        iso_group=iso_group,
        foundation=foundation,
        description=description,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return machine_info(session, row)


#: What may change on a machine, and on a point, after they are added (their names, profile,
#: sensor and unit stay: measurements and results refer to them).
MACHINE_CHANGES = frozenset({"iso_group", "foundation", "description"})
POINT_CHANGES = frozenset({"direction", "fs_hz", "channel"})


def _changes(changes: Mapping[str, Any], allowed: frozenset[str], what: str) -> None:
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise ConfigError(
            f"{what}: cannot change {', '.join(unknown)}; what may change: "
            f"{', '.join(sorted(allowed))}"
        )


def update_machine(session: Session, ref: int | str, changes: Mapping[str, Any]) -> MachineInfo:
    """Change a machine's ISO group, foundation or description.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open write session.
    ref : int or str
        The machine (id or path).
    changes : Mapping of str to object
        New values by field (:data:`MACHINE_CHANGES`); None clears the group or foundation.

    Returns
    -------
    MachineInfo
        The machine as it now stands.

    Raises
    ------
    ConfigError
        An unknown machine, a field that may not change, or an invalid value.
    """
    row = machine_row(session, ref)
    _changes(changes, MACHINE_CHANGES, f"machine {row.name!r}")
    group = changes.get("iso_group", row.iso_group)
    if group is not None and group not in ISO_GROUPS:
        raise ConfigError(f"machine {row.name!r}: iso_group {group!r} must be one of {ISO_GROUPS}")
    foundation = changes.get("foundation", row.foundation)
    if foundation not in (None, "rigid", "flexible"):
        raise ConfigError(
            f"machine {row.name!r}: foundation {foundation!r} must be rigid or flexible"
        )
    row.iso_group, row.foundation = group, foundation
    row.description = str(changes.get("description", row.description))
    session.flush()
    return machine_info(session, row)


def update_point(session: Session, ref: int | str, changes: Mapping[str, Any]) -> PointInfo:
    """Change a point's direction, expected sampling rate or channel.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open write session.
    ref : int or str
        The point (id or path).
    changes : Mapping of str to object
        New values by field (:data:`POINT_CHANGES`); None clears one.

    Returns
    -------
    PointInfo
        The point as it now stands.

    Raises
    ------
    ConfigError
        An unknown point, a field that may not change, or an invalid rate.
    """
    row = point_row(session, ref)
    _changes(changes, POINT_CHANGES, f"point {row.name!r}")
    fs = changes.get("fs_hz", row.fs_hz)
    if fs is not None and not (math.isfinite(fs) and fs > 0):
        raise ConfigError(f"point {row.name!r}: fs_hz {fs!r} must be a positive rate in Hz")
    row.fs_hz = None if fs is None else float(fs)
    row.direction = changes.get("direction", row.direction)
    row.channel = changes.get("channel", row.channel)
    session.flush()
    return point_info(session, row)


def add_component(
    session: Session,
    machine: int | str,
    name: str,
    kind: str,
    designation: str | None,
    geometry: Mapping[str, Any] | None,
    speed_ratio: float,
    rotating_ring: str,
    details: Mapping[str, Any] | None,
) -> ComponentInfo:
    """Add a component (bearing, gear, shaft...) to a machine.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open write session.
    machine : int or str
        The machine (id or path).
    name : str
        Name, unique within the machine (``"DE"``, ``"main bearing"``).
    kind : str
        ``"bearing"``, ``"gear"``, ``"shaft"`` or ``"other"``.
    designation : str or None
        Catalogue designation (``"6205-2RS"``).
    geometry : Mapping or None
        Geometry as JSON (a ``BearingGeometry.to_dict()``, gear teeth...).
    speed_ratio : float
        Its shaft speed over the machine's reference shaft speed.
    rotating_ring : str
        ``"inner"`` or ``"outer"``.
    details : Mapping or None
        Anything else, as JSON.

    Returns
    -------
    ComponentInfo
        The new component.

    Raises
    ------
    ConfigError
        If the machine is unknown, the name taken or a field invalid.
    """
    parent = machine_row(session, machine)
    clean = _check_name(name, "component")
    if kind not in get_args(ComponentKind):
        raise ConfigError(
            f"component {clean!r}: kind {kind!r} must be one of {get_args(ComponentKind)}"
        )
    ratio = float(speed_ratio)
    if not math.isfinite(ratio) or ratio <= 0:
        raise ConfigError(f"component {clean!r}: speed_ratio {speed_ratio!r} must be positive")
    if rotating_ring not in ROTATING_RINGS:
        raise ConfigError(
            f"component {clean!r}: rotating_ring {rotating_ring!r} must be one of {ROTATING_RINGS}"
        )
    taken = select(Component.id).where(Component.machine_id == parent.id, Component.name == clean)
    if session.scalar(taken) is not None:
        raise ConfigError(f"component {clean!r} of machine {parent.name!r} already exists")
    row = Component(
        machine_id=parent.id,
        name=clean,
        kind=kind,
        designation=designation,
        geometry=None if geometry is None else dict(geometry),
        speed_ratio=ratio,
        rotating_ring=rotating_ring,
        details=dict(details or {}),
    )
    session.add(row)
    session.flush()
    return component_info(row)


def add_point(
    session: Session,
    machine: int | str,
    name: str,
    sensor: str,
    unit: str,
    direction: str | None,
    fs_hz: float | None,
    channel: str | None,
    components: Sequence[int | str],
    now: datetime,
) -> PointInfo:
    """Add a measurement point to a machine.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open write session.
    machine : int or str
        The machine (id or path).
    name : str
        Name, unique within the machine (``"DE-H"``).
    sensor : str
        ``"accelerometer"``, ``"velocity"``, ``"pressure"``, ``"temperature"``...
    unit : str
        Unit of its measurements (``"g"``, ``"m/s^2"``, ``"mm/s"``, ``"bar"``...).
    direction : str or None
        ``"horizontal"``, ``"vertical"``, ``"axial"``...
    fs_hz : float or None
        Expected sampling rate in Hz.
    channel : str or None
        Which channel of an incoming multi-channel file is this point's.
    components : sequence of int or str
        Components of the same machine the point hears (ids or names).
    now : datetime.datetime
        Creation time (UTC).

    Returns
    -------
    PointInfo
        The new point.

    Raises
    ------
    ConfigError
        If the machine or a component is unknown, the name taken or a field invalid.
    """
    parent = machine_row(session, machine)
    clean = _check_name(name, "point")
    if not sensor or not unit:
        raise ConfigError(f"point {clean!r}: sensor and unit must be given")
    if fs_hz is not None and (not math.isfinite(fs_hz) or fs_hz <= 0):
        raise ConfigError(f"point {clean!r}: fs_hz {fs_hz!r} must be a positive rate in Hz")
    taken = select(Point.id).where(Point.machine_id == parent.id, Point.name == clean)
    if session.scalar(taken) is not None:
        raise ConfigError(f"point {parent.name}/{clean} already exists")
    # In the order given: the first component is the one the point is placed for.
    heard = list(dict.fromkeys(component_row(session, parent.id, ref).id for ref in components))
    row = Point(
        machine_id=parent.id,
        name=clean,
        sensor=sensor,
        direction=direction,
        unit=unit,
        fs_hz=fs_hz,
        channel=channel,
        created_at=now,
    )
    session.add(row)
    session.flush()
    session.add_all(
        PointComponent(point_id=row.id, component_id=c, position=i) for i, c in enumerate(heard)
    )
    session.flush()
    return point_info(session, row)


def list_sites(session: Session) -> list[SiteInfo]:
    """All sites, by name.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open session.

    Returns
    -------
    list of SiteInfo
        The sites.
    """
    return [site_info(r) for r in session.scalars(select(Site).order_by(Site.name))]


def list_machines(session: Session, site: int | str | None) -> list[MachineInfo]:
    """Machines of one site or of all, by site and name.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open session.
    site : int, str or None
        The site (id or name); None for every site.

    Returns
    -------
    list of MachineInfo
        The machines.
    """
    query = select(Machine).join(Site, Site.id == Machine.site_id).order_by(Site.name, Machine.name)
    if site is not None:
        query = query.where(Machine.site_id == site_row(session, site).id)
    return [machine_info(session, r) for r in session.scalars(query).all()]


def list_components(session: Session, machine: int | str) -> list[ComponentInfo]:
    """Components of a machine, by name.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open session.
    machine : int or str
        The machine (id or path).

    Returns
    -------
    list of ComponentInfo
        The components.
    """
    parent = machine_row(session, machine)
    query = select(Component).where(Component.machine_id == parent.id).order_by(Component.name)
    return [component_info(r) for r in session.scalars(query)]


def list_points(session: Session, machine: int | str | None) -> list[PointInfo]:
    """Points of one machine or of all, by id.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open session.
    machine : int, str or None
        The machine (id or path); None for every machine.

    Returns
    -------
    list of PointInfo
        The points.
    """
    query = select(Point).order_by(Point.id)
    if machine is not None:
        query = query.where(Point.machine_id == machine_row(session, machine).id)
    return [point_info(session, r) for r in session.scalars(query).all()]
