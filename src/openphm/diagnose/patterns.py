"""The spectral patterns bearing faults leave in the squared-envelope spectrum.

Each fault candidate predicts a set of lines, in orders of the shaft speed, after Randall &
Antoni (2011), "Rolling element bearing diagnostics - A tutorial", MSSP 25(2) 485-520, section
1.2 and table 1:

- outer race: harmonics of BPFO; the defect does not move relative to the load, so the
  harmonics carry no sidebands;
- inner race: harmonics of BPFI with shaft-speed sidebands, because the defect passes through
  the load zone once per revolution;
- rolling element: the defect strikes both races once per spin, so harmonics of 2xBSF, with
  sidebands at the cage speed FTF (the element passes through the load zone once per cage
  revolution), plus the modulating lines themselves: FTF, and ``fr - FTF``, the rate at which
  the element meets a given point of the rotating ring (and so its unbalance load);
- cage: harmonics of FTF.

When the outer ring turns (``FaultFrequencies.rotating_ring == "outer"``) the races swap roles:
the outer-race defect passes through the stationary load zone once per revolution and carries
the shaft-speed sidebands, the inner-race defect stands still and carries none.
"""

from __future__ import annotations

from dataclasses import dataclass

from openphm.core.bearing import FaultFrequencies
from openphm.core.diagnosis import BEARING_FAULTS, LineKind

__all__ = ["Line", "fault_lines", "slip_tolerance"]


@dataclass(frozen=True)
class Line:
    """One line a fault predicts, in orders of the shaft speed.

    Parameters
    ----------
    label : str
        Name for reports (``"2xBPFI+fr"``).
    kind : str
        ``"harmonic"``, ``"sideband"`` or ``"modulation"``.
    order : int
        Harmonic number of the fault frequency (0 for modulation lines).
    slipping_orders : float
        Part of the frequency that scales with the slip factor (orders).
    fixed_orders : float
        Part tied to the shaft speed only, such as a shaft-speed sideband offset (orders).
    """

    label: str
    kind: LineKind
    order: int
    slipping_orders: float
    fixed_orders: float = 0.0

    def hz(self, shaft_hz: float, slip_factor: float = 1.0) -> float:
        """Frequency of the line in Hz.

        Parameters
        ----------
        shaft_hz : float
            Shaft speed in Hz.
        slip_factor : float, default 1
            Ratio of actual to kinematic fault frequency.

        Returns
        -------
        float
            ``(slipping_orders * slip_factor + fixed_orders) * shaft_hz``.
        """
        return (self.slipping_orders * slip_factor + self.fixed_orders) * shaft_hz


def slip_tolerance(fault: str) -> float:
    """Largest relative deviation of a fault frequency from its kinematic value.

    Parameters
    ----------
    fault : str
        One of ``"outer"``, ``"inner"``, ``"ball"``, ``"cage"``.

    Returns
    -------
    float
        1 % for the race defects, 2 % for the rolling element and the cage, whose speeds slip
        most (Randall & Antoni 2011, section 1.2, give 1-2 %).
    """
    return 0.01 if fault in ("outer", "inner") else 0.02


def _outer_count(orders: FaultFrequencies, n_harmonics: int) -> int:
    """Harmonics of BPFO up to the inner-race pattern's highest line (BPFI x n + 1 order)."""
    return int((n_harmonics * orders.bpfi + 1.0) / orders.bpfo)


def fault_lines(orders: FaultFrequencies, n_harmonics: int = 4) -> dict[str, tuple[Line, ...]]:
    """The lines each fault candidate predicts.

    Parameters
    ----------
    orders : FaultFrequencies
        Characteristic frequencies of the bearing in orders.
    n_harmonics : int, default 4
        Harmonics of BPFI, BSF and FTF to predict; the rolling-element series counts in steps
        of 2xBSF, so it has half as many (at least one) over the same range. The outer-race
        series spans the inner-race pattern's range (up to ``n_harmonics`` BPFI plus one
        order), so it holds more harmonics of the lower BPFO: the two race patterns share
        lines (BPFO + BPFI is the number of rolling elements in orders, so harmonics of the
        two often coincide, as 3xBPFO and 2xBPFI of a 9-element bearing do), and only over
        the same range are they weighed fairly when shared lines are explained away.

    Returns
    -------
    dict of str to tuple of Line
        Keyed ``outer``, ``inner``, ``ball``, ``cage``.
    """
    lines: dict[str, list[Line]] = {f: [] for f in BEARING_FAULTS}
    turning = "inner" if orders.rotating_ring == "inner" else "outer"
    races = {
        "outer": (
            "BPFO",
            orders.bpfo,
            range(1, max(n_harmonics, _outer_count(orders, n_harmonics)) + 1),
        ),
        "inner": ("BPFI", orders.bpfi, range(1, n_harmonics + 1)),
    }
    for fault, (name, order, harmonics) in races.items():
        for k in harmonics:
            s = k * order
            lines[fault].append(Line(f"{k}x{name}", "harmonic", k, s))
            if fault == turning:  # the turning race carries its defect through the load zone
                lines[fault] += [
                    Line(f"{k}x{name}-fr", "sideband", k, s, -1.0),
                    Line(f"{k}x{name}+fr", "sideband", k, s, 1.0),
                ]
    for k in range(1, max(1, n_harmonics // 2) + 1):
        s = k * orders.two_bsf
        lines["ball"] += [
            Line(f"{k}x2BSF", "harmonic", k, s),
            Line(f"{k}x2BSF-FTF", "sideband", k, s - orders.ftf),
            Line(f"{k}x2BSF+FTF", "sideband", k, s + orders.ftf),
        ]
    lines["ball"] += [
        Line("FTF", "modulation", 0, orders.ftf),
        Line("fr-FTF", "modulation", 0, -orders.ftf, 1.0),
    ]
    for k in range(1, n_harmonics + 1):
        lines["cage"].append(Line(f"{k}xFTF", "harmonic", k, k * orders.ftf))
    return {f: tuple(v) for f, v in lines.items()}
