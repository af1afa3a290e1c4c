"""A stored measurement through the chain, its states and its alarms (ISO 13374 DM, SD, HA).

:func:`process_measurement` is what happens to every measurement once it is stored: the stages
of :mod:`openphm.pipeline.stages` run with the settings the fleet gives (the bearings the point
hears and their speed ratios, the machine's ISO group), the indicators are judged against the
baselines learned per point and operating regime, the alarm state machines of
:mod:`openphm.detect` advance, and everything (results with the settings and code version that
made them, trend values, detector states, and the alarms that rise, change or clear, each with an
event) is stored in one transaction.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any

import numpy as np

from openphm.acquire.channels import load_record
from openphm.core.bearing import BearingGeometry, BearingPosition, as_ring
from openphm.core.diagnosis import Diagnosis
from openphm.core.errors import ConfigError, OpenPHMError
from openphm.core.provenance import InputRef
from openphm.core.serialize import Serializable
from openphm.core.validation import Range, validate_fields
from openphm.core.waveform import Recording
from openphm.detect import (
    AlarmRule,
    AlarmState,
    AlarmTransition,
    Baseline,
    CusumState,
    Direction,
    Limits,
    RegimeBins,
    fit_baseline,
    step,
)
from openphm.detect.multivariate import PcaDetector, fit_pca
from openphm.knowledge.iso20816 import zone_boundaries
from openphm.knowledge.profiles import MachineProfile, load_profile
from openphm.pipeline.context import ProcessingContext, SeveritySettings
from openphm.pipeline.gear_stage import GearDiagnoses, with_gears
from openphm.pipeline.process import process
from openphm.pipeline.results import Results
from openphm.prognose.point_rul import PointRulSettings, PointRulState, step_point_rul
from openphm.store import (
    AlarmUpdate,
    BaselineInfo,
    ComponentInfo,
    MachineInfo,
    MeasurementInfo,
    PointInfo,
    ProcessingInputs,
    ResultRow,
    Store,
)

__all__ = [
    "MonitorOutcome",
    "MonitorSettings",
    "context_for_point",
    "machine_profile",
    "point_channel",
    "process_measurement",
    "result_rows",
]


@dataclass(frozen=True)
class MonitorSettings(Serializable):
    """How measurements are judged: which indicators, how baselines are learned, when alarms rise.

    Parameters
    ----------
    indicators : tuple of str
        Indicators trended and judged against their baselines (names of
        :class:`~openphm.pipeline.results.Indicators` values).
    baseline_count : int
        Measurements per point, indicator and operating regime from which the baseline is
        learned (the first ones: the machine is taken to be healthy when monitoring starts).
    alert_sigmas, danger_sigmas : float
        Alert and danger limits, in robust standard deviations above the baseline's median.
    hysteresis_sigmas : float
        How far below a limit (robust standard deviations) a value must come to count towards
        clearing it.
    min_count, clear_count : int
        Consecutive measurements beyond a limit to raise an alarm, and back within it to clear.
    cusum_k, cusum_h : float
        Reference value and decision interval of the CUSUM onset chart, in baseline sigmas
        (Page 1954; k = 0.5, h = 5 detect a one-sigma shift within about ten measurements).
    diagnosis_confidence : float
        Confidence from which a fault verdict raises an alarm.
    rul_indicator : str
        Indicator whose trend gives each point's remaining useful life ("" for none); the RUL is
        stored for the point's first bearing (else its first component).
    rul : PointRulSettings
        How that RUL is judged (failure threshold over the healthy level, onset chart, prior).
    """

    indicators: tuple[str, ...] = ("rms", "peak", "crest_factor", "kurtosis", "velocity_rms_mm_s")
    baseline_count: Annotated[int, Range(ge=5)] = 20
    alert_sigmas: Annotated[float, Range(gt=0.0)] = 4.0
    danger_sigmas: Annotated[float, Range(gt=0.0)] = 6.0
    hysteresis_sigmas: Annotated[float, Range(ge=0.0)] = 1.0
    min_count: Annotated[int, Range(ge=1)] = 3
    clear_count: Annotated[int, Range(ge=1)] = 3
    cusum_k: Annotated[float, Range(ge=0.0)] = 0.5
    cusum_h: Annotated[float, Range(gt=0.0)] = 5.0
    diagnosis_confidence: Annotated[float, Range(gt=0.0, le=1.0)] = 0.8
    rul_indicator: str = "rms"
    rul: PointRulSettings = field(default_factory=PointRulSettings)

    def __post_init__(self) -> None:
        validate_fields(self)
        if self.danger_sigmas < self.alert_sigmas:
            raise ConfigError(
                f"MonitorSettings.danger_sigmas ({self.danger_sigmas:g}) must be at least "
                f"alert_sigmas ({self.alert_sigmas:g})"
            )


@dataclass(frozen=True)
class AlarmChange:
    """One alarm transition to apply after the results are stored.

    Parameters
    ----------
    key : str
        What the alarm is about (``"rms"``, ``"zone"``, ``"bearing:de_bearing"``).
    source : str
        ``"indicator"``, ``"zone"`` or ``"diagnosis"``.
    transition : AlarmTransition
        The change of level and the value and limit behind it.
    message : str
        One line for people.
    details : Mapping
        Evidence as JSON.
    component_id : int or None
        The component it names.
    """

    key: str
    source: str
    transition: AlarmTransition
    message: str
    details: Mapping[str, Any]
    component_id: int | None = None


@dataclass(frozen=True)
class MonitorOutcome:
    """What processing one stored measurement gave.

    Parameters
    ----------
    measurement_id : int
        The measurement.
    results : Results or None
        The chain's results (None when the measurement could not be read).
    regime : str
        Its operating regime.
    assessments : Mapping of str to str
        Each judged indicator's status: ``"learning"``, ``"normal"``, ``"alert"``, ``"danger"``.
    alarms : tuple of AlarmChange
        The alarm transitions it caused.
    error : str
        Why processing failed, when it did.
    """

    measurement_id: int
    results: Results | None
    regime: str
    assessments: Mapping[str, str]
    alarms: tuple[AlarmChange, ...]
    error: str = ""


def _position(component: ComponentInfo) -> BearingPosition:
    if component.geometry:
        geometry = BearingGeometry(**dict(component.geometry))
        bearing: str | BearingGeometry = geometry
    elif component.designation:
        bearing = component.designation
    else:
        raise ConfigError(
            f"component {component.name!r}: a bearing needs a designation or geometry"
        )
    return BearingPosition(bearing, component.speed_ratio, as_ring(component.rotating_ring))


def point_channel(recording: Recording, point: PointInfo) -> str | None:
    """The channel of a record that is the point's.

    The point's ``channel`` when it names one; else the channel named like the point (a CWRU
    record's ``DE`` for the point ``DE``); else None, the record's vibration channel (see
    :func:`openphm.acquire.channels.default_channel`).

    Parameters
    ----------
    recording : Recording
        The record.
    point : PointInfo
        The measurement point.

    Returns
    -------
    str or None
        The channel's name, or None for the default channel.
    """
    if point.channel:
        return point.channel
    return point.name if point.name in recording.channel_names else None


def context_for_point(
    point: PointInfo,
    machine: MachineInfo,
    components: Sequence[ComponentInfo],
    profile: MachineProfile | None,
    channel: str | None = None,
    speed_hz: float | None = None,
) -> ProcessingContext:
    """The processing context the fleet model gives a point's measurements.

    The first bearing the point hears is the one it is placed for; the others it hears are
    diagnosed beside it with their speed ratios (so that a fault pattern goes to the bearing
    that explains it). The machine's ISO group, or its profile's ISO 10816-1 class, sets the
    severity zone.

    Parameters
    ----------
    point : PointInfo
        The measurement point.
    machine : MachineInfo
        Its machine.
    components : sequence of ComponentInfo
        The components the point hears, in the point's order.
    profile : MachineProfile or None
        The machine's profile, when it can be loaded.
    channel : str or None
        The record's channel to analyse (see :func:`point_channel`).
    speed_hz : float or None
        Speed of the reference shaft stated with the measurement, Hz (None: from the record,
        else estimated from the signal).

    Returns
    -------
    ProcessingContext
        Indicators, severity, the bearing diagnosis when the point hears a bearing, and the
        gear diagnosis of the stages the profile says the point hears
        (:func:`openphm.pipeline.gear_stage.with_gears`).
    """
    context = _bearing_context(point, machine, components, profile, channel, speed_hz)
    if profile is not None and point.name in {p.name for p in profile.points}:
        context = with_gears(context, profile, point.name)
    return context


def _bearing_context(
    point: PointInfo,
    machine: MachineInfo,
    components: Sequence[ComponentInfo],
    profile: MachineProfile | None,
    channel: str | None,
    speed_hz: float | None,
) -> ProcessingContext:
    bearings = [c for c in components if c.kind == "bearing"]
    stages = ["indicators", "severity"]
    severity = SeveritySettings(
        group=machine.iso_group,
        foundation=machine.foundation or "rigid",
        machine_class=None
        if profile is None or profile.severity is None
        else profile.severity.machine_class,
        unit=point.unit or None,
    )
    if not bearings:
        return ProcessingContext(
            channel=channel, speed_hz=speed_hz, severity=severity, stages=tuple(stages)
        )
    main = _position(bearings[0])
    return ProcessingContext(
        bearing=main.bearing,
        rotating_ring=main.rotating_ring or "inner",
        bearing_ratio=main.speed_ratio,
        others={c.name: _position(c) for c in bearings[1:]},
        channel=channel,
        speed_hz=speed_hz,
        severity=severity,
        stages=(*stages, "diagnosis"),
    )


def machine_profile(store: Store, machine: MachineInfo) -> MachineProfile | None:
    """The machine's profile (the user's profile folder first), None when it cannot be loaded.

    Parameters
    ----------
    store : Store
        The store (its ``profiles`` folder holds the user's profiles).
    machine : MachineInfo
        The machine.

    Returns
    -------
    MachineProfile or None
        Read again when the folder changes.
    """
    folder = store.home / "profiles"
    try:
        changed = folder.stat().st_mtime_ns if folder.is_dir() else 0
    except OSError:
        changed = 0
    return _cached_profile(machine.profile, str(folder), changed)


@functools.lru_cache(maxsize=64)
def _cached_profile(name: str, folder: str, changed: int) -> MachineProfile | None:
    """A machine profile, read again when the user's profile folder changes (``changed``)."""
    try:
        return load_profile(name, extra_dirs=[folder])
    except OpenPHMError:
        return None


def result_rows(results: Results, components: Sequence[ComponentInfo]) -> list[ResultRow]:
    """One stored result per stage output (one per bearing for the diagnoses).

    Parameters
    ----------
    results : Results
        The chain's results for one measurement.
    components : sequence of ComponentInfo
        The components the point hears, in the point's order.

    Returns
    -------
    list of ResultRow
        Each with the results' provenance.
    """
    prov = results.provenance
    common: dict[str, Any] = {
        "openphm_version": prov.openphm_version,
        "settings": dict(prov.settings),
        "settings_hash": prov.settings_hash,
        "input": prov.input.to_dict(),
    }
    bearings = [c for c in components if c.kind == "bearing"]
    ids = {"": bearings[0].id} if bearings else {}
    ids.update({c.name: c.id for c in bearings[1:]})
    rows = []
    for name, output in results.outputs.items():
        if name == "diagnosis":
            for label, diag in output.by_label.items():
                rows.append(ResultRow("diagnosis", diag.to_dict(), ids.get(label), **common))
        else:
            payload = output.to_dict() if isinstance(output, Serializable) else dict(output)
            rows.append(ResultRow(name, payload, None, **common))
    if results.errors:
        rows.append(ResultRow("errors", dict(results.errors), None, **common))
    return rows


@dataclass(frozen=True)
class _Judged:
    states: dict[str, Mapping[str, Any]]
    assessments: dict[str, str]
    changes: list[AlarmChange]


def _transition_words(t: AlarmTransition) -> str:
    """What a transition means, in words, with the limit behind it."""
    if t.kind in ("raised", "escalated"):
        return f"at or beyond the {t.to_level} limit {t.limit:.4g}"
    came_back = f"back within the {t.from_level} limit ({t.limit:.4g} with hysteresis)"
    return came_back if t.kind == "cleared" else f"{came_back}; now {t.to_level}"


def _judge_indicator(
    store: Store,
    point: PointInfo,
    name: str,
    value: float,
    regime: str,
    states: Mapping[str, Mapping[str, Any]],
    baselines: Mapping[str, BaselineInfo],
    s: MonitorSettings,
    out: _Judged,
    direction: Direction = "upper",
) -> None:
    """Baseline (learned once enough values are in), alarm state machine and CUSUM of one
    indicator value (``direction``: the side that is worse; telemetry watches both)."""
    stored = baselines.get(name)
    baseline = None if stored is None else Baseline.from_dict(stored.payload)
    if baseline is None or not baseline.ready:
        history = [p.value for p in store.trend(point.id, name, regime=regime)]
        if len(history) + 1 < s.baseline_count:
            out.assessments[name] = "learning"
            return
        baseline = fit_baseline(
            [*history, value],
            alert_sigmas=s.alert_sigmas,
            danger_sigmas=s.danger_sigmas,
            min_count=s.baseline_count,
            direction=direction,
        )
        store.add_baseline(point.id, name, baseline.to_dict(), regime=regime)
    rule = AlarmRule.from_baseline(
        baseline,
        hysteresis_sigmas=s.hysteresis_sigmas,
        min_count=s.min_count,
        clear_count=s.clear_count,
    )
    key = f"alarm:{name}:{regime}"
    state = AlarmState.from_dict(states[key]) if key in states else AlarmState()
    state, transitions = step(rule, state, value)
    out.states[key] = state.to_dict()
    out.assessments[name] = baseline.limits.level_of(value)
    cusum_key = f"cusum:{name}:{regime}"
    cusum = (
        CusumState.from_dict(states[cusum_key])
        if cusum_key in states
        else CusumState.start(baseline, k=s.cusum_k, h=s.cusum_h)
    )
    cusum, onset = cusum.update(value)
    out.states[cusum_key] = cusum.to_dict()
    for t in transitions:
        out.changes.append(
            AlarmChange(
                key=name,
                source="indicator",
                transition=t,
                message=f"{name} {value:.4g}: {_transition_words(t)} "
                f"(baseline median {baseline.centre:.4g}, regime {regime})",
                details={
                    "indicator": name,
                    "value": value,
                    "limit": t.limit,
                    "regime": regime,
                    "baseline": baseline.to_dict(),
                    "cusum_onset": onset,
                },
            )
        )


def _judge_zone(
    results: Results,
    states: Mapping[str, Mapping[str, Any]],
    machine: MachineInfo,
    s: MonitorSettings,
    out: _Judged,
) -> None:
    """ISO 10816-3 / 20816-3 zone C raises an alert, zone D a danger alarm."""
    severity = results.severity
    if severity is None or machine.iso_group is None:
        return
    _, bc, cd = zone_boundaries(group=machine.iso_group, foundation=machine.foundation or "rigid")
    rule = AlarmRule(
        Limits("upper", alert_high=bc, danger_high=cd),
        hysteresis=0.05 * bc,
        min_count=s.min_count,
        clear_count=s.clear_count,
    )
    state = AlarmState.from_dict(states["alarm:zone"]) if "alarm:zone" in states else AlarmState()
    state, transitions = step(rule, state, severity.velocity_rms_mm_s)
    out.states["alarm:zone"] = state.to_dict()
    zone = severity.iso10816_3
    for t in transitions:
        out.changes.append(
            AlarmChange(
                key="zone",
                source="zone",
                transition=t,
                message=f"velocity {severity.velocity_rms_mm_s:.3g} mm/s r.m.s.: ISO 10816-3 "
                f"zone {zone.letter if zone else '?'} (group {machine.iso_group})",
                details=severity.to_dict(),
            )
        )


def _evidence_line(diag: Diagnosis) -> str:
    best = diag.best
    lines = ", ".join(
        f"{p.label} {p.freq_hz:.1f} Hz +{p.prominence_db:.0f} dB"
        for p in best.peaks
        if p.p_value < 0.01
    )
    return (
        f"{diag.verdict} fault (confidence {diag.confidence:.2f}, score {best.score:.1f}): {lines}"
    )


def _judged_verdicts(
    results: Results, components: Sequence[ComponentInfo]
) -> list[tuple[str, ComponentInfo | None, Diagnosis]]:
    """Each verdict of the measurement with its alarm key and component: bearings by label,
    gears by name (their component is their stage, ``"<stage> <gear>"``)."""
    found: list[tuple[str, ComponentInfo | None, Diagnosis]] = []
    diagnoses = results.diagnoses
    bearings = [c for c in components if c.kind == "bearing"]
    if diagnoses is not None and bearings:
        by_label = {"": bearings[0], **{c.name: c for c in bearings[1:]}}
        for label, diag in diagnoses.by_label.items():
            component = by_label.get(label)
            if component is not None:
                found.append((f"bearing:{component.name}", component, diag))
    gears = results.outputs.get("gears")
    if isinstance(gears, GearDiagnoses):
        stages = {c.name: c for c in components if c.kind == "gear"}
        for name, diag in gears.by_gear.items():
            found.append((f"gear:{name}", stages.get(name.split(" ")[0]), diag))
    return found


def _judge_diagnoses(
    results: Results,
    components: Sequence[ComponentInfo],
    states: Mapping[str, Mapping[str, Any]],
    s: MonitorSettings,
    out: _Judged,
) -> None:
    """A fault verdict confident enough raises an alert on its bearing or gear (with the same
    counts)."""
    rule = AlarmRule(
        Limits("upper", alert_high=0.5, danger_high=1.5),
        min_count=s.min_count,
        clear_count=s.clear_count,
    )
    for key, component, diag in _judged_verdicts(results, components):
        faulty = diag.verdict not in ("healthy", "undetermined")
        value = 1.0 if faulty and diag.confidence >= s.diagnosis_confidence else 0.0
        name = component.name if component is not None else key.split(":", 1)[1]
        state = AlarmState.from_dict(states[key]) if key in states else AlarmState()
        state, transitions = step(rule, state, value)
        out.states[key] = state.to_dict()
        for t in transitions:
            out.changes.append(
                AlarmChange(
                    key=key,
                    source="diagnosis",
                    transition=t,
                    message=f"{name}: "
                    + (_evidence_line(diag) if t.kind != "cleared" else f"now {diag.verdict}"),
                    details=diag.to_dict(),
                    component_id=None if component is None else component.id,
                )
            )


def _judge_rul(
    m: MeasurementInfo,
    values: Mapping[str, float],
    components: Sequence[ComponentInfo],
    states: Mapping[str, Mapping[str, Any]],
    s: MonitorSettings,
    out: _Judged,
) -> ResultRow | None:
    """The PA block: fold the RUL indicator into the point's trend and say its RUL."""
    value = values.get(s.rul_indicator)
    if not s.rul_indicator or value is None or not components:
        return None
    key = f"rul:{s.rul_indicator}"
    state = PointRulState.from_dict(states[key]) if key in states else None
    source = InputRef(measurement_id=m.id, channel=s.rul_indicator)
    stepped = step_point_rul(state, m.acquired_at.timestamp(), value, s.rul, source)
    if stepped is None:
        return None
    new, rul = stepped
    out.states[key] = new.to_dict()
    bearings = [c for c in components if c.kind == "bearing"]
    component = (bearings or list(components))[0]
    prov = rul.provenance
    return ResultRow(
        "rul",
        rul.to_dict(),
        component.id,
        openphm_version=prov.openphm_version,
        settings=dict(prov.settings),
        settings_hash=prov.settings_hash,
        input=prov.input.to_dict(),
    )


def _update(change: AlarmChange) -> AlarmUpdate:
    t = change.transition
    return AlarmUpdate(
        key=change.key,
        level=t.to_level,
        source=change.source,
        message=change.message,
        details=change.details,
        component_id=change.component_id,
    )


def _regime(m: MeasurementInfo, results: Results | None, profile: MachineProfile | None) -> str:
    if m.regime:
        return m.regime
    bins = (
        RegimeBins()
        if profile is None
        else RegimeBins(profile.regimes.speed_edges_hz, profile.regimes.load_edges)
    )
    speed = m.speed_hz if m.speed_hz is not None else (results.speed_hz if results else None)
    return bins.regime_of(speed, m.load)


def _judge_multivariate(
    store: Store,
    point: PointInfo,
    values: Mapping[str, float],
    regime: str,
    states: Mapping[str, Mapping[str, Any]],
    s: MonitorSettings,
    out: _Judged,
) -> None:
    """Several named values at once: a PCA model (T^2 and SPE) learned on the first
    ``baseline_count`` complete readings of the regime, and its alarm, which names the values
    behind it with their contributions (a broken correlation shows here before any single value
    leaves its own band)."""
    if len(values) < 2:
        return
    names = tuple(sorted(values))
    key = f"pca:{regime}"
    model = PcaDetector.from_dict(dict(states[key])) if key in states else None
    if model is None:
        trends = {
            n: {p.measurement_id: p.value for p in store.trend(point.id, n, regime=regime)}
            for n in names
        }
        common = sorted(set.intersection(*(set(t) for t in trends.values())))
        if len(common) + 1 < s.baseline_count:
            out.assessments["multivariate"] = "learning"
            return
        rows = [[trends[n][i] for n in names] for i in common] + [[values[n] for n in names]]
        try:
            model = fit_pca(np.array(rows), names)
        except OpenPHMError:
            out.assessments["multivariate"] = "learning"
            return
        out.states[key] = model.to_dict()
    if model.standardiser.names != names:
        out.assessments["multivariate"] = "incomplete"
        return
    det = model.detect(np.array([[values[n] for n in names]]))
    score = float(det.score[0])
    # T^2 and SPE are squared distances: a limit danger/alert times farther is that ratio squared.
    danger = (s.danger_sigmas / s.alert_sigmas) ** 2
    rule = AlarmRule(
        Limits("upper", alert_high=1.0, danger_high=danger),
        hysteresis=0.1,
        min_count=s.min_count,
        clear_count=s.clear_count,
    )
    alarm_key = f"alarm:multivariate:{regime}"
    state = AlarmState.from_dict(states[alarm_key]) if alarm_key in states else AlarmState()
    state, transitions = step(rule, state, score)
    out.states[alarm_key] = state.to_dict()
    out.assessments["multivariate"] = rule.limits.level_of(score)
    shares = det.explain(0, top=len(names))
    words = ", ".join(f"{c.sensor} {c.share:.0%}" for c in shares[:3])
    for t in transitions:
        out.changes.append(
            AlarmChange(
                key="multivariate",
                source="indicator",
                transition=t,
                message=f"values out of their healthy pattern (PCA score {score:.3g}, limit 1, "
                f"regime {regime}): {words}",
                details={
                    "score": score,
                    "limit": t.limit,
                    "regime": regime,
                    "statistic": det.statistic,
                    "contributions": [c.to_dict() for c in shares],
                },
            )
        )


def _process_scalars(
    store: Store, inputs: ProcessingInputs, regime: str, s: MonitorSettings
) -> MonitorOutcome:
    """Telemetry (named scalar values): each finite value is an indicator of its own name,
    judged against its baseline per regime with both sides watched (a pressure or a flow is
    bad too low as well as too high)."""
    m = inputs.measurement
    values = {
        str(k): float(v)
        for k, v in (m.scalars or {}).items()
        if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
    }
    baselines = {k: b for (r, k), b in inputs.baselines.items() if r == regime}
    judged = _Judged({}, {}, [])
    for name, value in values.items():
        _judge_indicator(
            store, inputs.point, name, value, regime, inputs.states, baselines, s, judged, "both"
        )
    _judge_multivariate(store, inputs.point, values, regime, inputs.states, s, judged)
    store.add_results(
        m.id,
        [],
        indicators=values,
        states=judged.states,
        status="processed",
        regime=regime,
        alarms=[_update(c) for c in judged.changes],
    )
    return MonitorOutcome(m.id, None, regime, judged.assessments, tuple(judged.changes))


def process_measurement(
    store: Store,
    measurement_id: int,
    settings: MonitorSettings | None = None,
    *,
    recording: Recording | None = None,
) -> MonitorOutcome:
    """Run a stored measurement through the chain, judge it, store it all and update the alarms.

    Parameters
    ----------
    store : Store
        The store holding the measurement.
    measurement_id : int
        The measurement (status ``stored``; processing it again stores a second set of results).
    settings : MonitorSettings, optional
        Baselines, limits and alarm counts.
    recording : Recording, optional
        The measurement as ingestion read it (the stored file is not read again); default: read
        from the store.

    Returns
    -------
    MonitorOutcome
        Results, regime, the indicators' status and the alarm transitions.
    """
    s = settings or MonitorSettings()
    inputs = store.processing_inputs(measurement_id)
    m, point, machine = inputs.measurement, inputs.point, inputs.machine
    components = inputs.components
    profile = machine_profile(store, machine)
    if m.kind == "scalars":
        return _process_scalars(store, inputs, _regime(m, None, profile), s)
    try:
        if inputs.blob is None:
            raise ConfigError(f"measurement {measurement_id} holds no waveform to process")
        if recording is None:
            recording = load_record(inputs.blob, m.fs_hz)
        channel = point_channel(recording, point)
        context = context_for_point(point, machine, components, profile, channel, m.speed_hz)
        results = process(recording, context, measurement_id=measurement_id, strict=False)
    except OpenPHMError as exc:
        store.add_results(measurement_id, [], status="failed", error=str(exc))
        return MonitorOutcome(measurement_id, None, _regime(m, None, profile), {}, (), str(exc))
    regime = _regime(m, results, profile)
    values = dict(results.indicators.values) if results.indicators is not None else {}
    if results.severity is not None:
        values["velocity_rms_mm_s"] = results.severity.velocity_rms_mm_s
    tracked = {k: float(v) for k, v in values.items() if k in s.indicators and math.isfinite(v)}
    states = inputs.states
    baselines = {k: b for (r, k), b in inputs.baselines.items() if r == regime}
    judged = _Judged({}, {}, [])
    for name, value in tracked.items():
        _judge_indicator(store, point, name, value, regime, states, baselines, s, judged)
    _judge_zone(results, states, machine, s, judged)
    _judge_diagnoses(results, components, states, s, judged)
    rows = result_rows(results, components)
    rul_row = _judge_rul(m, values, components, states, s, judged)
    if rul_row is not None:
        rows.append(rul_row)
    store.add_results(
        measurement_id,
        rows,
        indicators=tracked,
        states=judged.states,
        status="processed",
        regime=regime,
        alarms=[_update(c) for c in judged.changes],
    )
    return MonitorOutcome(
        measurement_id, results, regime, judged.assessments, tuple(judged.changes)
    )
