"""What to do with a measurement: the typed settings of one run of the chain."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated

from openphm.core.bearing import BearingGeometry, BearingPosition, FaultFrequencies, Ring
from openphm.core.serialize import Serializable
from openphm.core.validation import OneOf, Range, validate_fields
from openphm.diagnose.gear import GearSettings
from openphm.diagnose.settings import DiagnosisSettings
from openphm.diagnose.tracks import SpeedUnit
from openphm.knowledge.gear_train import GearTrain
from openphm.signal.integrate import ISO_20816_BAND_HZ

__all__ = ["DEFAULT_STAGES", "ProcessingContext", "SeveritySettings"]

#: The stages a measurement goes through unless the context names others.
DEFAULT_STAGES = ("indicators", "diagnosis")


@dataclass(frozen=True)
class SeveritySettings(Serializable):
    """How the velocity severity (ISO 10816 / 20816) of a channel is evaluated.

    Parameters
    ----------
    band_hz : (float, float)
        Measurement band in Hz (ISO 10816-3: 10-1000 Hz above 600 r/min, 2-1000 Hz below).
    group : {1, 2} or None
        ISO 10816-3 / 20816-3 machine group, for its zone.
    foundation : {"rigid", "flexible"}
        Support class of the machine group.
    machine_class : {"I", "II", "III", "IV"} or None
        ISO 10816-1 machine class, for its zone.
    unit : str or None
        Acceleration unit that replaces the channel's (``"g"``, ``"m/s^2"``), for records that
        state none.
    """

    band_hz: tuple[float, float] = ISO_20816_BAND_HZ
    group: Annotated[int | None, OneOf((None, 1, 2))] = None
    foundation: Annotated[str, OneOf(("rigid", "flexible"))] = "rigid"
    machine_class: str | None = None
    unit: str | None = None

    def __post_init__(self) -> None:
        validate_fields(self)


@dataclass(frozen=True)
class ProcessingContext(Serializable):
    """Everything a run of the chain needs besides the measurement itself.

    Parameters
    ----------
    bearing : str or BearingGeometry or FaultFrequencies or None
        The bearing the sensor is placed for (label ``""`` among the diagnoses); None: the one
        the record names for the channel (CWRU records do), else no bearing diagnosis.
    rotating_ring : {"inner", "outer"}
        The ring of ``bearing`` that turns.
    bearing_ratio : float
        Speed of ``bearing`` over the reference shaft's (1: on the shaft whose speed is given).
    others : Mapping of str to BearingPosition
        Other bearings the sensor hears, by label, with their speed ratios.
    speed_hz : float or None
        Constant speed of the reference shaft, Hz (refined from the signal); None: from the
        record, else estimated.
    tacho, ppr, speed_channel, speed_unit
        A varying speed: tachometer channel and its pulses per revolution, or a channel holding
        the speed in ``speed_unit``.
    channel : str or None
        Channel to analyse (default: the vibration channel, see
        :func:`openphm.acquire.channels.default_channel`).
    fs_hz : float or None
        Sampling rate that provides or overrides the file's, Hz.
    catalogue : tuple of str
        Extra bearing catalogue files in which designations are looked up too.
    diagnosis : DiagnosisSettings
        Settings of the bearing diagnosis.
    severity : SeveritySettings
        Settings of the velocity severity stage.
    stages : tuple of str
        Names of the registered stages to run, in order (see :mod:`openphm.pipeline.stages`).
    gearbox : GearTrain or None
        The gear stages the channel hears; the ``"gears"`` stage diagnoses them
        (:mod:`openphm.pipeline.gear_stage`).
    gear : GearSettings
        Configuration of the gear diagnosis.
    model : str or None
        A learned model file (:mod:`openphm.learn.persist`; ``"shipped"`` for the pretrained
        CWRU model); the ``"learned"`` stage applies it (:mod:`openphm.pipeline.learned_stage`).
    """

    bearing: str | BearingGeometry | FaultFrequencies | None = None
    rotating_ring: Ring = "inner"
    bearing_ratio: Annotated[float, Range(gt=0.0)] = 1.0
    others: Mapping[str, BearingPosition] = field(default_factory=dict)
    speed_hz: Annotated[float | None, Range(gt=0.0)] = None
    tacho: str | None = None
    ppr: Annotated[int, Range(ge=1)] = 1
    speed_channel: str | None = None
    speed_unit: SpeedUnit = "rpm"
    channel: str | None = None
    fs_hz: Annotated[float | None, Range(gt=0.0)] = None
    catalogue: tuple[str, ...] = ()
    diagnosis: DiagnosisSettings = field(default_factory=DiagnosisSettings)
    severity: SeveritySettings = field(default_factory=SeveritySettings)
    stages: tuple[str, ...] = DEFAULT_STAGES
    gearbox: GearTrain | None = None
    gear: GearSettings = field(default_factory=GearSettings)
    model: str | None = None

    def __post_init__(self) -> None:
        validate_fields(self)
