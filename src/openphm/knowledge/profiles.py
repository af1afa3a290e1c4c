"""Machine profiles as data: a kind of equipment's drive train, sensors and operating regimes.

A profile is a TOML file, one per kind of equipment (``openphm/knowledge/data/profiles/*.toml``
ships the built-in ones; users add their own in directories passed as ``extra_dirs``, where a file
with a built-in's name replaces it). It names a reference shaft and its typical speed, the ISO
10816 / 20816 severity class where one applies, the components (bearings, gear stages, shafts and
other parts) with their speed ratio to the reference shaft, the measurement points with the
components each hears, and the operating-regime bins (speed and load edges) that baselines are
learned in. Speeds are in rpm in the files and in Hz here.

Gear stages carry their tooth counts, and a component may take its speed from a stage
(``driven_by``) instead of stating it, so that the speed ratios follow from the teeth:

- a parallel or bevel stage with ``teeth = [z1, z2]`` (``z1`` on the driving shaft) turns its
  output at ``r z1 / z2`` and meshes at ``r z1`` orders of the reference shaft, ``r`` being the
  stage's ``speed_ratio`` (its input shaft);
- a planetary stage with a fixed ring, ``teeth = [z_sun, z_planet, z_ring]`` and the sun or the
  carrier as input, has ``f_c = f_s z_s / (z_s + z_r)`` and meshes at ``z_r f_c``; the planets
  turn at ``f_c z_r / z_p`` relative to the carrier (what a planet bearing sees);
- a chain sprocket with ``teeth = [z]`` has a tooth-pass order ``r z``.

Reference: R. B. Randall, *Vibration-based Condition Monitoring*, Wiley 2011, section 2.2.3 (gear
mesh frequencies; planetary gears with a fixed ring).
"""

from __future__ import annotations

import itertools
import math
import os
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Literal, cast, get_args

from openphm.core.bearing import BearingGeometry
from openphm.core.errors import ConfigError
from openphm.knowledge.catalogue import get_bearing
from openphm.knowledge.iso20816 import Zone, zone, zone_iso10816_1

__all__ = [
    "ComponentSpec",
    "MachineProfile",
    "PointSpec",
    "RegimeSpec",
    "SeveritySpec",
    "list_profiles",
    "load_profile",
    "parse_profile",
]

ComponentKind = Literal["bearing", "gear", "shaft", "other"]
GearType = Literal["parallel", "bevel", "planetary", "sprocket"]
SensorKind = Literal[
    "accelerometer",
    "velocity",
    "proximity",
    "tachometer",
    "pressure",
    "temperature",
    "current",
    "acoustic_emission",
]
Direction = Literal["horizontal", "vertical", "axial", "radial", "none"]

#: Units a measurement point of each sensor kind may declare.
SENSOR_UNITS: dict[str, tuple[str, ...]] = {
    "accelerometer": ("g", "m/s^2"),
    "velocity": ("mm/s", "in/s"),
    "proximity": ("um", "mil"),
    "tachometer": ("V", "pulse", "rpm"),
    "pressure": ("bar", "MPa", "kPa", "psi"),
    "temperature": ("degC", "K"),
    "current": ("A",),
    "acoustic_emission": ("V", "dB"),
}

#: ISO severity standards a profile may name, with the keys each needs.
SEVERITY_STANDARDS = ("ISO 10816-3", "ISO 10816-1")

_NAME = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")
_BUILTIN_ORIGIN = "openphm:profiles"
_REQUIRED: Any = object()


def _rpm(hz: float) -> float:
    """Hz to rpm for the file view, without the last-digit noise of ``x / 60 * 60``."""
    return float(f"{hz * 60.0:.12g}")


# --------------------------------------------------------------------------- typed readers


class _Table:
    """One TOML table being read: every key must be known, every value of the declared type."""

    def __init__(self, data: object, where: str, keys: Sequence[str]) -> None:
        if not isinstance(data, Mapping):
            raise ConfigError(f"{where}: must be a table, got {type(data).__name__}")
        unknown = [k for k in data if k not in keys]
        if unknown:
            raise ConfigError(
                f"{where}: unknown key(s) {', '.join(map(repr, unknown))}; "
                f"allowed keys: {', '.join(keys)} (check the spelling)"
            )
        self.data: Mapping[str, object] = data
        self.where = where

    def _value(self, key: str, default: Any) -> object:
        if key in self.data:
            return self.data[key]
        if default is _REQUIRED:
            raise ConfigError(f"{self.where}: missing key {key!r}; add it")
        return default

    def _wrong(self, key: str, expected: str, value: object) -> ConfigError:
        return ConfigError(
            f"{self.where}.{key}: must be {expected}, got {value!r} ({type(value).__name__})"
        )

    def text(self, key: str, default: Any = _REQUIRED) -> str:
        value = self._value(key, default)
        if not isinstance(value, str):
            raise self._wrong(key, "a string", value)
        return value

    def choice(self, key: str, options: Sequence[str], default: Any = _REQUIRED) -> str:
        value = self.text(key, default)
        if value not in options:
            raise ConfigError(
                f"{self.where}.{key}: {value!r} is not one of {', '.join(map(repr, options))}"
            )
        return value

    def flag(self, key: str, default: bool = False) -> bool:
        value = self._value(key, default)
        if not isinstance(value, bool):
            raise self._wrong(key, "true or false", value)
        return value

    def number(
        self, key: str, default: Any = _REQUIRED, *, positive: bool = True, hint: str = ""
    ) -> float:
        value = self._value(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self._wrong(key, "a number", value)
        number = float(value)
        if not math.isfinite(number) or (positive and number <= 0.0):
            raise ConfigError(
                f"{self.where}.{key}: must be a finite number{' > 0' if positive else ''}, "
                f"got {value!r}{hint}"
            )
        return number

    def optional_number(self, key: str, hint: str = "") -> float | None:
        return self.number(key, hint=hint) if key in self.data else None

    def whole(self, key: str, default: Any = _REQUIRED, *, minimum: int = 1) -> int:
        value = self._value(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._wrong(key, "a whole number", value)
        if value < minimum:
            raise ConfigError(f"{self.where}.{key}: must be >= {minimum}, got {value}")
        return value

    def items(self, key: str, default: Any = _REQUIRED) -> list[object]:
        value = self._value(key, default)
        if not isinstance(value, list):
            raise self._wrong(key, "a list", value)
        return value

    def texts(self, key: str, default: Any = _REQUIRED) -> tuple[str, ...]:
        values = self.items(key, default)
        if not all(isinstance(v, str) for v in values):
            raise self._wrong(key, "a list of strings", values)
        return tuple(cast(list[str], values))

    def edges(self, key: str, *, scale: float = 1.0) -> tuple[float, ...]:
        values = self.items(key, [])
        if any(isinstance(v, bool) or not isinstance(v, int | float) for v in values):
            raise self._wrong(key, "a list of numbers", values)
        numbers = [float(cast(float, v)) for v in values]
        if len(numbers) == 1 or not all(math.isfinite(v) for v in numbers):
            raise ConfigError(
                f"{self.where}.{key}: give at least two finite edges (or none), got {values}"
            )
        if any(b <= a for a, b in itertools.pairwise(numbers)):
            raise ConfigError(f"{self.where}.{key}: edges must increase strictly, got {values}")
        return tuple(v * scale for v in numbers)


# --------------------------------------------------------------------------- the specs


@dataclass(frozen=True)
class SeveritySpec:
    """The ISO vibration-severity class of a machine (broadband r.m.s. velocity zones A-D).

    Attributes
    ----------
    standard : {"ISO 10816-3", "ISO 10816-1"}
        The standard whose zone boundaries apply (ISO 20816-3 carries those of ISO 10816-3 over).
    group : int or None
        Machine group 1 or 2 of ISO 10816-3.
    foundation : {"rigid", "flexible"} or None
        Support class of ISO 10816-3.
    machine_class : {"I", "II", "III", "IV"} or None
        Machine class of ISO 10816-1.
    """

    standard: str
    group: int | None = None
    foundation: str | None = None
    machine_class: str | None = None

    def zone(self, v_rms_mm_s: float) -> Zone:
        """Zone of a broadband r.m.s. velocity (mm/s) for this machine.

        Parameters
        ----------
        v_rms_mm_s : float
            Broadband r.m.s. vibration velocity on a bearing housing, mm/s.

        Returns
        -------
        Zone
            Zone letter, meaning and limits (:mod:`openphm.knowledge.iso20816`).
        """
        if self.standard == "ISO 10816-1":
            return zone_iso10816_1(v_rms_mm_s, self.machine_class or "")
        return zone(v_rms_mm_s, group=self.group or 0, foundation=self.foundation or "")

    def to_dict(self) -> dict[str, object]:
        """The file's ``[severity]`` table."""
        out: dict[str, object] = {"standard": self.standard}
        if self.standard == "ISO 10816-1":
            out["machine_class"] = self.machine_class
        else:
            out |= {"group": self.group, "foundation": self.foundation}
        return out


@dataclass(frozen=True)
class ComponentSpec:
    """One component of a machine: a bearing, a gear stage, a shaft or another part.

    Attributes
    ----------
    name : str
        Name, unique in the profile (``"de_bearing"``).
    kind : {"bearing", "gear", "shaft", "other"}
        What it is.
    speed_ratio : float or None
        Speed of the component (a gear stage: its input member) per turn of the reference shaft;
        None for a part that does not turn (a hydraulic leg). For a planet bearing, the speed of
        the planet relative to the carrier.
    designation : str
        Catalogue designation of a bearing (:mod:`openphm.knowledge.catalogue`), or empty.
    example : bool
        True when the values are typical of the kind of machine rather than a specific one's.
    description : str
        What and where it is.
    count : int
        How many identical units the machine has (8 drive motors around a ring gear).
    driven_by : str
        The gear stage whose output (or planets, see ``member``) sets the speed, or empty when
        ``speed_ratio`` is stated.
    member : {"output", "planet"}
        Which member of ``driven_by`` turns the component.
    geometry : BearingGeometry or None
        Internal geometry of a bearing, when the profile states it.
    rotating_ring : {"inner", "outer"}
        The ring of a bearing that turns.
    gear_type : {"parallel", "bevel", "planetary", "sprocket"} or None
        Kind of gear stage.
    teeth : tuple of int
        Tooth counts: ``(driving, driven)`` for a parallel or bevel stage, ``(sun, planet,
        ring)`` for a planetary stage, ``(z,)`` for a sprocket.
    planets : int
        Number of planets of a planetary stage (0 otherwise).
    gear_input : {"sun", "carrier"}
        The driving member of a planetary stage (its ring is fixed).
    """

    name: str
    kind: ComponentKind
    speed_ratio: float | None
    designation: str = ""
    example: bool = False
    description: str = ""
    count: int = 1
    driven_by: str = ""
    member: Literal["output", "planet"] = "output"
    geometry: BearingGeometry | None = None
    rotating_ring: Literal["inner", "outer"] = "inner"
    gear_type: GearType | None = None
    teeth: tuple[int, ...] = ()
    planets: int = 0
    gear_input: Literal["sun", "carrier"] = "sun"

    def _ratio(self) -> float:
        if self.speed_ratio is None:
            raise ConfigError(f"component {self.name!r} does not turn")
        return self.speed_ratio

    @property
    def carrier_ratio(self) -> float | None:
        """Speed of a planetary stage's carrier per turn of the reference shaft, else None."""
        if self.gear_type != "planetary":
            return None
        sun, _, ring = self.teeth
        r = self._ratio()
        return r * sun / (sun + ring) if self.gear_input == "sun" else r

    @property
    def output_ratio(self) -> float | None:
        """Speed of a gear stage's output per turn of the reference shaft, else None.

        The driven gear of a parallel or bevel stage (``r z1 / z2``); the carrier of a planetary
        stage driven by its sun, the sun of one driven by its carrier; a sprocket's own shaft.
        """
        if self.gear_type is None:
            return None
        r = self._ratio()
        if self.gear_type in ("parallel", "bevel"):
            return r * self.teeth[0] / self.teeth[1]
        if self.gear_type == "planetary":
            sun, _, ring = self.teeth
            return r * sun / (sun + ring) if self.gear_input == "sun" else r * (sun + ring) / sun
        return r

    @property
    def planet_ratio(self) -> float | None:
        """Speed of a planetary stage's planets relative to its carrier (``f_c z_r / z_p``)."""
        carrier = self.carrier_ratio
        if carrier is None:
            return None
        return carrier * self.teeth[2] / self.teeth[1]

    @property
    def mesh_order(self) -> float | None:
        """Gear mesh (or sprocket tooth-pass) frequency in orders of the reference shaft."""
        if self.gear_type is None:
            return None
        carrier = self.carrier_ratio
        if carrier is not None:
            return carrier * self.teeth[2]
        return self._ratio() * self.teeth[0]

    def bearing_geometry(
        self, extra_files: Iterable[str | os.PathLike[str]] = ()
    ) -> BearingGeometry:
        """Internal geometry of a bearing: the profile's own, else the catalogue entry's.

        Parameters
        ----------
        extra_files : iterable of path-like
            Extra bearing catalogue files (see :func:`openphm.knowledge.catalogue.load_catalogue`).

        Returns
        -------
        BearingGeometry
            The geometry.

        Raises
        ------
        ConfigError
            When the component is no bearing, or neither the profile nor the catalogue gives it.
        """
        if self.kind != "bearing":
            raise ConfigError(f"component {self.name!r} is a {self.kind}, not a bearing")
        if self.geometry is not None:
            return self.geometry
        entry = get_bearing(self.designation, extra_files=extra_files)
        if entry.geometry is None:
            raise ConfigError(
                f"component {self.name!r}: the catalogue gives no internal geometry for "
                f"{entry.designation!r}; add [components.geometry] to the profile"
            )
        return entry.geometry

    def to_dict(self) -> dict[str, object]:
        """The file's ``[[components]]`` entry (what :func:`parse_profile` reads back)."""
        out: dict[str, object] = {"name": self.name, "kind": self.kind}
        if self.driven_by:
            out["driven_by"] = self.driven_by
            if self.member != "output":
                out["member"] = self.member
        elif self.speed_ratio is not None:
            out["speed_ratio"] = self.speed_ratio
        optional = {
            "designation": self.designation,
            "description": self.description,
            "example": self.example,
            "count": self.count if self.count != 1 else None,
            "rotating_ring": self.rotating_ring if self.rotating_ring != "inner" else None,
            "gear_type": self.gear_type,
            "teeth": list(self.teeth),
            "planets": self.planets,
            "input": self.gear_input if self.gear_type == "planetary" else None,
        }
        out |= {k: v for k, v in optional.items() if v}
        g = self.geometry
        if g is not None:
            out["geometry"] = {
                "n_rolling": g.n_rolling,
                "rolling_diameter_mm": g.rolling_diameter_mm,
                "pitch_diameter_mm": g.pitch_diameter_mm,
                "contact_angle_deg": g.contact_angle_deg,
            }
        return out


@dataclass(frozen=True)
class PointSpec:
    """A measurement point: one sensor channel on the machine.

    Attributes
    ----------
    name : str
        Name, unique in the profile (``"DE"``).
    sensor : str
        Sensor kind, one of :data:`SENSOR_UNITS`'s keys.
    direction : {"horizontal", "vertical", "axial", "radial", "none"}
        Measuring direction (``"none"`` for a pressure or a temperature).
    unit : str
        Unit of the values (one of :data:`SENSOR_UNITS` for the sensor kind).
    sampling_rate_hz : float
        Sampling rate, Hz.
    hears : tuple of str
        Names of the components whose vibration or state the point measures.
    signal : {"waveform", "scalar"}
        A waveform (vibration) or scalar telemetry (one value per sample: a leg pressure).
    description : str
        Where the sensor sits.
    """

    name: str
    sensor: SensorKind
    direction: Direction
    unit: str
    sampling_rate_hz: float
    hears: tuple[str, ...]
    signal: Literal["waveform", "scalar"] = "waveform"
    description: str = ""

    def to_dict(self) -> dict[str, object]:
        """The file's ``[[points]]`` entry."""
        out: dict[str, object] = {
            "name": self.name,
            "sensor": self.sensor,
            "direction": self.direction,
            "unit": self.unit,
            "sampling_rate_hz": self.sampling_rate_hz,
            "hears": list(self.hears),
            "signal": self.signal,
        }
        if self.description:
            out["description"] = self.description
        return out


@dataclass(frozen=True)
class RegimeSpec:
    """Operating-regime bins of a machine: speed and load edges that baselines are learned in.

    A value ``v`` is in bin ``i`` when ``edges[i] <= v < edges[i + 1]`` (the last bin includes
    its upper edge); no edges means one bin for every value.

    Attributes
    ----------
    speed_edges_hz : tuple of float
        Edges of the reference shaft's speed, Hz (rpm in the file).
    load_edges : tuple of float
        Edges of the load, in ``load_unit``.
    load_unit : str
        Unit of the load (``"%"`` of rated torque, ``"hp"``...).
    load_quantity : str
        What the load is (``"motor current"``, ``"cutterhead torque"``).
    """

    speed_edges_hz: tuple[float, ...] = ()
    load_edges: tuple[float, ...] = ()
    load_unit: str = ""
    load_quantity: str = ""

    @staticmethod
    def _bin(edges: tuple[float, ...], value: float | None) -> int | None:
        if not edges:
            return 0
        if value is None or not edges[0] <= value <= edges[-1]:
            return None
        return min(sum(value >= e for e in edges) - 1, len(edges) - 2)

    def bin_of(self, speed_hz: float | None, load: float | None = None) -> tuple[int, int] | None:
        """The (speed, load) bin of an operating state, or None outside the edges or unknown.

        Parameters
        ----------
        speed_hz : float or None
            Reference-shaft speed, Hz (None when not known).
        load : float or None
            Load in :attr:`load_unit` (None when not known).

        Returns
        -------
        tuple of int or None
            Bin indices, 0 for a quantity without edges.
        """
        speed_bin, load_bin = (
            self._bin(self.speed_edges_hz, speed_hz),
            self._bin(self.load_edges, load),
        )
        if speed_bin is None or load_bin is None:
            return None
        return (speed_bin, load_bin)

    def to_dict(self) -> dict[str, object]:
        """The file's ``[regimes]`` table."""
        out: dict[str, object] = {}
        if self.speed_edges_hz:
            out["speed_edges_rpm"] = [_rpm(e) for e in self.speed_edges_hz]
        if self.load_edges:
            out |= {"load_edges": list(self.load_edges), "load_unit": self.load_unit}
            if self.load_quantity:
                out["load_quantity"] = self.load_quantity
        return out


@dataclass(frozen=True)
class MachineProfile:
    """A kind of equipment: drive train, severity class, sensors and operating regimes.

    Attributes
    ----------
    name : str
        Name, the file's stem (``"cwru_rig"``).
    title : str
        Short human title.
    description : str
        What the machine is and what the profile assumes.
    reference_shaft : str or None
        The component (a shaft) whose speed the others' ratios refer to; None when nothing turns.
    typical_speed_hz : float or None
        Typical speed of the reference shaft, Hz (rpm in the file).
    severity : SeveritySpec or None
        ISO 10816 / 20816 severity class, where one applies.
    components : tuple of ComponentSpec
        The components.
    points : tuple of PointSpec
        The measurement points.
    regimes : RegimeSpec
        Operating-regime bins for the baselines.
    origin : str
        The file the profile was read from.
    """

    name: str
    title: str
    description: str
    reference_shaft: str | None
    typical_speed_hz: float | None
    severity: SeveritySpec | None
    components: tuple[ComponentSpec, ...]
    points: tuple[PointSpec, ...]
    regimes: RegimeSpec
    origin: str = ""

    def component(self, name: str) -> ComponentSpec:
        """The component called ``name``.

        Parameters
        ----------
        name : str
            Component name.

        Returns
        -------
        ComponentSpec
            The component.
        """
        for c in self.components:
            if c.name == name:
                return c
        known = ", ".join(c.name for c in self.components)
        raise ConfigError(f"profile {self.name!r} has no component {name!r}; it has {known}")

    def point(self, name: str) -> PointSpec:
        """The measurement point called ``name``.

        Parameters
        ----------
        name : str
            Point name.

        Returns
        -------
        PointSpec
            The point.
        """
        for p in self.points:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.points)
        raise ConfigError(f"profile {self.name!r} has no point {name!r}; it has {known}")

    def heard_by(self, point: str) -> tuple[ComponentSpec, ...]:
        """The components a measurement point hears.

        Parameters
        ----------
        point : str
            Point name.

        Returns
        -------
        tuple of ComponentSpec
            In the point's order.
        """
        return tuple(self.component(n) for n in self.point(point).hears)

    def to_dict(self) -> dict[str, object]:
        """The profile as its file's tables (rpm for speeds); :func:`parse_profile` reads it back.

        Returns
        -------
        dict
            JSON- and TOML-ready values.
        """
        out: dict[str, object] = {
            "name": self.name,
            "title": self.title,
            "description": self.description,
        }
        if self.reference_shaft is not None and self.typical_speed_hz is not None:
            out["reference"] = {
                "shaft": self.reference_shaft,
                "speed_rpm": _rpm(self.typical_speed_hz),
            }
        if self.severity is not None:
            out["severity"] = self.severity.to_dict()
        out["components"] = [c.to_dict() for c in self.components]
        out["points"] = [p.to_dict() for p in self.points]
        regimes = self.regimes.to_dict()
        if regimes:
            out["regimes"] = regimes
        return out


# --------------------------------------------------------------------------- parsing

_TOP_KEYS = ("name", "title", "description", "reference", "severity", "components", "points")
_COMPONENT_KEYS = (
    "name",
    "kind",
    "speed_ratio",
    "driven_by",
    "member",
    "designation",
    "description",
    "example",
    "count",
    "rotating_ring",
    "geometry",
    "gear_type",
    "teeth",
    "planets",
    "input",
)
_CLASSES = ("I", "II", "III", "IV")
_TEETH = {"parallel": 2, "bevel": 2, "planetary": 3, "sprocket": 1}


def _severity(data: object, where: str) -> SeveritySpec:
    keys = ("standard", "group", "foundation", "machine_class")
    table = _Table(data, where, keys)
    standard = table.choice("standard", SEVERITY_STANDARDS)
    if standard == "ISO 10816-1":
        spec = SeveritySpec(standard, machine_class=table.choice("machine_class", _CLASSES))
        extra = [k for k in ("group", "foundation") if k in table.data]
    else:
        group = table.whole("group")
        if group not in (1, 2):
            raise ConfigError(f"{where}.group: must be 1 or 2 for {standard}, got {group}")
        spec = SeveritySpec(
            standard, group=group, foundation=table.choice("foundation", ("rigid", "flexible"))
        )
        extra = [k for k in ("machine_class",) if k in table.data]
    if extra:
        raise ConfigError(f"{where}: {extra} do not apply to {standard}; remove them")
    return spec


def _geometry(data: object, where: str, designation: str) -> BearingGeometry:
    keys = ("n_rolling", "rolling_diameter_mm", "pitch_diameter_mm", "contact_angle_deg")
    table = _Table(data, where, keys)
    try:
        return BearingGeometry(
            n_rolling=table.whole("n_rolling"),
            rolling_diameter_mm=table.number("rolling_diameter_mm"),
            pitch_diameter_mm=table.number("pitch_diameter_mm"),
            contact_angle_deg=table.number("contact_angle_deg", 0.0, positive=False),
            designation=designation,
        )
    except ConfigError as exc:
        raise ConfigError(f"{where}: {exc}") from None


def _component(data: object, where: str) -> tuple[ComponentSpec, _Table]:
    """A component with its stated ratio; ``driven_by`` is resolved by the caller."""
    table = _Table(data, where, _COMPONENT_KEYS)
    name = table.text("name")
    where = f"{where} ({name!r})"
    table.where = where
    kind = cast(ComponentKind, table.choice("kind", get_args(ComponentKind)))
    driven_by = table.text("driven_by", "")
    if driven_by and "speed_ratio" in table.data:
        raise ConfigError(f"{where}: give speed_ratio or driven_by, not both")
    if not driven_by and "speed_ratio" not in table.data and kind != "other":
        raise ConfigError(
            f"{where}: missing key 'speed_ratio' (its speed per turn of the reference shaft) "
            "or 'driven_by' (the gear stage that turns it)"
        )
    if "member" in table.data and not driven_by:
        raise ConfigError(f"{where}.member: only applies with driven_by")
    member = cast(
        Literal["output", "planet"], table.choice("member", ("output", "planet"), "output")
    )
    gear_type: GearType | None = None
    teeth: tuple[int, ...] = ()
    planets = 0
    gear_input = "sun"
    gear_keys = [k for k in ("gear_type", "teeth", "planets", "input") if k in table.data]
    if kind == "gear":
        gear_type = cast(GearType, table.choice("gear_type", get_args(GearType)))
        raw = table.items("teeth")
        if not all(isinstance(z, int) and not isinstance(z, bool) and z >= 1 for z in raw):
            raise ConfigError(f"{where}.teeth: must be whole numbers >= 1, got {raw}")
        teeth = tuple(cast(list[int], raw))
        if len(teeth) != _TEETH[gear_type]:
            layout = {
                2: "[driving, driven]",
                3: "[sun, planet, ring]",
                1: "[teeth]",
            }[_TEETH[gear_type]]
            raise ConfigError(f"{where}.teeth: a {gear_type} stage takes {layout}, got {raw}")
        if gear_type == "planetary":
            planets = table.whole("planets")
            gear_input = table.choice("input", ("sun", "carrier"))
        elif "planets" in table.data or "input" in table.data:
            raise ConfigError(f"{where}: planets and input only apply to a planetary stage")
    elif gear_keys:
        raise ConfigError(f"{where}: {gear_keys} only apply to kind = 'gear'")
    bearing_keys = [k for k in ("designation", "geometry", "rotating_ring") if k in table.data]
    geometry = None
    designation = table.text("designation", "")
    if kind == "bearing":
        if "geometry" in table.data:
            geometry = _geometry(table.data["geometry"], f"{where}.geometry", designation or name)
        if not designation and geometry is None:
            raise ConfigError(
                f"{where}: a bearing needs a catalogue 'designation' or a [geometry] table "
                "(n_rolling, rolling_diameter_mm, pitch_diameter_mm, contact_angle_deg)"
            )
    elif bearing_keys:
        raise ConfigError(f"{where}: {bearing_keys} only apply to kind = 'bearing'")
    spec = ComponentSpec(
        name=name,
        kind=kind,
        speed_ratio=table.optional_number(
            "speed_ratio",
            "; give its speed per turn of the reference shaft (leave the key out for a part that "
            "does not turn)",
        ),
        designation=designation,
        example=table.flag("example"),
        description=table.text("description", ""),
        count=table.whole("count", 1),
        driven_by=driven_by,
        member=member,
        geometry=geometry,
        rotating_ring=cast(
            Literal["inner", "outer"], table.choice("rotating_ring", ("inner", "outer"), "inner")
        ),
        gear_type=gear_type,
        teeth=teeth,
        planets=planets,
        gear_input=cast(Literal["sun", "carrier"], gear_input),
    )
    return spec, table


def _resolve_speeds(specs: list[ComponentSpec], tables: list[_Table]) -> tuple[ComponentSpec, ...]:
    """Give each ``driven_by`` component the speed of its stage's output (or planets)."""
    by_name = {s.name: i for i, s in enumerate(specs)}
    resolved = list(specs)
    state: dict[str, str] = {}

    def resolve(i: int) -> ComponentSpec:
        spec = resolved[i]
        if not spec.driven_by or state.get(spec.name) == "done":
            return spec
        where = f"{tables[i].where}.driven_by"
        if state.get(spec.name) == "busy":
            raise ConfigError(f"{where}: the driven_by chain loops back to {spec.name!r}")
        state[spec.name] = "busy"
        if spec.driven_by not in by_name:
            raise ConfigError(
                f"{where}: no component {spec.driven_by!r}; name one of {', '.join(by_name)}"
            )
        stage = resolve(by_name[spec.driven_by])
        if stage.gear_type is None or stage.speed_ratio is None:
            raise ConfigError(f"{where}: {spec.driven_by!r} is no gear stage")
        if spec.member == "planet" and stage.gear_type != "planetary":
            raise ConfigError(f"{where}: member = 'planet' needs a planetary stage")
        ratio = stage.planet_ratio if spec.member == "planet" else stage.output_ratio
        resolved[i] = replace(spec, speed_ratio=ratio)
        state[spec.name] = "done"
        return resolved[i]

    for i in range(len(resolved)):
        resolve(i)
    return tuple(resolved)


def _point(data: object, where: str, components: set[str]) -> PointSpec:
    keys = ("name", "sensor", "direction", "unit", "sampling_rate_hz", "hears", "signal")
    table = _Table(data, where, (*keys, "description"))
    name = table.text("name")
    table.where = where = f"{where} ({name!r})"
    sensor = cast(SensorKind, table.choice("sensor", get_args(SensorKind)))
    unit = table.text("unit")
    if unit not in SENSOR_UNITS[sensor]:
        raise ConfigError(
            f"{where}.unit: {unit!r} is no unit of a {sensor}; use one of "
            f"{', '.join(SENSOR_UNITS[sensor])}"
        )
    hears = table.texts("hears")
    if not hears:
        raise ConfigError(f"{where}.hears: name at least one component the point measures")
    unknown = [h for h in hears if h not in components]
    if unknown:
        raise ConfigError(
            f"{where}.hears: no component {', '.join(map(repr, unknown))} in this profile; "
            f"components: {', '.join(sorted(components))}"
        )
    return PointSpec(
        name=name,
        sensor=sensor,
        direction=cast(Direction, table.choice("direction", get_args(Direction))),
        unit=unit,
        sampling_rate_hz=table.number("sampling_rate_hz"),
        hears=hears,
        signal=cast(
            Literal["waveform", "scalar"],
            table.choice("signal", ("waveform", "scalar"), "waveform"),
        ),
        description=table.text("description", ""),
    )


def _regimes(data: object, where: str) -> RegimeSpec:
    table = _Table(data, where, ("speed_edges_rpm", "load_edges", "load_unit", "load_quantity"))
    speed = table.edges("speed_edges_rpm", scale=1.0 / 60.0)
    if speed and speed[0] < 0.0:
        raise ConfigError(f"{where}.speed_edges_rpm: speeds must be >= 0")
    load = table.edges("load_edges")
    unit = table.text("load_unit", "")
    if load and not unit:
        raise ConfigError(f"{where}: load_edges need a load_unit ('%', 'kN', 'hp'...)")
    return RegimeSpec(speed, load, unit, table.text("load_quantity", ""))


def _unique(names: Iterable[str], what: str, where: str) -> set[str]:
    seen: set[str] = set()
    for n in names:
        if n in seen:
            raise ConfigError(f"{where}: {what} {n!r} appears twice; names must be unique")
        seen.add(n)
    return seen


def parse_profile(data: Mapping[str, object], origin: str = "<dict>") -> MachineProfile:
    """Validate a profile's tables (a parsed TOML file, or :meth:`MachineProfile.to_dict`).

    Parameters
    ----------
    data : Mapping
        The tables: ``name``, ``title``, ``description``, ``[reference]`` (``shaft``,
        ``speed_rpm``), ``[severity]`` (optional), ``[[components]]``, ``[[points]]`` and
        ``[regimes]`` (optional).
    origin : str
        The file the tables come from, for error messages.

    Returns
    -------
    MachineProfile
        The profile, speeds in Hz, every ``driven_by`` speed resolved from the tooth counts.

    Raises
    ------
    ConfigError
        On an unknown key, a missing key, a value of the wrong type or out of range, a point
        that hears a component that does not exist, or a reference shaft that is not one.

    Examples
    --------
    >>> p = parse_profile({
    ...     "name": "fan", "title": "Fan", "description": "A belt-less fan.",
    ...     "reference": {"shaft": "rotor", "speed_rpm": 1480},
    ...     "components": [
    ...         {"name": "rotor", "kind": "shaft", "speed_ratio": 1.0},
    ...         {"name": "de", "kind": "bearing", "designation": "6205", "speed_ratio": 1.0}],
    ...     "points": [{"name": "DE", "sensor": "accelerometer", "direction": "radial",
    ...                 "unit": "g", "sampling_rate_hz": 25600, "hears": ["de"]}]})
    >>> p.typical_speed_hz, p.heard_by("DE")[0].designation
    (24.666666666666668, '6205')
    """
    top = _Table(data, origin, (*_TOP_KEYS, "regimes"))
    name = top.text("name")
    if not _NAME.match(name):
        raise ConfigError(f"{origin}.name: {name!r} must be lower-case letters, digits, '_' or '-'")
    raw_components = top.items("components")
    if not raw_components:
        raise ConfigError(f"{origin}.components: list at least one component")
    parsed = [_component(c, f"{origin}: components[{i}]") for i, c in enumerate(raw_components)]
    _unique((s.name for s, _ in parsed), "component", f"{origin}: components")
    components = _resolve_speeds([s for s, _ in parsed], [t for _, t in parsed])
    reference, speed_hz = _reference(top, components, origin)
    raw_points = top.items("points")
    if not raw_points:
        raise ConfigError(f"{origin}.points: list at least one measurement point")
    names = {c.name for c in components}
    points = tuple(_point(p, f"{origin}: points[{i}]", names) for i, p in enumerate(raw_points))
    _unique((p.name for p in points), "point", f"{origin}: points")
    return MachineProfile(
        name=name,
        title=top.text("title"),
        description=top.text("description"),
        reference_shaft=reference,
        typical_speed_hz=speed_hz,
        severity=_severity(data["severity"], f"{origin}: [severity]")
        if "severity" in data
        else None,
        components=components,
        points=points,
        regimes=_regimes(data.get("regimes", {}), f"{origin}: [regimes]"),
        origin=origin,
    )


def _reference(
    top: _Table, components: tuple[ComponentSpec, ...], origin: str
) -> tuple[str | None, float | None]:
    turning = [c.name for c in components if c.speed_ratio is not None]
    if "reference" not in top.data:
        if turning:
            raise ConfigError(
                f"{origin}: missing [reference] table (shaft = the component the speed ratios "
                f"refer to, speed_rpm = its typical speed); {', '.join(turning)} turn"
            )
        return None, None
    where = f"{origin}: [reference]"
    table = _Table(top.data["reference"], where, ("shaft", "speed_rpm"))
    shaft = table.text("shaft")
    speed_hz = table.number("speed_rpm") / 60.0
    match = [c for c in components if c.name == shaft]
    if not match:
        raise ConfigError(
            f"{where}.shaft: no component {shaft!r}; add a component of kind 'shaft' so named"
        )
    ratio = match[0].speed_ratio
    if match[0].kind != "shaft" or ratio is None or not math.isclose(ratio, 1.0, rel_tol=1e-9):
        raise ConfigError(
            f"{where}.shaft: {shaft!r} must be a component of kind 'shaft' with speed_ratio = 1"
        )
    return shaft, speed_hz


# --------------------------------------------------------------------------- files


def _builtin_dir() -> Traversable:
    return resources.files("openphm.knowledge").joinpath("data", "profiles")


def _profile_files(extra_dirs: Iterable[str | os.PathLike[str]]) -> dict[str, tuple[str, str]]:
    """Name -> (origin, text reader key) of every profile; later directories win."""
    found: dict[str, tuple[str, str]] = {}
    for entry in sorted(_builtin_dir().iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            found[entry.name[:-5]] = (f"{_BUILTIN_ORIGIN}/{entry.name}", "")
    for directory in extra_dirs:
        folder = Path(directory)
        if not folder.is_dir():
            continue
        for file in sorted(folder.glob("*.toml")):
            found[file.stem] = (str(file), str(file))
    return found


def list_profiles(extra_dirs: Iterable[str | os.PathLike[str]] = ()) -> list[str]:
    """Names of the built-in machine profiles and those in ``extra_dirs``.

    Parameters
    ----------
    extra_dirs : iterable of path-like
        Directories of user profiles (``*.toml``); a missing directory is skipped.

    Returns
    -------
    list of str
        Sorted profile names.

    Examples
    --------
    >>> "cwru_rig" in list_profiles()
    True
    """
    return sorted(_profile_files(extra_dirs))


def _read(origin: str, path: str) -> MachineProfile:
    if path:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"machine profile {path}: cannot read it ({exc.strerror})") from None
    else:
        text = _builtin_dir().joinpath(origin.rsplit("/", 1)[1]).read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{origin}: not valid TOML ({exc})") from None
    profile = parse_profile(data, origin)
    stem = Path(origin).stem
    if profile.name != stem:
        raise ConfigError(
            f"{origin}.name: {profile.name!r} differs from the file's name {stem!r}; "
            "make them the same"
        )
    return profile


def load_profile(
    name_or_path: str | os.PathLike[str], extra_dirs: Iterable[str | os.PathLike[str]] = ()
) -> MachineProfile:
    """Load a machine profile by name (built-in or in ``extra_dirs``) or from a TOML file.

    Parameters
    ----------
    name_or_path : str or path-like
        A profile name (``"wind_turbine"``) or the path of a ``.toml`` file.
    extra_dirs : iterable of path-like
        Directories of user profiles, searched after the built-in ones; a file there with a
        built-in profile's name replaces it, and the last directory that has a name wins.

    Returns
    -------
    MachineProfile
        The validated profile.

    Raises
    ------
    ConfigError
        When no profile has that name, or the file is invalid (see :func:`parse_profile`).

    Examples
    --------
    >>> rig = load_profile("cwru_rig")
    >>> rig.component("de_bearing").designation, round(rig.typical_speed_hz * 60)
    ('6205-2RS JEM SKF', 1797)
    """
    text = os.fspath(name_or_path)
    if text.endswith(".toml") or os.sep in text or (os.altsep and os.altsep in text):
        return _read(text, text)
    files = _profile_files(extra_dirs)
    if text not in files:
        raise ConfigError(
            f"machine profile {text!r} not found; known profiles: {', '.join(sorted(files))}. "
            "Give the path of a .toml file, or put one in a profile directory"
        )
    return _read(*files[text])
