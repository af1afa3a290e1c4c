"""The stages of the chain, registered in one place.

A stage is a plain function ``stage(item: StageInput) -> result`` that reads the measurement (and
the results of the stages before it) and returns one result object (a frozen
:class:`~openphm.core.serialize.Serializable` dataclass), or None when it has nothing to say. It
is registered once with :func:`register_stage` under a name and its result type, and runs when
a :class:`~openphm.pipeline.context.ProcessingContext` names it. Later blocks (gears, learned
models, RUL, advisories) plug in the same way, without touching the pipeline.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from openphm.acquire.channels import pick_channel
from openphm.core.bearing import BearingPosition, FaultFrequencies
from openphm.core.errors import ConfigError
from openphm.core.units import is_acceleration_unit, normalise_unit
from openphm.core.waveform import Recording, Waveform
from openphm.diagnose import SpeedTrack, diagnose_bearings
from openphm.diagnose.geometry_free import diagnose_geometry_free, stored_fault_frequencies
from openphm.knowledge.catalogue import get_bearing
from openphm.knowledge.iso20816 import zone, zone_iso10816_1
from openphm.pipeline.context import ProcessingContext
from openphm.pipeline.results import Diagnoses, Indicators, Severity
from openphm.signal.indicators import time_indicators
from openphm.signal.integrate import velocity_rms_mm_s

__all__ = ["STAGES", "StageInput", "register_stage", "result_type"]


@dataclass(frozen=True)
class StageInput:
    """What a stage sees.

    Parameters
    ----------
    recording : Recording
        The record (every channel: a stage may need the tachometer or a speed channel).
    waves : tuple of Waveform
        The channel analysed; several snapshots of one machine state when diagnosed together.
    track : SpeedTrack or None
        The speed track of a record at varying speed.
    context : ProcessingContext
        The settings of the run.
    done : Mapping of str to object
        Results of the stages that ran before, by name.
    """

    recording: Recording
    waves: tuple[Waveform, ...]
    track: SpeedTrack | None
    context: ProcessingContext
    done: Mapping[str, Any]

    @property
    def wave(self) -> Waveform:
        """The channel analysed (the first snapshot when there are several)."""
        return self.waves[0]


Stage = Callable[[StageInput], Any]


@dataclass(frozen=True)
class _Registered:
    run: Stage
    result_type: type | None


#: The registered stages by name.
STAGES: dict[str, _Registered] = {}


def register_stage(name: str, result: type | None) -> Callable[[Stage], Stage]:
    """Register a stage under ``name``; its results rebuild from JSON as ``result``.

    Parameters
    ----------
    name : str
        Name a context lists in ``stages``; also the key of the stage's result.
    result : type or None
        Result type (a Serializable dataclass), or None for plain data.

    Returns
    -------
    callable
        A decorator that registers the function and returns it unchanged.
    """

    def decorate(run: Stage) -> Stage:
        STAGES[name] = _Registered(run, result)
        return run

    return decorate


def result_type(name: str) -> type | None:
    """Result type of stage ``name`` (None when unknown or plain data).

    Parameters
    ----------
    name : str
        Stage name.

    Returns
    -------
    type or None
        The registered result type.
    """
    found = STAGES.get(name)
    return None if found is None else found.result_type


def stage(name: str) -> Stage:
    """The stage registered as ``name``, or a :class:`ConfigError` naming the known ones.

    Parameters
    ----------
    name : str
        Stage name.

    Returns
    -------
    callable
        The stage function.
    """
    try:
        return STAGES[name].run
    except KeyError:
        known = ", ".join(sorted(STAGES))
        raise ConfigError(f"unknown processing stage {name!r}; known stages: {known}") from None


@register_stage("indicators", Indicators)
def indicators_stage(item: StageInput) -> Indicators:
    """Time-domain indicators of the channel, and the ISO-band velocity of an acceleration.

    Parameters
    ----------
    item : StageInput
        The measurement and the run's settings.

    Returns
    -------
    Indicators
        The stage's result.
    """
    wave = item.wave
    values = time_indicators(wave.samples)
    unit = item.context.severity.unit or wave.unit
    if is_acceleration_unit(unit) and wave.fs > 2.0 * item.context.severity.band_hz[1]:
        values["velocity_rms_mm_s"] = velocity_rms_mm_s(
            wave.samples,
            wave.fs,
            unit=normalise_unit(unit),
            band_hz=item.context.severity.band_hz,
        )
    return Indicators(values, unit)


def channel_severity(wave: Waveform, context: ProcessingContext) -> Severity:
    """Velocity r.m.s. (mm/s) of one acceleration channel and its ISO 10816 / 20816 zones.

    Parameters
    ----------
    wave : Waveform
        Acceleration of one channel.
    context : ProcessingContext
        Its ``severity`` settings: band, machine group or class, unit override.

    Returns
    -------
    Severity
        The velocity and the zones the settings ask for.
    """
    s = context.severity
    unit = s.unit or wave.unit
    if not is_acceleration_unit(unit):
        stated = f"its unit is {wave.unit!r}" if wave.unit else "the file states no unit"
        raise ConfigError(
            f"{wave.source or wave.channel}: channel {wave.channel!r} is not acceleration in a "
            f"known unit ({stated}); pass --unit with one of g, m/s^2, mm/s^2"
        )
    velocity = velocity_rms_mm_s(
        wave.samples, wave.fs, unit=normalise_unit(unit), band_hz=s.band_hz
    )
    return Severity(
        velocity_rms_mm_s=velocity,
        band_hz=s.band_hz,
        iso10816_3=None
        if s.group is None
        else zone(velocity, group=s.group, foundation=s.foundation),
        iso10816_1=None if s.machine_class is None else zone_iso10816_1(velocity, s.machine_class),
    )


@register_stage("severity", Severity)
def severity_stage(item: StageInput) -> Severity:
    """ISO 10816 / 20816 velocity severity of the channel (see :func:`channel_severity`).

    Parameters
    ----------
    item : StageInput
        The measurement and the run's settings.

    Returns
    -------
    Severity
        The stage's result.
    """
    return channel_severity(item.wave, item.context)


def bearing_positions(
    recording: Recording, wave: Waveform, context: ProcessingContext
) -> dict[str, BearingPosition] | None:
    """The bearings to diagnose: the sensor's (label ``""``), then the others the sensor hears.

    Parameters
    ----------
    recording : Recording
        The record (it may name the bearing of each channel, or store its defect frequencies).
    wave : Waveform
        The channel analysed.
    context : ProcessingContext
        The bearing, ring, catalogue and other bearings given.

    Returns
    -------
    dict of str to BearingPosition, or None
        The bearings by label; None when nothing names the sensor's bearing (the diagnosis is
        then made without its geometry).

    The sensor's bearing is the context's, else the one the record names for the channel,
    else the defect frequencies the record stores (``BPFO``, ``BPFI``, ``BSF``, ``FTF``; see
    :func:`~openphm.diagnose.geometry_free.stored_fault_frequencies`).

    Raises
    ------
    ConfigError
        Other bearings are given but nothing names the sensor's, or a designation whose
        catalogue entry has no internal geometry.
    """
    target = context.bearing or recording.metadata.get("bearings", {}).get(wave.channel)
    if target is None:
        target = stored_fault_frequencies(
            recording.metadata, context.rotating_ring, recording.source or "record"
        )
    if target is None:
        if context.others:
            raise ConfigError(
                f"{recording.source or 'record'}: other bearings are given but not the bearing "
                f"of channel {wave.channel!r}; give it with --bearing (a designation, its "
                "geometry or --fault-orders), or give no other bearing for a diagnosis "
                "without geometry"
            )
        return None
    if isinstance(target, str) and context.catalogue:
        entry = get_bearing(target, extra_files=context.catalogue)
        if entry.geometry is None:
            raise ConfigError(
                f"bearing {target!r}: the catalogue has no internal geometry for it; add it to a "
                "catalogue file given with --catalogue"
            )
        target = entry.geometry
    # Fault orders carry the ring they were computed for.
    ring = None if isinstance(target, FaultFrequencies) else context.rotating_ring
    return {"": BearingPosition(target, context.bearing_ratio, ring), **context.others}


@register_stage("diagnosis", Diagnoses)
def diagnosis_stage(item: StageInput) -> Diagnoses:
    """Bearing diagnosis of every bearing the channel hears.

    See :func:`openphm.diagnose.diagnose_bearings`; when nothing names the sensor's bearing
    (see :func:`bearing_positions`), :func:`openphm.diagnose.geometry_free.diagnose_geometry_free`
    diagnoses it without its geometry (label ``""``), at the speed of the sensor's bearing.

    Parameters
    ----------
    item : StageInput
        The measurement and the run's settings.

    Returns
    -------
    Diagnoses
        The stage's result.
    """
    positions = bearing_positions(item.recording, item.wave, item.context)
    wave_or_snapshots = item.waves if len(item.waves) > 1 else item.wave
    ctx = item.context
    if positions is None:
        ratio = ctx.bearing_ratio
        found = {
            "": diagnose_geometry_free(
                wave_or_snapshots,
                None if ctx.speed_hz is None else ctx.speed_hz * ratio,
                track=item.track,
                rotating_ring=ctx.rotating_ring,
                settings=ctx.diagnosis,
            )
        }
        return Diagnoses(found)
    found = diagnose_bearings(
        wave_or_snapshots,
        positions,
        ctx.speed_hz,
        track=item.track,
        settings=ctx.diagnosis,
    )
    return Diagnoses(found)


def analysed_channel(recording: Recording, context: ProcessingContext) -> Waveform:
    """The channel of ``recording`` the context asks to analyse.

    Parameters
    ----------
    recording : Recording
        The record.
    context : ProcessingContext
        Its ``channel`` names the channel (None: the vibration channel).

    Returns
    -------
    Waveform
        The channel.
    """
    return pick_channel(recording, context.channel)
