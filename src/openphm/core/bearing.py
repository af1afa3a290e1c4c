"""Rolling-element bearing domain types: internal geometry and characteristic fault frequencies."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, get_args

from openphm.core.errors import ConfigError
from openphm.core.serialize import Serializable


@dataclass(frozen=True)
class BearingGeometry(Serializable):
    """Internal geometry of a rolling-element bearing.

    Parameters
    ----------
    n_rolling : int
        Number of rolling elements per row (balls or rollers).
    rolling_diameter_mm : float
        Rolling-element diameter ``d`` in mm.
    pitch_diameter_mm : float
        Pitch (mean) diameter ``D`` in mm.
    contact_angle_deg : float
        Nominal contact angle in degrees (0 for deep-groove ball and cylindrical roller bearings).
    designation : str
        Catalogue designation, for reports (``"6205"``).
    """

    n_rolling: int
    rolling_diameter_mm: float
    pitch_diameter_mm: float
    contact_angle_deg: float = 0.0
    designation: str = ""

    def __post_init__(self) -> None:
        name = self.designation or "bearing"
        if int(self.n_rolling) < 1:
            raise ConfigError(f"{name}: number of rolling elements must be >= 1")
        d, pd = float(self.rolling_diameter_mm), float(self.pitch_diameter_mm)
        if not (math.isfinite(d) and math.isfinite(pd) and 0.0 < d < pd):
            raise ConfigError(
                f"{name}: need 0 < rolling-element diameter ({d} mm) < pitch diameter ({pd} mm)"
            )
        if not 0.0 <= float(self.contact_angle_deg) < 90.0:
            raise ConfigError(f"{name}: contact angle {self.contact_angle_deg} deg not in [0, 90)")


#: Which ring of a bearing turns: ``"inner"`` (a shaft in a housing) or ``"outer"`` (a wheel
#: hub, a conveyor idler, a tunnel-boring machine's disc cutter on its fixed shaft).
Ring = Literal["inner", "outer"]
#: The values of :data:`Ring`.
ROTATING_RINGS: tuple[Ring, ...] = get_args(Ring)


def as_ring(text: str) -> Ring:
    """``text`` as a :data:`Ring`, or a :class:`ConfigError` naming the choices.

    Parameters
    ----------
    text : str
        The text given.

    Returns
    -------
    Ring
        ``"inner"`` or ``"outer"``.

    Examples
    --------
    >>> as_ring("outer")
    'outer'
    """
    for ring in ROTATING_RINGS:
        if text == ring:
            return ring
    raise ConfigError(f"rotating ring must be one of {', '.join(ROTATING_RINGS)}, got {text!r}")


@dataclass(frozen=True)
class FaultFrequencies(Serializable):
    """Characteristic bearing frequencies as orders (multiples of the rotating ring's speed).

    ``ftf`` fundamental train (cage) frequency, ``bsf`` ball spin frequency, ``bpfo`` ball pass
    frequency of the outer race, ``bpfi`` ball pass frequency of the inner race. Multiply by the
    speed of the rotating ring in Hz (or use :meth:`in_hz`) to get Hz. ``2*bsf`` is the rate at
    which a rolling-element defect strikes both races. ``rotating_ring`` says which ring turns
    (the other stands still): it decides which race's defect passes through the load zone once
    per revolution, and the cage frequency.
    """

    ftf: float
    bsf: float
    bpfo: float
    bpfi: float
    rotating_ring: Ring = "inner"

    def __post_init__(self) -> None:
        if self.rotating_ring not in ROTATING_RINGS:
            raise ConfigError(
                f"rotating_ring must be one of {', '.join(ROTATING_RINGS)}, "
                f"got {self.rotating_ring!r}"
            )

    @property
    def two_bsf(self) -> float:
        """Twice the ball spin frequency (orders)."""
        return 2.0 * self.bsf

    def in_hz(self, shaft_hz: float) -> dict[str, float]:
        """Frequencies in Hz at shaft speed ``shaft_hz`` (Hz), keyed ftf, bsf, 2bsf, bpfo, bpfi."""
        return {
            "ftf": self.ftf * shaft_hz,
            "bsf": self.bsf * shaft_hz,
            "2bsf": self.two_bsf * shaft_hz,
            "bpfo": self.bpfo * shaft_hz,
            "bpfi": self.bpfi * shaft_hz,
        }


@dataclass(frozen=True)
class BearingPosition(Serializable):
    """A bearing one sensor hears, and how fast it turns relative to the reference shaft.

    A sensor on a gearbox or a motor hears every bearing along the load path; a fault of one
    shows in the envelope spectrum of a sensor placed for another. Naming each bearing with
    its speed ratio lets a diagnosis tell which bearing a line series belongs to.

    Parameters
    ----------
    bearing : str or BearingGeometry or FaultFrequencies
        Catalogue designation (``"6203"``), internal geometry, or fault orders.
    speed_ratio : float, default 1.0
        Speed of this bearing's rotating ring over the speed of the reference shaft (the one
        the speed or tachometer given measures): 1 on the same shaft, the gear ratio
        ``z_driving / z_driven`` one stage down a gearbox.
    rotating_ring : {"inner", "outer"}, optional
        The ring that turns (default ``"inner"``, or the one fault orders say).

    Examples
    --------
    >>> BearingPosition("22316", speed_ratio=23 / 71).speed_ratio
    0.323943661971831
    """

    bearing: str | BearingGeometry | FaultFrequencies
    speed_ratio: float = 1.0
    rotating_ring: Ring | None = None

    def __post_init__(self) -> None:
        ratio = self.speed_ratio
        if not (isinstance(ratio, (int, float)) and math.isfinite(ratio) and ratio > 0.0):
            raise ConfigError(f"speed ratio must be a positive number, got {ratio!r}")
        if self.rotating_ring is not None and self.rotating_ring not in ROTATING_RINGS:
            raise ConfigError(
                f"rotating_ring must be one of {', '.join(ROTATING_RINGS)}, "
                f"got {self.rotating_ring!r}"
            )
