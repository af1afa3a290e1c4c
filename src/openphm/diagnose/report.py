"""A self-contained HTML report of a bearing diagnosis: plots embedded as PNG, no external files."""

from __future__ import annotations

import base64
import functools
import html
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import cast

import numpy as np

from openphm.core.diagnosis import BearingFault, Diagnosis, MatchedPeak
from openphm.core.errors import ConfigError
from openphm.core.waveform import Waveform
from openphm.diagnose.settings import DiagnosisSettings
from openphm.diagnose.speed import SpeedTrack
from openphm.diagnose.views import EnvelopeView, envelope_views, snapshots_of
from openphm.knowledge.gear_train import GearTrain

__all__ = ["render_gear_section", "render_report", "write_report"]

_COLOURS = {"outer": "tab:red", "inner": "tab:blue", "ball": "tab:green", "cage": "tab:purple"}


@functools.cache
def _use_agg() -> None:
    """Select matplotlib's off-screen Agg backend, once, before pyplot is first imported.

    matplotlib is imported when the first report is drawn, not with :mod:`openphm.diagnose`:
    importing a science package must stay fast and free of plotting libraries.
    """
    import matplotlib

    matplotlib.use("Agg")


def _png(fig: object) -> str:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")  # type: ignore[attr-defined]
    plt.close(fig)  # type: ignore[arg-type]
    return base64.b64encode(buf.getvalue()).decode("ascii")


#: Harmonics of the verdict's fault shown close up.
ZOOM_HARMONICS = 3


def _zoom_figure(
    views: list[EnvelopeView], diagnosis: Diagnosis, axis: str, whose: str = ""
) -> tuple[str, str] | None:
    """Close-ups of the verdict's first harmonics with their sidebands, as an analyst checks them.

    The best candidate stands in for an "undetermined" verdict; a healthy one has no close-up.
    Each panel spans the harmonic's sidebands (or one and a half shaft orders either side when
    the pattern has none) and marks every line of the pattern found there with its ``p``.
    ``whose`` names another bearing the sensor hears (its harmonics beyond the views are left
    out).
    """
    if diagnosis.verdict == "healthy":
        return None
    ev = (
        diagnosis.evidence_for(cast(BearingFault, diagnosis.verdict))
        if diagnosis.verdict in _COLOURS
        else diagnosis.best
    )
    view = next((v for v in views if v.band_hz == ev.band_hz), None)
    if view is None:
        return None
    import matplotlib.pyplot as plt

    f, v = view.spectrum.freqs_hz, view.spectrum.values
    harmonics = [p for p in ev.peaks if p.kind == "harmonic" and p.expected_hz < f[-1]]
    harmonics = harmonics[:ZOOM_HARMONICS]
    if not harmonics:
        return None
    fig, axes = plt.subplots(1, len(harmonics), figsize=(10, 3.0), squeeze=False)
    for ax, h in zip(axes[0], harmonics, strict=True):
        lines = [p for p in ev.peaks if p.order == h.order and p.kind != "modulation"]
        reach = max((abs(p.expected_hz - h.expected_hz) for p in lines), default=0.0)
        half = 1.6 * reach if reach > 0 else 1.5 * diagnosis.speed_hz
        keep = (f >= h.expected_hz - half) & (f <= h.expected_hz + half)
        ax.plot(f[keep], v[keep], lw=0.8, color="0.2")
        for p in lines:
            style = "--" if p.kind == "harmonic" else ":"
            ax.axvline(p.expected_hz, color=_COLOURS[ev.fault], ls=style, lw=0.9)
            ax.annotate(
                f"p={p.p_value:.0e}",
                (p.freq_hz, p.amplitude),
                textcoords="offset points",
                xytext=(0, 3),
                ha="center",
                fontsize=7,
            )
        if keep.any():  # room above the tallest line for its label
            ax.set_ylim(0.0, 1.25 * float(v[keep].max()))
        ax.set_title(f"{h.label} {h.expected_hz:.1f} Hz", fontsize=9)
        ax.set_xlabel(axis, fontsize=8)
        ax.tick_params(labelsize=7)
    axes[0][0].set_ylabel("squared envelope", fontsize=8)
    fig.suptitle(
        f"{whose}{ev.fault}: harmonics (dashed) and sidebands (dotted), {ev.band_source} "
        f"{ev.band_hz[0]:.0f}-{ev.band_hz[1]:.0f} Hz",
        fontsize=9,
    )
    fig.tight_layout()
    return (f"Close-up of the {whose}{ev.fault} lines", _png(fig))


def _figures(
    snaps: tuple[Waveform, ...],
    diagnosis: Diagnosis,
    settings: DiagnosisSettings,
    track: SpeedTrack | None,
    others: Mapping[str, Diagnosis],
) -> list[tuple[str, str]]:
    _use_agg()
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    views, kg = envelope_views(snaps, diagnosis, settings, track=track)
    waveform = snaps[0]
    axis = (
        "frequency [Hz]"
        if diagnosis.speed_range_hz is None
        else f"order x mean speed {diagnosis.speed_hz:.3f} Hz [Hz]"
    )
    unit = waveform.unit or "unit"
    # Pre-whitening flattens the spectrum to unit magnitude, so the physical unit is lost.
    ses_label = (
        "squared envelope [arbitrary, pre-whitened]"
        if diagnosis.prewhitened
        else f"squared envelope [{unit}^2]"
    )
    figs = []
    for view in views:
        fig, ax = plt.subplots(figsize=(10, 3.6))
        shown = view.spectrum.freqs_hz <= view.top_hz
        f, v = view.spectrum.freqs_hz[shown], view.spectrum.values[shown]
        ax.plot(f, v, lw=0.7, color="0.2")
        top = float(v.max()) if v.size else 1.0
        for ev in diagnosis.evidence:
            # Each candidate where its best evidence was found; the verdict's in every view, so
            # that its lines can be checked wherever the analyst looks.
            if ev.band_hz != view.band_hz and ev.fault != diagnosis.verdict:
                continue
            for p in ev.peaks:
                if p.kind == "harmonic":
                    ax.axvline(p.expected_hz, color=_COLOURS[ev.fault], ls="--", lw=0.8, alpha=0.7)
            where = "" if ev.band_hz == view.band_hz else f" (scored in the {ev.band_source})"
            ax.plot(
                [],
                [],
                color=_COLOURS[ev.fault],
                ls="--",
                label=f"{ev.fault}, score {ev.score:.1f}{where}",
            )
        for label, other in others.items():
            # Another bearing's fault verdict: its lines in every view, dash-dotted.
            if other.verdict not in _COLOURS:
                continue
            ev = other.evidence_for(cast(BearingFault, other.verdict))
            for p in ev.peaks:
                if p.kind == "harmonic":
                    ax.axvline(p.expected_hz, color=_COLOURS[ev.fault], ls="-.", lw=0.8)
            ax.plot(
                [],
                [],
                color=_COLOURS[ev.fault],
                ls="-.",
                label=f"{label} ({other.bearing or 'custom'}): {ev.fault}, score {ev.score:.1f}",
            )
        series = diagnosis.unexplained
        if series is not None and series.band_hz == view.band_hz:
            for p in series.harmonics:
                ax.axvline(p.expected_hz, color="tab:orange", ls=":", lw=1.0)
            ax.plot(
                [], [], color="tab:orange", ls=":", label=f"unexplained, score {series.score:.1f}"
            )
        ax.set_xlim(0, f[-1])
        ax.set_ylim(0, top * 1.05)
        ax.set_xlabel(axis)
        ax.set_ylabel(ses_label)
        lo, hi = view.band_hz
        ax.set_title(f"Squared-envelope spectrum, {view.source} {lo:.0f}-{hi:.0f} Hz")
        # A band in which no fault was scored has no cursors: an empty legend would only warn.
        if ax.get_legend_handles_labels()[0]:
            ax.legend(
                loc="upper right", fontsize=8, title="cursors: fault harmonics", title_fontsize=8
            )
        figs.append((f"Envelope spectrum ({view.source})", _png(fig)))
    zooms = [_zoom_figure(views, diagnosis, axis)]
    zooms += [
        _zoom_figure(views, d, axis, f"{label} ({d.bearing or 'custom'}) ")
        for label, d in others.items()
        if d.verdict in _COLOURS
    ]
    figs += [z for z in zooms if z is not None]
    if kg is not None:
        fig, ax = plt.subplots(figsize=(10, 3.6))
        im = ax.imshow(
            kg.kurtosis,
            aspect="auto",
            origin="upper",
            extent=(0.0, kg.fs / 2.0, len(kg.levels) - 0.5, -0.5),
            cmap="viridis",
            # Negative spectral kurtosis (bands smoother than noise) is no more interesting
            # than zero; clipping there keeps the colour range for the impulsive bands.
            vmin=0.0,
            vmax=max(float(np.max(kg.kurtosis)), 1e-9),
        )
        ax.set_yticks(range(len(kg.level_labels)), kg.level_labels)
        ax.set_xlabel("frequency [Hz]")
        ax.set_ylabel("level (band width fs / 2^(level+1))")
        lo, hi = kg.best_band_hz
        row = int(np.flatnonzero(kg.levels == kg.best_level)[0])
        ax.add_patch(
            Rectangle((lo, row - 0.5), hi - lo, 1.0, fill=False, edgecolor="red", linewidth=1.5)
        )
        ax.set_title(
            f"Fast kurtogram: best band {lo:.0f}-{hi:.0f} Hz (red), kurtosis {kg.best_kurtosis:.2f}"
        )
        fig.colorbar(im, ax=ax, label="spectral kurtosis")
        figs.append(("Kurtogram", _png(fig)))
    fig, ax = plt.subplots(figsize=(10, 3.0))
    ax.plot(waveform.time_s, waveform.samples, lw=0.4, color="tab:blue")
    ax.set_xlabel("time [s]")
    ax.set_ylabel(f"amplitude [{waveform.unit or 'unit?'}]")
    first = f", the first of {len(snaps)} snapshots" if len(snaps) > 1 else ""
    ax.set_title(f"Raw waveform {waveform.channel}{first}".strip())
    figs.append(("Waveform", _png(fig)))
    if track is not None:
        times, speeds = track.curve(waveform.n_samples, waveform.fs)
        fig, ax = plt.subplots(figsize=(10, 2.6))
        ax.plot(times, speeds, lw=1.0, color="tab:green")
        ax.axhline(diagnosis.speed_hz, color="0.4", ls="--", lw=0.8, label="mean speed")
        ax.set_xlabel("time [s]")
        ax.set_ylabel("shaft speed [Hz]")
        ax.set_title(f"Shaft speed during the record ({track.source})")
        ax.legend(loc="best", fontsize=8)
        figs.append(("Shaft speed", _png(fig)))
    return figs


def _gear_figure(
    waveform: Waveform, gear: Diagnosis, train: GearTrain | None, speed_hz: float | None
) -> str | None:
    """The worst gear's synchronous average, its residual with the damaged tooth's angle, and
    the spectrum around its mesh with cursors at the mesh harmonics and their sidebands."""
    from openphm.diagnose.gear import GearSettings, analyse_gears

    settings = GearSettings.from_dict(dict(gear.settings))
    found = [
        a
        for a in analyse_gears(waveform, train, speed_hz, settings=settings)
        if a.member.name == gear.bearing
    ]
    if not found:
        return None
    a = found[0]
    _use_agg()
    import matplotlib.pyplot as plt

    from openphm.signal.demodulation import demodulate_mesh

    fig, axes = plt.subplots(4, 1, figsize=(9, 10.5))
    deg = a.average.angle_rev * 360.0
    axes[0].plot(deg, a.average.average, lw=0.7)
    axes[0].set_title(f"{gear.bearing}: synchronous average of {a.average.n_revolutions} turns")
    axes[1].plot(deg, a.signals.residual, lw=0.7, color="tab:orange")
    axes[1].axvline(a.tooth_angle_rev * 360.0, color="tab:red", ls="--", lw=0.8)
    axes[1].set_title(
        f"residual (FM4 {a.indicators.fm4:.2f}); largest event at {a.tooth_angle_rev * 360:.0f}"
        f" deg, tooth {a.tooth}"
    )
    axes[1].set_xlabel("gear angle (deg)")
    x = waveform.samples - waveform.samples.mean()
    spec = np.abs(np.fft.rfft(x * np.hanning(x.size))) * 2.0 / x.size
    f = np.fft.rfftfreq(x.size, 1.0 / waveform.fs)
    rate = a.member.fault_hz
    lo, hi = a.mesh_hz - 6.0 * rate, a.mesh_hz + 6.0 * rate
    keep = (f >= lo) & (f <= hi)
    axes[2].semilogy(f[keep], spec[keep], lw=0.7)
    for j in range(-5, 6):
        axes[2].axvline(
            a.mesh_hz + j * rate, color="tab:red" if j == 0 else "tab:grey", lw=0.6, ls=":"
        )
    axes[2].set_title(f"mesh {a.mesh_hz:.4g} Hz and sidebands every {rate:.4g} Hz")
    axes[2].set_xlabel("frequency (Hz)")
    demod = demodulate_mesh(a.average.average, a.member.teeth)
    am = demod.amplitude / max(float(demod.amplitude.mean()), 1e-300)
    axes[3].plot(deg, am, lw=0.7, label="amplitude / mean")
    twin = axes[3].twinx()
    twin.plot(deg, demod.phase_rad, lw=0.7, color="tab:green", label="phase (rad)")
    axes[3].set_title("mesh amplitude (blue) and phase (green) demodulation (McFadden 1986)")
    axes[3].set_xlabel("gear angle (deg)")
    fig.tight_layout()
    return _png(fig)


def render_gear_section(
    waveform: Waveform,
    gears: Mapping[str, Diagnosis],
    train: GearTrain | None,
    speed_hz: float | None = None,
) -> str:
    """The gears of a record as an HTML section for :func:`render_report`.

    Parameters
    ----------
    waveform : Waveform
        The record.
    gears : Mapping of str to Diagnosis
        Gear diagnoses by gear name (:func:`openphm.diagnose.gear.diagnose_gears`).
    train : GearTrain or None
        The train they were made with (None: unknown train).
    speed_hz : float, optional
        Reference shaft speed used, Hz.

    Returns
    -------
    str
        A table of verdicts and scores per gear, the worst gear's reasons, and its plots:
        synchronous average, residual with the damaged tooth's angle, mesh sideband cursors,
        and the mesh's amplitude and phase demodulation.
    """
    if not gears:
        return ""
    esc = html.escape
    worst = max(
        gears.values(),
        key=lambda d: (d.verdict in ("tooth", "distributed"), max(d.scores.values())),
    )
    rows = "".join(
        f"<tr><td>{esc(name)}</td><td>{esc(d.verdict)}</td><td>{d.confidence:.2f}</td>"
        f"<td>{d.scores['tooth']:.1f}</td><td>{d.scores['distributed']:.1f}</td></tr>"
        for name, d in gears.items()
    )
    reasons = "".join(f"<li>{esc(r)}</li>" for r in worst.reasons)
    png = _gear_figure(waveform, worst, train, speed_hz)
    img = (
        ""
        if png is None
        else f'<img alt="synchronous average of {esc(worst.bearing)}" '
        f'src="data:image/png;base64,{png}">'
    )
    return (
        "<h2>Gears</h2><table><tr><th>gear</th><th>verdict</th><th>confidence</th>"
        f"<th>tooth score</th><th>distributed score</th></tr>{rows}</table>"
        f"<h3>{esc(worst.bearing)}: {esc(worst.verdict)}</h3><ul>{reasons}</ul>{img}"
    )


def render_report(
    waveform: Waveform | Sequence[Waveform],
    diagnosis: Diagnosis,
    settings: DiagnosisSettings | None = None,
    *,
    track: SpeedTrack | None = None,
    others: Mapping[str, Diagnosis] | None = None,
    gears_html: str = "",
) -> str:
    """Render a diagnosis as one self-contained HTML page.

    Parameters
    ----------
    waveform : Waveform or sequence of Waveform
        The record that was diagnosed, or its snapshots.
    diagnosis : Diagnosis
        Its diagnosis (from :func:`openphm.diagnose.diagnose_bearing` with the same settings).
    settings : DiagnosisSettings, optional
        The settings used (default: the defaults).
    track : SpeedTrack, optional
        The speed track of an order-tracked diagnosis (required for one).
    others : Mapping of str to Diagnosis, optional
        The other bearings the sensor hears, by position label, diagnosed with it
        (:func:`openphm.diagnose.diagnose_bearings`): a table of their verdicts, and the
        lines of their faults in the envelope spectra.
    gears_html : str, optional
        The gears' section (:func:`render_gear_section`), placed after the bearings'.

    Returns
    -------
    str
        HTML with the verdict, the reasoning, the evidence table and the plots (squared-envelope
        spectra with fault-harmonic cursors, kurtogram, raw waveform) as base64 PNG images.
    """
    s = settings or DiagnosisSettings()
    snaps = snapshots_of(waveform)
    esc = html.escape
    groups: list[tuple[str, tuple[MatchedPeak, ...], tuple[float, float]]] = [
        (ev.fault, ev.peaks, ev.band_hz) for ev in diagnosis.evidence
    ]
    series = diagnosis.unexplained
    if series is not None:
        groups.append(("unexplained", series.harmonics + series.sidebands, series.band_hz))
    rows = []
    for name, peaks, band in groups:
        for p in peaks:
            rows.append(
                f"<tr><td>{esc(name)}</td><td>{esc(p.label)}</td><td>{p.expected_hz:.2f}</td>"
                f"<td>{p.freq_hz:.2f}</td><td>{p.amplitude:.3g}</td><td>{p.prominence_db:.1f}</td>"
                f"<td>{p.p_value:.2g}</td><td>{band[0]:.0f}-{band[1]:.0f}</td></tr>"
            )
    scores = "".join(
        f"<tr><td>{esc(k)}</td><td>{v:.2f}</td></tr>" for k, v in diagnosis.scores.items()
    )
    reasons = "".join(f"<li>{esc(r)}</li>" for r in diagnosis.reasons)
    others = others or {}
    figs = "".join(
        f'<h2>{esc(title)}</h2><img alt="{esc(title)}" src="data:image/png;base64,{b64}">'
        for title, b64 in _figures(snaps, diagnosis, s, track, others)
    )
    neighbours = ""
    if others:
        cells = "".join(
            f"<tr><td>{esc(label)}</td><td>{esc(d.bearing or 'custom')}</td>"
            f"<td>{d.speed_ratio:g}</td><td>{d.speed_hz:.3f}</td><td>{esc(d.verdict)}</td>"
            f"<td>{d.confidence:.2f}</td><td>{esc(d.best.fault)}</td><td>{d.best.score:.1f}</td>"
            f'<td style="text-align:left">{esc(d.reasons[-1])}</td></tr>'
            for label, d in others.items()
        )
        neighbours = (
            "<h2>Other bearings this sensor hears</h2><p>Diagnosed from the same spectra; each "
            "fault pattern goes to the bearing whose lines explain it.</p><table><tr>"
            "<th>position</th><th>bearing</th><th>speed ratio</th><th>speed Hz</th>"
            "<th>verdict</th><th>confidence</th><th>best candidate</th><th>score</th>"
            f"<th>last reason</th></tr>{cells}</table>"
        )
    waveform = snaps[0]
    where = esc(waveform.source or waveform.channel or "record")
    if len(snaps) > 1:
        where = f"{where} and {len(snaps) - 1} more snapshots (their spectra averaged)"
    varying = ""
    if diagnosis.speed_range_hz is not None:
        lo, hi = diagnosis.speed_range_hz
        varying = (
            f" The speed varied from {lo:.3f} to {hi:.3f} Hz: the envelope was order-tracked, and"
            " every frequency below is an order times the mean speed."
        )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>openphm bearing diagnosis: {where}</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:1000px}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:2px 6px;text-align:right}}
img{{max-width:100%}}</style></head><body>
<h1>Bearing diagnosis: {esc(diagnosis.verdict)}</h1>
<p>Record {where}, channel {esc(waveform.channel)}, bearing {esc(diagnosis.bearing or "custom")},
shaft speed {diagnosis.speed_hz:.3f} Hz ({esc(diagnosis.speed_source)}), confidence
{diagnosis.confidence:.2f}, pre-whitened: {"yes" if diagnosis.prewhitened else "no"}.{varying}</p>
<h2>Reasoning</h2><ul>{reasons}</ul>
<h2>Scores</h2><p>-log10 of the false-alarm probability of each fault's pattern;
threshold {diagnosis.threshold:g}.</p>
<table><tr><th>candidate</th><th>score</th></tr>{scores}</table>
<h2>Evidence</h2>
<table><tr><th>fault</th><th>line</th><th>expected Hz</th><th>found Hz</th><th>amplitude</th>
<th>prominence dB</th><th>p</th><th>band Hz</th></tr>{"".join(rows)}</table>
{neighbours}
{figs}
{gears_html}
</body></html>
"""


def write_report(
    path: str | Path,
    waveform: Waveform | Sequence[Waveform],
    diagnosis: Diagnosis,
    settings: DiagnosisSettings | None = None,
    *,
    track: SpeedTrack | None = None,
    others: Mapping[str, Diagnosis] | None = None,
    gears_html: str = "",
) -> Path:
    """Write :func:`render_report` to ``path``.

    Parameters
    ----------
    path : str or pathlib.Path
        Output HTML file.
    waveform : Waveform or sequence of Waveform
        The record that was diagnosed, or its snapshots.
    diagnosis : Diagnosis
        Its diagnosis.
    settings : DiagnosisSettings, optional
        The settings used.
    track : SpeedTrack, optional
        The speed track of an order-tracked diagnosis (required for one).
    others : Mapping of str to Diagnosis, optional
        The other bearings the sensor hears (see :func:`render_report`).
    gears_html : str, optional
        The gears' section (:func:`render_gear_section`).

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    ConfigError
        The file cannot be written (a missing folder, no permission, a folder of that name).
    """
    out = Path(path)
    page = render_report(
        waveform, diagnosis, settings, track=track, others=others, gears_html=gears_html
    )
    try:
        out.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"report {out}: cannot write it ({exc.strerror or exc})") from None
    return out
