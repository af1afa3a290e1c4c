"""Every bearing and gear one measurement point hears, each line attributed once.

A casing sensor on a gearbox hears its bearings and its gears together. Their diagnoses run on
the same record (:func:`~openphm.diagnose.bearing.diagnose_bearings`,
:func:`~openphm.diagnose.gear.diagnose_gears`), and a line is given to one component only: a
gear with a local tooth fault modulates the mesh once per turn of its shaft, which puts lines at
that rate and its harmonics into the envelope spectrum, so a bearing pattern whose significant
lines all sit on the harmonics of a faulty gear's fault rate is that gear's, not a bearing fault
(Randall 2011, section 5.5: separating gear and bearing signals).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from openphm.core.bearing import BearingGeometry, BearingPosition, FaultFrequencies
from openphm.core.diagnosis import BEARING_FAULTS, Diagnosis
from openphm.core.waveform import Waveform
from openphm.diagnose.bearing import diagnose_bearings
from openphm.diagnose.gear import GearBaseline, GearSettings, diagnose_gears
from openphm.diagnose.settings import DiagnosisSettings
from openphm.knowledge.gear_train import GearTrain

__all__ = ["GEAR_LINE_TOLERANCE", "diagnose_drivetrain"]

#: A bearing line lies on a gear's fault-rate harmonic within this fraction of it (or 1 Hz).
GEAR_LINE_TOLERANCE = 0.005


def _on_gear_harmonics(freq_hz: float, rate_hz: float) -> bool:
    k = round(freq_hz / rate_hz)
    return k >= 1 and abs(freq_hz - k * rate_hz) <= max(GEAR_LINE_TOLERANCE * freq_hz, 1.0)


def diagnose_drivetrain(
    waveform: Waveform,
    bearings: Mapping[str, BearingPosition | str | BearingGeometry | FaultFrequencies],
    train: GearTrain | None,
    speed_hz: float | None = None,
    *,
    bearing_settings: DiagnosisSettings | None = None,
    gear_settings: GearSettings | None = None,
    gear_baseline: GearBaseline | None = None,
) -> dict[str, Diagnosis]:
    """One verdict per bearing and per gear a point hears, each spectral line attributed once.

    Parameters
    ----------
    waveform : Waveform
        Vibration of the point, at constant speed.
    bearings : Mapping of str to BearingPosition (or designation, geometry, fault orders)
        The bearings the point hears, by label (as
        :func:`~openphm.diagnose.bearing.diagnose_bearings`); may be empty.
    train : GearTrain or None
        The gear stages the point hears (None: none).
    speed_hz : float, optional
        Reference shaft speed, Hz (default ``waveform.speed_hz``).
    bearing_settings : DiagnosisSettings, optional
        Bearing diagnosis configuration.
    gear_settings : GearSettings, optional
        Gear diagnosis configuration.
    gear_baseline : GearBaseline, optional
        Healthy reference of the gears (distributed wear).

    Returns
    -------
    dict of str to Diagnosis
        Bearings by their labels, then gears by their names (``element`` tells which).

    Examples
    --------
    >>> import numpy as np
    >>> from openphm.knowledge.gear_train import GearStage
    >>> from openphm.simulate.gearbox import simulate_gearbox
    >>> train = GearTrain((GearStage("s1", "parallel", (23, 48), 1.0),))
    >>> w = simulate_gearbox(train, 25.0, 12000.0, 4.0, np.random.default_rng(0))
    >>> out = diagnose_drivetrain(w, {"de": "6205"}, train)
    >>> {k: (d.element, d.verdict) for k, d in out.items()}["de"]
    ('bearing', 'healthy')
    """
    speed = speed_hz if speed_hz is not None else waveform.speed_hz
    out: dict[str, Diagnosis] = {}
    if bearings:
        out.update(diagnose_bearings(waveform, bearings, speed, settings=bearing_settings))
    gears: dict[str, Diagnosis] = {}
    if train is not None:
        gears = diagnose_gears(
            waveform, train, speed, settings=gear_settings, baseline=gear_baseline
        )
    faulty = {name: d.evidence[0].fault_hz for name, d in gears.items() if d.verdict == "tooth"}
    for label, d in list(out.items()):
        if d.verdict not in BEARING_FAULTS or not faulty:
            continue
        lines = [p.freq_hz for p in d.evidence_for(d.verdict).peaks if p.p_value < 0.01]
        for gear, rate in faulty.items():
            if lines and all(_on_gear_harmonics(f, rate) for f in lines):
                out[label] = replace(
                    d,
                    verdict="undetermined",
                    confidence=0.5,
                    reasons=(
                        *d.reasons,
                        f"its {d.verdict} lines all lie on harmonics of {rate:.4g} Hz, the "
                        f"fault rate of {gear}, which has a local tooth fault: the lines are "
                        "the gear's",
                    ),
                )
                break
    out.update(gears)
    return out
