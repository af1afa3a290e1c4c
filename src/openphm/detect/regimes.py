"""Operating regimes: speed and load bins that give each measurement a stable regime key.

An indicator's healthy level depends on speed and load (r.m.s. vibration rises with speed), so a
baseline is learned per regime. A regime key reads ``"speed:20-30|load:all"``: the half-open speed
bin ``[20, 30)`` Hz and, when no load bins are set, every load.
"""

from __future__ import annotations

import bisect
import itertools
import math
from dataclasses import dataclass

from openphm.core.errors import ConfigError
from openphm.core.serialize import Serializable

#: The key of a dimension that is not binned.
ALL = "all"
#: The key of a binned dimension whose value is missing.
UNKNOWN = "unknown"


def _check_edges(name: str, edges: tuple[float, ...]) -> None:
    if not all(math.isfinite(e) for e in edges):
        raise ConfigError(f"RegimeBins.{name}: edges must be finite, got {edges!r}")
    if any(b <= a for a, b in itertools.pairwise(edges)):
        raise ConfigError(f"RegimeBins.{name}: edges must increase strictly, got {edges!r}")


def _bin_key(edges: tuple[float, ...], value: float | None) -> str:
    if not edges:
        return ALL
    if value is None or not math.isfinite(value):
        return UNKNOWN
    i = bisect.bisect_right(edges, value)
    if i == 0:
        return f"<{edges[0]:g}"
    if i == len(edges):
        return f">={edges[-1]:g}"
    return f"{edges[i - 1]:g}-{edges[i]:g}"


@dataclass(frozen=True)
class RegimeBins(Serializable):
    """Bin edges of the operating regimes.

    Parameters
    ----------
    speed_edges_hz : tuple of float, default ()
        Increasing speed bin edges in Hz. Bins are half-open ``[a, b)``; speeds below the first
        edge fall in ``"<a"``, speeds at or above the last in ``">=b"``. Empty: speed not binned.
    load_edges : tuple of float, default ()
        Increasing load bin edges in the load's unit (N, kW or % as the point records it). Empty:
        load not binned.

    Examples
    --------
    >>> bins = RegimeBins(speed_edges_hz=(10.0, 20.0, 30.0))
    >>> bins.regime_of(25.0), bins.regime_of(35.0), bins.regime_of(None)
    ('speed:20-30|load:all', 'speed:>=30|load:all', 'speed:unknown|load:all')
    """

    speed_edges_hz: tuple[float, ...] = ()
    load_edges: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "speed_edges_hz", tuple(float(e) for e in self.speed_edges_hz))
        object.__setattr__(self, "load_edges", tuple(float(e) for e in self.load_edges))
        _check_edges("speed_edges_hz", self.speed_edges_hz)
        _check_edges("load_edges", self.load_edges)

    def regime_of(self, speed_hz: float | None, load: float | None = None) -> str:
        """Return the regime key of a measurement.

        Parameters
        ----------
        speed_hz : float or None
            Shaft speed in Hz (None or NaN when unknown).
        load : float or None, optional
            Load in the unit of :attr:`load_edges` (None when unknown or not recorded).

        Returns
        -------
        str
            ``"speed:<bin>|load:<bin>"`` where a bin is ``"a-b"``, ``"<a"``, ``">=b"``,
            ``"all"`` (dimension not binned) or ``"unknown"`` (value missing).
        """
        speed = _bin_key(self.speed_edges_hz, speed_hz)
        return f"speed:{speed}|load:{_bin_key(self.load_edges, load)}"
