"""``/sites``, ``/machines``, ``/components`` and ``/points``: the fleet model.

Everyone signed in reads; engineers and admins add and change. A machine is built from its
machine profile (:func:`openphm.pipeline.fleet.add_machine_from_profile`) unless asked for a bare
one.
"""

from __future__ import annotations

from fastapi import APIRouter, status

from openphm.knowledge.profiles import load_profile
from openphm.pipeline.fleet import add_machine_from_profile
from openphm.service.deps import CurrentUser, EngineerUser, StoreDep
from openphm.service.schemas.fleet import (
    ComponentCreate,
    ComponentPublic,
    MachineCreate,
    MachinePublic,
    MachineUpdate,
    PointCreate,
    PointPublic,
    PointUpdate,
    SiteCreate,
    SitePublic,
)

router = APIRouter(tags=["fleet"])


@router.get("/sites")
def list_sites(store: StoreDep, _user: CurrentUser) -> list[SitePublic]:
    """All sites, by name.

    Parameters
    ----------
    store : Store
        The app's store.
    _user : UserInfo
        Anyone signed in.

    Returns
    -------
    list of SitePublic
        The sites.
    """
    return [SitePublic.model_validate(s) for s in store.sites()]


@router.post("/sites", status_code=status.HTTP_201_CREATED)
def create_site(body: SiteCreate, store: StoreDep, _user: EngineerUser) -> SitePublic:
    """Add a site.

    Parameters
    ----------
    body : SiteCreate
        Its name and description.
    store : Store
        The app's store.
    _user : UserInfo
        An engineer or admin.

    Returns
    -------
    SitePublic
        The new site.
    """
    return SitePublic.model_validate(store.add_site(body.name, body.description))


@router.get("/machines")
def list_machines(
    store: StoreDep, _user: CurrentUser, site: int | None = None
) -> list[MachinePublic]:
    """Machines, of one site or all.

    Parameters
    ----------
    store : Store
        The app's store.
    _user : UserInfo
        Anyone signed in.
    site : int, optional
        Only this site's (id).

    Returns
    -------
    list of MachinePublic
        The machines.
    """
    return [MachinePublic.model_validate(m) for m in store.machines(site)]


@router.post("/machines", status_code=status.HTTP_201_CREATED)
def create_machine(body: MachineCreate, store: StoreDep, _user: EngineerUser) -> MachinePublic:
    """Add a machine, with its profile's components and points unless ``from_profile`` is false.

    Parameters
    ----------
    body : MachineCreate
        Site, name, profile.
    store : Store
        The app's store.
    _user : UserInfo
        An engineer or admin.

    Returns
    -------
    MachinePublic
        The new machine.
    """
    if body.from_profile:
        profile = load_profile(body.profile, (store.home / "profiles",))
        info = add_machine_from_profile(
            store, profile, body.site, body.name, description=body.description
        )
    else:
        info = store.add_machine(
            body.site,
            body.name,
            profile=body.profile,
            iso_group=body.iso_group,
            foundation=body.foundation,
            description=body.description,
        )
    return MachinePublic.model_validate(info)


@router.get("/machines/{machine_id}")
def get_machine(machine_id: int, store: StoreDep, _user: CurrentUser) -> MachinePublic:
    """One machine.

    Parameters
    ----------
    machine_id : int
        The machine.
    store : Store
        The app's store.
    _user : UserInfo
        Anyone signed in.

    Returns
    -------
    MachinePublic
        The machine.
    """
    return MachinePublic.model_validate(store.machine(machine_id))


@router.patch("/machines/{machine_id}")
def update_machine(
    machine_id: int, body: MachineUpdate, store: StoreDep, _user: EngineerUser
) -> MachinePublic:
    """Change a machine's ISO group, foundation or description (only the fields given).

    Parameters
    ----------
    machine_id : int
        The machine.
    body : MachineUpdate
        The changes.
    store : Store
        The app's store.
    _user : UserInfo
        An engineer or admin.

    Returns
    -------
    MachinePublic
        The machine as it now stands.
    """
    store.machine(machine_id)  # 404 before anything is checked
    changes = body.model_dump(include=body.model_fields_set)
    return MachinePublic.model_validate(store.update_machine(machine_id, **changes))


@router.get("/machines/{machine_id}/components")
def list_components(machine_id: int, store: StoreDep, _user: CurrentUser) -> list[ComponentPublic]:
    """A machine's components.

    Parameters
    ----------
    machine_id : int
        The machine.
    store : Store
        The app's store.
    _user : UserInfo
        Anyone signed in.

    Returns
    -------
    list of ComponentPublic
        The components.
    """
    return [ComponentPublic.model_validate(c) for c in store.components(machine_id)]


@router.post("/machines/{machine_id}/components", status_code=status.HTTP_201_CREATED)
def create_component(
    machine_id: int, body: ComponentCreate, store: StoreDep, _user: EngineerUser
) -> ComponentPublic:
    """Add a component to a machine.

    Parameters
    ----------
    machine_id : int
        The machine.
    body : ComponentCreate
        The component.
    store : Store
        The app's store.
    _user : UserInfo
        An engineer or admin.

    Returns
    -------
    ComponentPublic
        The new component.
    """
    info = store.add_component(
        machine_id,
        body.name,
        kind=body.kind,
        designation=body.designation,
        geometry=body.geometry,
        speed_ratio=body.speed_ratio,
        rotating_ring=body.rotating_ring,
        details=body.details,
    )
    return ComponentPublic.model_validate(info)


@router.get("/points")
def list_points(
    store: StoreDep, _user: CurrentUser, machine: int | None = None
) -> list[PointPublic]:
    """Measurement points, of one machine or all.

    Parameters
    ----------
    store : Store
        The app's store.
    _user : UserInfo
        Anyone signed in.
    machine : int, optional
        Only this machine's (id).

    Returns
    -------
    list of PointPublic
        The points.
    """
    return [PointPublic.model_validate(p) for p in store.points(machine)]


@router.get("/points/{point_id}")
def get_point(point_id: int, store: StoreDep, _user: CurrentUser) -> PointPublic:
    """One measurement point.

    Parameters
    ----------
    point_id : int
        The point.
    store : Store
        The app's store.
    _user : UserInfo
        Anyone signed in.

    Returns
    -------
    PointPublic
        The point.
    """
    return PointPublic.model_validate(store.point(point_id))


@router.patch("/points/{point_id}")
def update_point(
    point_id: int, body: PointUpdate, store: StoreDep, _user: EngineerUser
) -> PointPublic:
    """Change a point's direction, expected sampling rate or channel (only the fields given).

    Parameters
    ----------
    point_id : int
        The point.
    body : PointUpdate
        The changes.
    store : Store
        The app's store.
    _user : UserInfo
        An engineer or admin.

    Returns
    -------
    PointPublic
        The point as it now stands.
    """
    store.point(point_id)  # 404 before anything is checked
    changes = body.model_dump(include=body.model_fields_set)
    return PointPublic.model_validate(store.update_point(point_id, **changes))


@router.post("/machines/{machine_id}/points", status_code=status.HTTP_201_CREATED)
def create_point(
    machine_id: int, body: PointCreate, store: StoreDep, _user: EngineerUser
) -> PointPublic:
    """Add a measurement point to a machine.

    Parameters
    ----------
    machine_id : int
        The machine.
    body : PointCreate
        The point.
    store : Store
        The app's store.
    _user : UserInfo
        An engineer or admin.

    Returns
    -------
    PointPublic
        The new point.
    """
    info = store.add_point(
        machine_id,
        body.name,
        sensor=body.sensor,
        unit=body.unit,
        direction=body.direction,
        fs_hz=body.fs_hz,
        channel=body.channel,
        components=body.components,
    )
    return PointPublic.model_validate(info)
