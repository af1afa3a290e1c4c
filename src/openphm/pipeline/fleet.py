"""Build a machine of the fleet from a machine profile: its components and measurement points."""

from __future__ import annotations

from openphm.knowledge.profiles import ComponentSpec, MachineProfile
from openphm.store import MachineInfo, Store

__all__ = ["add_machine_from_profile"]


def _details(c: ComponentSpec) -> dict[str, object]:
    details: dict[str, object] = {"description": c.description, "example": c.example}
    if c.count != 1:
        details["count"] = c.count
    if c.kind == "gear":
        details.update(
            gear_type=c.gear_type, teeth=list(c.teeth), planets=c.planets, gear_input=c.gear_input
        )
    if c.speed_ratio is None:
        details["turns"] = False
    return details


def add_machine_from_profile(
    store: Store,
    profile: MachineProfile,
    site: str,
    machine: str,
    *,
    description: str = "",
) -> MachineInfo:
    """Add a machine laid out as ``profile`` says: its components, then its points.

    The site is created when the store does not have it. A component that does not turn (a
    hydraulic leg) is stored with speed ratio 1 and ``details["turns"] = False``.

    Parameters
    ----------
    store : Store
        The fleet's store.
    profile : MachineProfile
        The machine profile (:func:`openphm.knowledge.profiles.load_profile`).
    site : str
        Name of the site.
    machine : str
        Name of the new machine, unique within the site.
    description : str, optional
        Free text (default: the profile's title).

    Returns
    -------
    MachineInfo
        The new machine.
    """
    if site not in {s.name for s in store.sites()}:
        store.add_site(site)
    severity = profile.severity
    info = store.add_machine(
        site,
        machine,
        profile=profile.name,
        iso_group=None if severity is None else severity.group,
        foundation=None if severity is None else severity.foundation,
        description=description or profile.title,
    )
    path = f"{site}/{machine}"
    for c in profile.components:
        store.add_component(
            path,
            c.name,
            kind=c.kind,
            designation=c.designation or None,
            geometry=None if c.geometry is None else c.geometry.to_dict(),
            speed_ratio=1.0 if c.speed_ratio is None else c.speed_ratio,
            rotating_ring=c.rotating_ring,
            details=_details(c),
        )
    for p in profile.points:
        store.add_point(
            path,
            p.name,
            sensor=p.sensor,
            unit=p.unit,
            direction=p.direction,
            fs_hz=p.sampling_rate_hz,
            components=list(p.hears),
        )
    return info
