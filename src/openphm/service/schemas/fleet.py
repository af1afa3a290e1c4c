"""Schemas of the fleet: sites, machines, components and measurement points."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

#: A name in a path: printable, not only digits, no ``/``.
Name = Field(
    min_length=1, max_length=200, pattern=r"^[^/\x00-\x1f]*[^/\x00-\x1f0-9][^/\x00-\x1f]*$"
)


class SiteCreate(BaseModel):
    """A new site.

    Parameters
    ----------
    name : str
        Unique name (not only digits, no ``/``).
    description : str
        Free text.
    """

    name: str = Name
    description: str = Field(default="", max_length=2000)


class SitePublic(BaseModel):
    """A site.

    Parameters
    ----------
    id : int
        Its id.
    name : str
        Its name.
    description : str
        Free text.
    created_at : datetime
        When it was added.
    """

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    description: str
    created_at: datetime


class MachineCreate(BaseModel):
    """A new machine, built from its machine profile (components and points) by default.

    Parameters
    ----------
    site : str
        The site's name (created when absent and ``from_profile``).
    name : str
        Name, unique within the site.
    profile : str
        Machine profile (``openphm fleet profiles``: ``cwru_rig``, ``electric_motor``...).
    from_profile : bool
        Add the profile's components and points too (default); False adds the bare machine.
    iso_group : int or None
        ISO 20816 group 1-4 (bare machines only; a profile says its own).
    foundation : {"rigid", "flexible"} or None
        Foundation (bare machines only).
    description : str
        Free text.
    """

    site: str = Name
    name: str = Name
    profile: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_-]+$")
    from_profile: bool = True
    iso_group: int | None = Field(default=None, ge=1, le=4)
    foundation: Literal["rigid", "flexible"] | None = None
    description: str = Field(default="", max_length=2000)


class MachineUpdate(BaseModel):
    """Changes to a machine: only the fields given change (null clears the group or foundation).

    Parameters
    ----------
    iso_group : int or None
        ISO 20816 group 1-4.
    foundation : {"rigid", "flexible"} or None
        Foundation.
    description : str
        Free text.
    """

    model_config = ConfigDict(extra="forbid")

    iso_group: int | None = Field(default=None, ge=1, le=4)
    foundation: Literal["rigid", "flexible"] | None = None
    description: str = Field(default="", max_length=2000)


class MachinePublic(BaseModel):
    """A machine.

    Parameters
    ----------
    id : int
        Its id.
    site_id : int
        Its site's id.
    site : str
        Its site's name.
    name : str
        Its name.
    profile : str
        Its machine profile.
    iso_group : int or None
        ISO 20816 group.
    foundation : str or None
        ``"rigid"`` or ``"flexible"``.
    description : str
        Free text.
    created_at : datetime
        When it was added.
    """

    model_config = ConfigDict(from_attributes=True)

    id: int
    site_id: int
    site: str
    name: str
    profile: str
    iso_group: int | None
    foundation: str | None
    description: str
    created_at: datetime


class ComponentCreate(BaseModel):
    """A new component of a machine.

    Parameters
    ----------
    name : str
        Name, unique within the machine.
    kind : {"bearing", "gear", "shaft", "other"}
        What it is.
    designation : str or None
        Catalogue designation (``6205-2RS``).
    geometry : dict or None
        Bearing geometry (``n_rolling``, ``rolling_diameter_mm``, ``pitch_diameter_mm``,
        ``contact_angle_deg``) when the catalogue does not have it.
    speed_ratio : float
        Its shaft speed over the machine's reference shaft speed.
    rotating_ring : {"inner", "outer"}
        The ring that turns.
    details : dict
        Anything else.
    """

    name: str = Name
    kind: Literal["bearing", "gear", "shaft", "other"]
    designation: str | None = Field(default=None, max_length=200)
    geometry: dict[str, Any] | None = None
    speed_ratio: float = Field(default=1.0, gt=0, allow_inf_nan=False)
    rotating_ring: Literal["inner", "outer"] = "inner"
    details: dict[str, Any] = Field(default_factory=dict)


class ComponentPublic(BaseModel):
    """A component of a machine.

    Parameters
    ----------
    id : int
        Its id.
    machine_id : int
        Its machine's id.
    name : str
        Its name.
    kind : str
        ``"bearing"``, ``"gear"``, ``"shaft"`` or ``"other"``.
    designation : str or None
        Catalogue designation.
    geometry : dict or None
        Bearing geometry.
    speed_ratio : float
        Shaft speed over the reference shaft's.
    rotating_ring : str
        The ring that turns.
    details : dict
        Anything else.
    """

    model_config = ConfigDict(from_attributes=True)

    id: int
    machine_id: int
    name: str
    kind: str
    designation: str | None
    geometry: dict[str, Any] | None
    speed_ratio: float
    rotating_ring: str
    details: dict[str, Any]


class PointCreate(BaseModel):
    """A new measurement point of a machine.

    Parameters
    ----------
    name : str
        Name, unique within the machine.
    sensor : str
        Sensor type (``"accelerometer"``).
    unit : str
        Unit of its measurements (``"g"``, ``"m/s^2"``, ``"mm/s"``).
    direction : str or None
        Measuring direction.
    fs_hz : float or None
        Expected sampling rate, Hz.
    channel : str or None
        Channel of incoming multi-channel files that is this point's.
    components : list of str or int
        Components it hears (names or ids), the one it is placed for first.
    """

    name: str = Name
    sensor: str = Field(min_length=1, max_length=40)
    unit: str = Field(min_length=1, max_length=40)
    direction: str | None = Field(default=None, max_length=200)
    fs_hz: float | None = Field(default=None, gt=0, le=1e7, allow_inf_nan=False)
    channel: str | None = Field(default=None, max_length=200)
    components: list[str | int] = Field(default_factory=list, max_length=100)


class PointUpdate(BaseModel):
    """Changes to a point: only the fields given change (null clears one).

    Parameters
    ----------
    direction : str or None
        Measuring direction.
    fs_hz : float or None
        Expected sampling rate, Hz.
    channel : str or None
        Channel of incoming multi-channel files that is this point's.
    """

    model_config = ConfigDict(extra="forbid")

    direction: str | None = Field(default=None, max_length=200)
    fs_hz: float | None = Field(default=None, gt=0, le=1e7, allow_inf_nan=False)
    channel: str | None = Field(default=None, max_length=200)


class PointPublic(BaseModel):
    """A measurement point.

    Parameters
    ----------
    id : int
        Its id.
    machine_id : int
        Its machine's id.
    path : str
        ``site/machine/point``.
    name : str
        Its name.
    sensor : str
        Sensor type.
    direction : str or None
        Measuring direction.
    unit : str
        Unit of its measurements.
    fs_hz : float or None
        Expected sampling rate, Hz.
    channel : str or None
        Its channel in multi-channel files.
    component_ids : list of int
        Components it hears, in order.
    created_at : datetime
        When it was added.
    """

    model_config = ConfigDict(from_attributes=True)

    id: int
    machine_id: int
    path: str
    name: str
    sensor: str
    direction: str | None
    unit: str
    fs_hz: float | None
    channel: str | None
    component_ids: list[int]
    created_at: datetime
