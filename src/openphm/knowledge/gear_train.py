"""Gear trains as data: parallel and planetary stages, and every frequency they make.

A :class:`GearTrain` holds stages in orders of one reference shaft (the shaft whose speed is
measured or given). From one speed it gives each stage's mesh frequency and, for each gear, the
rate of its shaft, the rate at which a local tooth fault strikes, and the angle-domain rate at
which time-synchronous averaging brings its teeth round (:class:`GearMember`):

- parallel (or bevel) stage with ``teeth = (z1, z2)``, input shaft at ``f1``: mesh
  ``f_m = z1 f1``, output ``f2 = f1 z1 / z2``, hunting tooth ``f_m / lcm(z1, z2)``, assembly
  phase ``f_m / gcd(z1, z2)`` (Randall 2011, section 2.2.3); a local fault on either gear
  strikes once per turn of its shaft;
- planetary stage with a fixed ring, ``teeth = (z_s, z_p, z_r)`` and ``N`` planets: carrier
  ``f_c = f_s z_s / (z_s + z_r)`` (sun input), mesh ``f_m = z_r f_c = z_s (f_s - f_c)``,
  planet speed relative to the carrier ``f_m / z_p``; a local fault strikes at
  ``N (f_s - f_c)`` on the sun, ``f_m / z_p`` on a planet (one flank; both flanks give twice
  that) and ``N f_c`` on the ring (McFadden & Smith 1985, "An explanation for the asymmetry of
  the modulation sidebands about the tooth meshing frequency in epicyclic gear vibration",
  Proc. IMechE C 199(1) 65-70; Randall 2011, section 2.2.3).

The machine profiles' ``kind = "gear"`` components turn into a train with
:func:`gear_train_from_profile`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from openphm.core.errors import ConfigError
from openphm.core.serialize import Serializable
from openphm.knowledge.profiles import ComponentSpec, MachineProfile

__all__ = [
    "GearMember",
    "GearStage",
    "GearTrain",
    "StageFrequencies",
    "gear_train_from_profile",
]

StageKind = Literal["parallel", "planetary"]
MemberRole = Literal["pinion", "wheel", "sun", "planet", "ring"]


@dataclass(frozen=True)
class GearMember(Serializable):
    """One gear of a stage at one speed.

    Parameters
    ----------
    name : str
        ``"<stage> <role>"``, for example ``"spur_stage_1 pinion"``.
    role : {"pinion", "wheel", "sun", "planet", "ring"}
        Its place in the stage (``pinion`` drives a parallel stage, ``wheel`` is driven).
    teeth : int
        Tooth count.
    shaft_hz : float
        Absolute speed of the gear, Hz (0 for a fixed ring).
    tsa_hz : float
        Rate at which every tooth of the gear passes the mesh once, Hz: the shaft speed of a
        parallel gear, the speed relative to the carrier for a sun or a planet, the carrier
        speed for the ring. Averaging at this rate puts the mesh at order ``teeth``.
    fault_hz : float
        Rate of the impacts of one damaged tooth, Hz (``tsa_hz`` times the number of planets
        for a sun or a ring).
    """

    name: str
    role: MemberRole
    teeth: int
    shaft_hz: float
    tsa_hz: float
    fault_hz: float


@dataclass(frozen=True)
class StageFrequencies(Serializable):
    """The frequencies of one stage at one speed, Hz.

    Parameters
    ----------
    stage : str
        Stage name.
    kind : {"parallel", "planetary"}
        Stage kind.
    mesh_hz : float
        Gear mesh frequency, Hz.
    members : tuple of GearMember
        The gears (pinion and wheel; or sun, planet and ring).
    hunting_tooth_hz : float
        Rate at which one pair of teeth meets again, Hz (parallel: ``f_m / lcm(z1, z2)``;
        planetary: of the sun-planet pair).
    assembly_phase_hz : float
        ``f_m / gcd`` of the (first) pair, Hz.
    carrier_hz : float
        Carrier speed of a planetary stage, Hz (0 for a parallel stage).
    planet_pass_hz : float
        Planets passing a point of the ring, ``N f_c``, Hz (0 for a parallel stage).
    """

    stage: str
    kind: StageKind
    mesh_hz: float
    members: tuple[GearMember, ...]
    hunting_tooth_hz: float
    assembly_phase_hz: float
    carrier_hz: float = 0.0
    planet_pass_hz: float = 0.0


def _teeth(values: Iterable[int], where: str, n: int) -> tuple[int, ...]:
    out = tuple(values)
    if len(out) != n or any(isinstance(z, bool) or int(z) != z or int(z) < 1 for z in out):
        raise ConfigError(f"{where}: needs {n} whole tooth counts >= 1, got {list(out)!r}")
    return tuple(int(z) for z in out)


@dataclass(frozen=True)
class GearStage(Serializable):
    """One gear stage, with the speed of its input member per turn of the reference shaft.

    Parameters
    ----------
    name : str
        Stage name (unique in a train).
    kind : {"parallel", "planetary"}
        A pair of gears on parallel (or crossed: bevel) shafts, or a planetary set with a
        fixed ring.
    teeth : tuple of int
        ``(driving, driven)`` for a parallel stage; ``(sun, planet, ring)`` for a planetary
        one.
    input_ratio : float
        Speed of the input member (driving gear; sun or carrier) per turn of the reference
        shaft.
    planets : int
        Number of planets (planetary stages, >= 1).
    gear_input : {"sun", "carrier"}
        Driving member of a planetary stage.

    Examples
    --------
    >>> s = GearStage("hs", "parallel", (22, 88), input_ratio=1.0)
    >>> s.frequencies(25.0).mesh_hz
    550.0
    """

    name: str
    kind: StageKind
    teeth: tuple[int, ...]
    input_ratio: float
    planets: int = 0
    gear_input: Literal["sun", "carrier"] = "sun"

    def __post_init__(self) -> None:
        where = f"gear stage {self.name!r}"
        if self.kind not in ("parallel", "planetary"):
            raise ConfigError(f"{where}: kind must be 'parallel' or 'planetary', got {self.kind!r}")
        n = 2 if self.kind == "parallel" else 3
        object.__setattr__(self, "teeth", _teeth(self.teeth, where, n))
        r = float(self.input_ratio)
        if not (math.isfinite(r) and r > 0.0):
            raise ConfigError(f"{where}: input_ratio must be > 0, got {self.input_ratio!r}")
        if self.kind == "planetary" and self.planets < 1:
            raise ConfigError(f"{where}: a planetary stage needs planets >= 1")

    @property
    def output_ratio(self) -> float:
        """Speed of the output member per turn of the reference shaft."""
        if self.kind == "parallel":
            return self.input_ratio * self.teeth[0] / self.teeth[1]
        sun, _, ring = self.teeth
        if self.gear_input == "sun":
            return self.input_ratio * sun / (sun + ring)
        return self.input_ratio * (sun + ring) / sun

    @property
    def mesh_order(self) -> float:
        """Mesh frequency in orders of the reference shaft."""
        return self.frequencies(1.0).mesh_hz

    def frequencies(self, reference_hz: float) -> StageFrequencies:
        """Every frequency of the stage when the reference shaft turns at ``reference_hz``.

        Parameters
        ----------
        reference_hz : float
            Speed of the reference shaft, Hz (> 0).

        Returns
        -------
        StageFrequencies
            Mesh, members, hunting-tooth, assembly-phase, carrier and planet-pass rates (Hz).
        """
        if not (math.isfinite(reference_hz) and reference_hz > 0.0):
            raise ConfigError(f"reference speed must be > 0 Hz, got {reference_hz!r}")
        f_in = self.input_ratio * reference_hz
        if self.kind == "parallel":
            z1, z2 = self.teeth
            f2 = f_in * z1 / z2
            mesh = z1 * f_in
            pair: tuple[GearMember, ...] = (
                GearMember(f"{self.name} pinion", "pinion", z1, f_in, f_in, f_in),
                GearMember(f"{self.name} wheel", "wheel", z2, f2, f2, f2),
            )
            return StageFrequencies(
                self.name,
                "parallel",
                mesh,
                pair,
                mesh / math.lcm(z1, z2),
                mesh / math.gcd(z1, z2),
            )
        zs, zp, zr = self.teeth
        carrier = f_in * zs / (zs + zr) if self.gear_input == "sun" else f_in
        sun = carrier * (zs + zr) / zs
        mesh = zr * carrier
        n = self.planets
        planet_rel = mesh / zp
        members = (
            GearMember(f"{self.name} sun", "sun", zs, sun, sun - carrier, n * (sun - carrier)),
            GearMember(
                f"{self.name} planet", "planet", zp, carrier - planet_rel, planet_rel, planet_rel
            ),
            GearMember(f"{self.name} ring", "ring", zr, 0.0, carrier, n * carrier),
        )
        return StageFrequencies(
            self.name,
            "planetary",
            mesh,
            members,
            mesh / math.lcm(zs, zp),
            mesh / math.gcd(zs, zp),
            carrier,
            n * carrier,
        )


@dataclass(frozen=True)
class GearTrain(Serializable):
    """The gear stages of a machine, in orders of one reference shaft.

    Parameters
    ----------
    stages : tuple of GearStage
        The stages (names unique).
    reference : str
        Name of the reference shaft, for reports.

    Examples
    --------
    The NREL GRC wind turbine gearbox (Sheng 2012): carrier in at 22.1 rpm.

    >>> grc = GearTrain((
    ...     GearStage("planetary", "planetary", (21, 39, 99), 1.0, planets=3,
    ...               gear_input="carrier"),
    ...     GearStage("ims", "parallel", (82, 23), 120 / 21),
    ...     GearStage("hss", "parallel", (88, 22), 120 / 21 * 82 / 23)))
    >>> [round(f.mesh_hz, 2) for f in grc.frequencies(22.1 / 60)]
    [36.47, 172.59, 660.35]
    >>> round(grc.stages[-1].output_ratio, 3)
    81.491
    """

    stages: tuple[GearStage, ...]
    reference: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "stages", tuple(self.stages))
        names = [s.name for s in self.stages]
        if not names:
            raise ConfigError("a gear train needs at least one stage")
        if len(set(names)) != len(names):
            raise ConfigError(f"gear train: stage names must be unique, got {names}")

    def frequencies(self, reference_hz: float) -> tuple[StageFrequencies, ...]:
        """Every stage's frequencies at a reference speed.

        Parameters
        ----------
        reference_hz : float
            Speed of the reference shaft, Hz.

        Returns
        -------
        tuple of StageFrequencies
            In stage order.
        """
        return tuple(s.frequencies(reference_hz) for s in self.stages)

    def stage(self, name: str) -> GearStage:
        """The stage called ``name``.

        Parameters
        ----------
        name : str
            Stage name.

        Returns
        -------
        GearStage
            The stage.
        """
        for s in self.stages:
            if s.name == name:
                return s
        known = ", ".join(s.name for s in self.stages)
        raise ConfigError(f"gear train has no stage {name!r}; it has {known}")

    def only(self, names: Iterable[str]) -> GearTrain:
        """The train reduced to the stages named (those a measurement point hears).

        Parameters
        ----------
        names : iterable of str
            Stage names; names that are no stage are ignored.

        Returns
        -------
        GearTrain
            The stages kept, in train order.
        """
        keep = set(names)
        return GearTrain(tuple(s for s in self.stages if s.name in keep), self.reference)


def _stage_of(c: ComponentSpec) -> GearStage | None:
    if c.kind != "gear" or c.gear_type in (None, "sprocket") or c.speed_ratio is None:
        return None
    kind: StageKind = "planetary" if c.gear_type == "planetary" else "parallel"
    return GearStage(c.name, kind, c.teeth, c.speed_ratio, c.planets, c.gear_input)


def gear_train_from_profile(profile: MachineProfile, point: str | None = None) -> GearTrain | None:
    """The gear train of a machine profile (or the stages one of its points hears).

    Parameters
    ----------
    profile : MachineProfile
        A loaded profile; its ``kind = "gear"`` components with ``gear_type`` parallel, bevel
        or planetary become stages (sprockets are left out: a chain is no gear mesh).
    point : str, optional
        Keep only the stages this measurement point hears.

    Returns
    -------
    GearTrain or None
        The train, or None when the profile (or point) has no gear stage.

    Examples
    --------
    >>> from openphm.knowledge.profiles import load_profile
    >>> train = gear_train_from_profile(load_profile("wind_turbine"))
    >>> [s.name for s in train.stages]
    ['planetary_stage', 'intermediate_stage', 'high_speed_stage']
    """
    comps = profile.heard_by(point) if point is not None else profile.components
    stages = tuple(s for s in map(_stage_of, comps) if s is not None)
    if not stages:
        return None
    return GearTrain(stages, profile.reference_shaft or "")
