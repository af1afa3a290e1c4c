"""What each dashboard page shows, gathered from the store as frozen dataclasses.

The routes of :mod:`openphm.service.web.pages` call one function here per page and hand its
answer to a template; the numbers of the charts come from :mod:`openphm.service.web.plots` and
their look from :mod:`openphm.service.web.figures`. Nothing here is science: it reads the
store, the pipeline's fleet status and trends, and the stored results.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from openphm.acquire.channels import load_record, pick_channel
from openphm.core.diagnosis import Diagnosis
from openphm.core.waveform import Waveform
from openphm.diagnose.report import render_report
from openphm.diagnose.settings import DiagnosisSettings
from openphm.knowledge.iso20816 import zone_boundaries
from openphm.pipeline.monitor import MonitorSettings, point_channel
from openphm.pipeline.status import MachineStatus, machine_status
from openphm.pipeline.trends import indicator_trend
from openphm.service.web import charts, figures, plots
from openphm.store import (
    AlarmInfo,
    ComponentInfo,
    MachineInfo,
    MeasurementInfo,
    PointInfo,
    ResultInfo,
    Store,
)

__all__ = [
    "AlarmRow",
    "DiagnosisView",
    "EvidenceLine",
    "FleetRow",
    "MachinePage",
    "MachineReport",
    "MeasurementPage",
    "PointReport",
    "PointTrends",
    "TrendChart",
    "alarm_row",
    "alarm_rows",
    "fleet_rows",
    "indicator_unit",
    "machine_page",
    "machine_report",
    "measurement_page",
    "measurement_report",
    "measurement_waveform",
]

#: Indicators that are ratios of a signal to itself, without unit.
RATIOS = frozenset(
    {"crest_factor", "kurtosis", "skewness", "shape_factor", "impulse_factor", "clearance_factor"}
)
#: Names of the trended indicators for people.
LABELS = {
    "rms": "r.m.s.",
    "peak": "peak",
    "crest_factor": "crest factor",
    "kurtosis": "kurtosis",
    "velocity_rms_mm_s": "velocity r.m.s. (ISO band)",
}
#: The indicator compared with the ISO 10816 / 20816 velocity zones.
VELOCITY = "velocity_rms_mm_s"
#: Recent measurements of a point drawn in a measurement's waterfall.
WATERFALL_COUNT = 8
#: Latest measurements of a point listed on its machine's page.
RECENT_COUNT = 6
#: Envelope spectra are shown up to this factor above the highest fault harmonic drawn.
ENVELOPE_MARGIN = 1.15


@dataclass(frozen=True)
class FleetRow:
    """One machine of the fleet overview.

    Parameters
    ----------
    machine_id : int
        The machine's id (for its link).
    status : MachineStatus
        Its worst state, open alarms and last diagnoses.
    """

    machine_id: int
    status: MachineStatus

    @property
    def rul(self) -> str:
        """Its shortest remaining useful life in words, ``"-"`` while no prognosis exists."""
        shortest = self.status.shortest_rul
        if shortest is not None:
            return f"{shortest.component}: {shortest.words()}"
        return "no degradation" if self.status.ruls else "-"


@dataclass(frozen=True)
class AlarmRow:
    """An alarm with the names of what it is about.

    Parameters
    ----------
    alarm : AlarmInfo
        The alarm.
    machine : str
        ``site/machine``.
    machine_id : int
        The machine's id.
    point : str
        The point's name, or ``""``.
    component : str
        The component's name, or ``""``.
    """

    alarm: AlarmInfo
    machine: str
    machine_id: int
    point: str
    component: str


@dataclass(frozen=True)
class EvidenceLine:
    """One matched spectral line of a diagnosis.

    Parameters
    ----------
    fault : str
        The fault pattern it belongs to.
    label : str
        ``"1xBPFO"``, ``"BPFI-1xshaft"``...
    expected_hz, found_hz : float
        Predicted and found frequency, Hz.
    prominence_db : float
        Height above the local floor, dB.
    p_value : float
        Probability of so prominent a line in noise alone.
    """

    fault: str
    label: str
    expected_hz: float
    found_hz: float
    prominence_db: float
    p_value: float


@dataclass(frozen=True)
class DiagnosisView:
    """A component's diagnosis as the pages show it.

    Parameters
    ----------
    component : str
        The bearing's name.
    designation : str
        Its catalogue designation.
    measurement_id : int
        The measurement it was made from.
    verdict : str
        The verdict.
    confidence : float
        Its confidence, 0 to 1.
    speed_hz : float
        Shaft speed used, Hz.
    reasons : tuple of str
        The diagnosis's reasoning.
    evidence : tuple of EvidenceLine
        The lines of the verdict's pattern (of the best candidate when healthy or undetermined).
    """

    component: str
    designation: str
    measurement_id: int
    verdict: str
    confidence: float
    speed_hz: float
    reasons: tuple[str, ...]
    evidence: tuple[EvidenceLine, ...]


@dataclass(frozen=True)
class TrendChart:
    """An indicator's trend at a point, with the names a chart of it needs.

    Parameters
    ----------
    indicator : str
        The indicator (``"velocity_rms_mm_s"``).
    title : str
        ``"<point>: <indicator for people>"``.
    label : str
        The indicator's name for people.
    unit : str
        Its unit (:func:`indicator_unit`).
    data : TrendData
        Values, baseline limits and, for velocity, the ISO zone boundaries.
    """

    indicator: str
    title: str
    label: str
    unit: str
    data: plots.TrendData


@dataclass(frozen=True)
class PointTrends:
    """A point of a machine page with the figures of its indicator trends.

    Parameters
    ----------
    point : PointInfo
        The point.
    hears : tuple of str
        Names of the components it hears, the one it is placed for first.
    measurements : int
        Measurements stored at it.
    recent : tuple of MeasurementInfo
        Its latest measurements, newest first.
    figures : tuple of (str, dict)
        ``(indicator, Plotly figure)`` of each trended indicator; empty without measurements.
    """

    point: PointInfo
    hears: tuple[str, ...]
    measurements: int
    recent: tuple[MeasurementInfo, ...]
    figures: tuple[tuple[str, dict[str, Any]], ...]


@dataclass(frozen=True)
class MachinePage:
    """What a machine's page shows.

    Parameters
    ----------
    machine : MachineInfo
        The machine.
    status : MachineStatus
        Its state.
    components : tuple of ComponentInfo
        Its components.
    points : tuple of PointTrends
        Its points and their trends.
    diagnoses : tuple of DiagnosisView
        The latest diagnosis of each bearing.
    alarms : tuple of AlarmRow
        Its alarms, newest first.
    zones_note : str
        Where the velocity zone bands come from.
    """

    machine: MachineInfo
    status: MachineStatus
    components: tuple[ComponentInfo, ...]
    points: tuple[PointTrends, ...]
    diagnoses: tuple[DiagnosisView, ...]
    alarms: tuple[AlarmRow, ...]
    zones_note: str


@dataclass(frozen=True)
class PointReport:
    """A point of the machine report: its trends drawn as static SVG and its last ISO zone.

    Parameters
    ----------
    point : PointInfo
        The point.
    hears : tuple of str
        Names of the components it hears.
    measurements : int
        Measurements stored at it.
    last_at : datetime or None
        Acquisition time of its newest measurement.
    zone : str
        The ISO velocity zone of its newest processed measurement with one (letter, velocity
        in mm/s and standard), or ``""``.
    charts : tuple of (TrendChart, str)
        Each trended indicator with its chart (:func:`openphm.service.web.charts.trend_svg`).
    """

    point: PointInfo
    hears: tuple[str, ...]
    measurements: int
    last_at: datetime | None
    zone: str
    charts: tuple[tuple[TrendChart, str], ...]


@dataclass(frozen=True)
class MachineReport:
    """What a machine's printable report shows.

    Parameters
    ----------
    machine : MachineInfo
        The machine (its profile, ISO group and support).
    generated_at : datetime
        When the report was made.
    status : MachineStatus
        Its state.
    components : tuple of ComponentInfo
        Its components.
    alarms : tuple of AlarmRow
        Its open alarms, newest first.
    diagnoses : tuple of DiagnosisView
        The latest diagnosis of each bearing with its evidence lines.
    points : tuple of PointReport
        Its points with their trends and last ISO zone.
    zones_note : str
        Where the velocity zone bands come from.
    """

    machine: MachineInfo
    generated_at: datetime
    status: MachineStatus
    components: tuple[ComponentInfo, ...]
    alarms: tuple[AlarmRow, ...]
    diagnoses: tuple[DiagnosisView, ...]
    points: tuple[PointReport, ...]
    zones_note: str


@dataclass(frozen=True)
class MeasurementPage:
    """What a measurement's page shows.

    Parameters
    ----------
    measurement : MeasurementInfo
        The measurement.
    point : PointInfo
        Its point.
    machine : MachineInfo
        Its machine.
    channel : str
        The channel analysed.
    indicators : Mapping of str to float
        Its indicators.
    zone : str
        Its ISO velocity zone (letter and standard), or ``""``.
    diagnoses : tuple of DiagnosisView
        The diagnosis of each bearing the point hears.
    figures : tuple of (str, dict)
        ``(id, Plotly figure)``: waveform, spectrum, envelope spectrum, waterfall.
    """

    measurement: MeasurementInfo
    point: PointInfo
    machine: MachineInfo
    channel: str
    indicators: Mapping[str, float]
    zone: str
    diagnoses: tuple[DiagnosisView, ...]
    figures: tuple[tuple[str, dict[str, Any]], ...]


def indicator_unit(indicator: str, point_unit: str) -> str:
    """The unit of an indicator at a point.

    Parameters
    ----------
    indicator : str
        The indicator's name.
    point_unit : str
        The point's unit (``"g"``).

    Returns
    -------
    str
        ``"mm/s"`` for the ISO velocity, ``""`` for a ratio, else the point's unit.

    Examples
    --------
    >>> indicator_unit("velocity_rms_mm_s", "g"), indicator_unit("kurtosis", "g")
    ('mm/s', '')
    """
    if indicator == VELOCITY:
        return "mm/s"
    return "" if indicator in RATIOS else point_unit


def fleet_rows(store: Store, found: Sequence[MachineStatus]) -> list[FleetRow]:
    """Every machine's line of the fleet overview, the worst first.

    Parameters
    ----------
    store : Store
        The fleet's store.
    found : sequence of MachineStatus
        The fleet status (:func:`openphm.pipeline.status.fleet_status`, or its cache).

    Returns
    -------
    list of FleetRow
        In the order of ``found``.
    """
    ids = {m.path: m.id for m in store.machines()}
    return [FleetRow(ids[s.machine], s) for s in found if s.machine in ids]


def alarm_rows(
    store: Store, *, open_only: bool = True, machine: int | None = None
) -> list[AlarmRow]:
    """Alarms, newest first, with the names of their machine, point and component.

    Parameters
    ----------
    store : Store
        The fleet's store.
    open_only : bool
        Only raised or acknowledged ones.
    machine : int, optional
        Only this machine's.

    Returns
    -------
    list of AlarmRow
        The alarms.
    """
    machines = {m.id: m for m in store.machines()}
    points = {p.id: p for p in store.points()}
    rows = []
    for a in store.alarms(open_only=open_only, machine=machine):
        m = machines[a.machine_id]
        names = {c.id: c.name for c in store.components(m.id)} if a.component_id else {}
        rows.append(
            AlarmRow(
                alarm=a,
                machine=m.path,
                machine_id=m.id,
                point=points[a.point_id].name if a.point_id in points else "",
                component=names.get(a.component_id or -1, ""),
            )
        )
    return rows


def alarm_row(store: Store, alarm_id: int) -> AlarmRow | None:
    """One alarm's row (after it changed), or None if there is no such alarm.

    Parameters
    ----------
    store : Store
        The fleet's store.
    alarm_id : int
        The alarm.

    Returns
    -------
    AlarmRow or None
        The row.
    """
    return next((r for r in alarm_rows(store, open_only=False) if r.alarm.id == alarm_id), None)


def _diagnosis_view(result: ResultInfo, component: ComponentInfo) -> DiagnosisView:
    diag = Diagnosis.from_dict(result.payload)
    ev = next((e for e in diag.evidence if e.fault == diag.verdict), diag.best)
    lines = tuple(
        EvidenceLine(ev.fault, p.label, p.expected_hz, p.freq_hz, p.prominence_db, p.p_value)
        for p in ev.peaks
    )
    return DiagnosisView(
        component=component.name,
        designation=component.designation or "custom geometry",
        measurement_id=result.measurement_id,
        verdict=diag.verdict,
        confidence=diag.confidence,
        speed_hz=diag.speed_hz,
        reasons=tuple(diag.reasons),
        evidence=lines,
    )


def _zones(
    store: Store, machine: MachineInfo, point: PointInfo
) -> tuple[tuple[float, float, float] | None, str]:
    """Velocity zone boundaries: the machine's ISO 20816 group, else the stored severity's."""
    if machine.iso_group is not None:
        foundation = machine.foundation or "rigid"
        bounds = zone_boundaries(group=machine.iso_group, foundation=foundation)
        return bounds, f"ISO 10816-3 / 20816-3, group {machine.iso_group}, {foundation} support"
    latest = store.measurements(point=point.id, status="processed")
    for m in reversed(latest[-1:]):
        for r in store.results(m.id, kind="severity"):
            zone = r.payload.get("iso10816_1")
            if zone:
                low, mid, high = (float(b) for b in zone["boundaries_mm_s"])
                return (low, mid, high), str(zone["standard"])
    return None, "no ISO group or class is set for this machine"


def _trend_charts(
    store: Store, machine: MachineInfo, point: PointInfo
) -> tuple[list[TrendChart], str]:
    """The trended indicators of a measured point, and where its velocity zones come from."""
    zones, note = _zones(store, machine, point)
    found = []
    usual = MonitorSettings().indicators
    trended = store.indicator_names(point.id)
    # The vibration indicators in their usual order, then any other value (telemetry).
    for name in [*(n for n in usual if n in trended), *(n for n in trended if n not in usual)]:
        trend = indicator_trend(store, point.id, name)
        if not trend.values:
            continue
        data = plots.trend_data(trend, zones if name == VELOCITY else None)
        label = LABELS.get(name, name.replace("_", " "))
        unit = indicator_unit(name, point.unit)
        found.append(TrendChart(name, f"{point.name}: {label}", label, unit, data))
    return found, note


def _latest_diagnoses(store: Store, components: Sequence[ComponentInfo]) -> list[DiagnosisView]:
    """The newest diagnosis of each bearing that has one."""
    views = []
    for c in components:
        if c.kind != "bearing":
            continue
        found = store.latest_result("diagnosis", c.id)
        if found is not None:
            views.append(_diagnosis_view(found, c))
    return views


def _zone_text(results: Sequence[ResultInfo]) -> str:
    """The ISO velocity zone of a measurement's severity result, for people, or ``""``."""
    for r in results:
        if r.kind == "severity":
            found = r.payload.get("iso10816_3") or r.payload.get("iso10816_1")
            if found:
                velocity = float(found["velocity_mm_s"])
                return f"zone {found['letter']} at {velocity:.2f} mm/s ({found['standard']})"
    return ""


@dataclass(frozen=True)
class _MeasuredPoint:
    """A point of a machine, what it hears, how many measurements it holds and its trends."""

    point: PointInfo
    hears: tuple[str, ...]
    count: int
    trends: tuple[TrendChart, ...]


def _measured_points(
    store: Store, machine: MachineInfo, components: Sequence[ComponentInfo]
) -> tuple[list[_MeasuredPoint], str]:
    """Every point of a machine with its trends (when measured), and where its zones come from
    (the machine page and its report draw them each their own way)."""
    names = {c.id: c.name for c in components}
    found, note = [], ""
    for p in store.points(machine.id):
        count = store.measurement_count(p.id)
        trends: list[TrendChart] = []
        if count:
            trends, note = _trend_charts(store, machine, p)
        hears = tuple(names[i] for i in p.component_ids if i in names)
        found.append(_MeasuredPoint(p, hears, count, tuple(trends)))
    return found, note


def machine_page(store: Store, machine_id: int) -> MachinePage:
    """A machine's page: components, points with their trends, latest diagnoses, alarms.

    Parameters
    ----------
    store : Store
        The fleet's store.
    machine_id : int
        The machine.

    Returns
    -------
    MachinePage
        What the page shows.
    """
    machine = store.machine(machine_id)
    components = store.components(machine_id)
    measured, note = _measured_points(store, machine, components)
    points = []
    for mp in measured:
        figs = tuple(
            (t.indicator, figures.trend_figure(t.data, t.title, t.label, t.unit)) for t in mp.trends
        )
        recent = tuple(store.measurements(mp.point.id, limit=RECENT_COUNT, newest_first=True))
        points.append(PointTrends(mp.point, mp.hears, mp.count, recent, figs))
    return MachinePage(
        machine=machine,
        status=machine_status(store, machine),
        components=tuple(components),
        points=tuple(points),
        diagnoses=tuple(_latest_diagnoses(store, components)),
        alarms=tuple(alarm_rows(store, open_only=False, machine=machine_id)),
        zones_note=note,
    )


def machine_report(store: Store, machine_id: int, now: datetime) -> MachineReport:
    """A machine's printable report: state, open alarms, diagnoses, trends and ISO zones.

    The same facts as its dashboard page (:func:`machine_page`), frozen at ``now`` for paper:
    open alarms only, and each trend drawn as a static SVG by matplotlib
    (:func:`openphm.service.web.charts.trend_svg`) with the limits of the baselines learned
    at the point (:func:`openphm.pipeline.trends.indicator_trend`).

    Parameters
    ----------
    store : Store
        The fleet's store.
    machine_id : int
        The machine.
    now : datetime
        When the report is made (printed on it).

    Returns
    -------
    MachineReport
        What the report shows.
    """
    machine = store.machine(machine_id)
    status = machine_status(store, machine)
    components = store.components(machine_id)
    measured, note = _measured_points(store, machine, components)
    points = []
    for mp in measured:
        drawn = tuple((t, charts.trend_svg(t.data, t.title, t.unit)) for t in mp.trends)
        zone = ""
        last_at = None
        if mp.count:
            p = mp.point
            last_at = store.measurements(p.id, limit=1, newest_first=True)[0].acquired_at
            processed = store.measurements(
                p.id, status="processed", limit=RECENT_COUNT, newest_first=True
            )
            for m in processed:
                zone = _zone_text(store.results(m.id, kind="severity"))
                if zone:
                    break
        points.append(PointReport(mp.point, mp.hears, mp.count, last_at, zone, drawn))
    return MachineReport(
        machine=machine,
        generated_at=now,
        status=status,
        components=tuple(components),
        alarms=tuple(alarm_rows(store, open_only=True, machine=machine_id)),
        diagnoses=tuple(_latest_diagnoses(store, components)),
        points=tuple(points),
        zones_note=note,
    )


def measurement_waveform(store: Store, m: MeasurementInfo, point: PointInfo) -> Waveform | None:
    """The point's channel of a stored measurement, as processing read it.

    Parameters
    ----------
    store : Store
        The fleet's store.
    m : MeasurementInfo
        The measurement.
    point : PointInfo
        Its point.

    Returns
    -------
    Waveform or None
        The channel (:func:`openphm.pipeline.monitor.point_channel`); None for scalars.
    """
    blob = store.blob_path(m.id)
    if blob is None:
        return None
    recording = load_record(blob, m.fs_hz)
    wave = pick_channel(recording, point_channel(recording, point))
    # A file may not say its unit (a CWRU record); the point's, checked at ingestion, holds.
    return wave if wave.unit else wave.with_samples(wave.samples, unit=m.unit)


def measurement_page(store: Store, measurement_id: int) -> MeasurementPage:
    """A measurement's page: waveform, spectrum, envelope spectrum with cursors, waterfall.

    Parameters
    ----------
    store : Store
        The fleet's store.
    measurement_id : int
        The measurement.

    Returns
    -------
    MeasurementPage
        What the page shows.
    """
    m = store.measurement(measurement_id)
    point = store.point(m.point_id)
    machine = store.machine(point.machine_id)
    components = {c.id: c for c in store.components(machine.id)}
    results = store.results(measurement_id)
    diagnoses: dict[str, Diagnosis] = {}
    views = []
    for r in results:
        if r.kind == "diagnosis" and r.component_id in components:
            c = components[r.component_id]
            diagnoses[c.name] = Diagnosis.from_dict(r.payload)
            views.append(_diagnosis_view(r, c))
    indicators: Mapping[str, float] = next(
        (r.payload["values"] for r in results if r.kind == "indicators"), {}
    )
    zone = _zone_text(results)
    wave = measurement_waveform(store, m, point)
    figs: list[tuple[str, dict[str, Any]]] = []
    channel = ""
    if wave is not None:
        channel = wave.channel
        primary = next(
            (components[i].name for i in point.component_ids if components[i].name in diagnoses),
            None,
        )
        cursors = plots.fault_cursors(diagnoses, primary)
        shown = [f for c in cursors if c.primary for f in c.freqs_hz]
        top = ENVELOPE_MARGIN * max(shown or [f for c in cursors for f in c.freqs_hz] or [500.0])
        ses = plots.envelope_data(wave, plots.envelope_band(diagnoses, primary), top)
        recent = store.measurements(point=point.id, until=m.acquired_at)[-(WATERFALL_COUNT - 1) :]
        waves = [(r.id, r.acquired_at, measurement_waveform(store, r, point)) for r in recent]
        stack = [(i, at, w) for i, at, w in [*waves, (m.id, m.acquired_at, wave)] if w is not None]
        figs = [
            (
                "waveform",
                figures.line_figure(
                    plots.waveform_data(wave), f"Waveform, channel {wave.channel}", "time [s]"
                ),
            ),
            (
                "spectrum",
                figures.line_figure(
                    plots.spectrum_data(wave), "Spectrum (Hann window)", "frequency [Hz]"
                ),
            ),
            (
                "envelope",
                figures.envelope_figure(
                    ses, cursors, f"Envelope spectrum, {ses.note}, and fault harmonics"
                ),
            ),
            (
                "waterfall",
                figures.waterfall_figure(
                    plots.waterfall_data(stack),
                    f"Waterfall: the last {len(stack)} measurements at {point.name}",
                ),
            ),
        ]
    return MeasurementPage(
        measurement=m,
        point=point,
        machine=machine,
        channel=channel,
        indicators=dict(indicators),
        zone=zone,
        diagnoses=tuple(views),
        figures=tuple(figs),
    )


def measurement_report(store: Store, measurement_id: int) -> str | None:
    """The per-record diagnosis report of a measurement, as ``openphm diagnose --report`` writes it.

    The report is of the bearing the point is placed for (the first it hears that was
    diagnosed); the other bearings it hears appear in it as neighbours.

    Parameters
    ----------
    store : Store
        The fleet's store.
    measurement_id : int
        The measurement.

    Returns
    -------
    str or None
        The HTML page (:func:`openphm.diagnose.report.render_report`), or None when the
        measurement has no diagnosis (or was order-tracked, whose speed track is not stored).
    """
    m = store.measurement(measurement_id)
    point = store.point(m.point_id)
    components = {c.id: c for c in store.components(point.machine_id)}
    diagnoses = {
        components[r.component_id].name: Diagnosis.from_dict(r.payload)
        for r in store.results(measurement_id, kind="diagnosis")
        if r.component_id in components
    }
    order = [components[i].name for i in point.component_ids if i in components]
    primary = next((name for name in order if name in diagnoses), None)
    wave = measurement_waveform(store, m, point)
    if primary is None or wave is None or diagnoses[primary].speed_range_hz is not None:
        return None
    diag = diagnoses[primary]
    others = {name: d for name, d in diagnoses.items() if name != primary}
    settings = DiagnosisSettings.from_dict(dict(diag.settings))
    return render_report(wave, diag, settings, others=others)
