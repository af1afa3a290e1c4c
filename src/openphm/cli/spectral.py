"""``openphm spectrum``, ``envelope`` and ``kurtogram``: the DM block applied to one record."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer

from openphm.acquire.channels import load_record, pick_channel
from openphm.cli.bearing import RotatingRing
from openphm.cli.output import console, err_console, print_json, print_table, track
from openphm.cli.records import Channel, Ppr, SpeedChannel, SpeedUnit, Tacho
from openphm.core.bearing import as_ring
from openphm.core.errors import ConfigError
from openphm.core.waveform import Waveform
from openphm.diagnose.speed import SpeedTrack
from openphm.diagnose.tracks import speed_track
from openphm.knowledge.bearings import fault_frequencies_hz
from openphm.knowledge.catalogue import get_bearing
from openphm.signal.envelope import squared_envelope_spectrum
from openphm.signal.kurtogram import (
    LONG_RECORD_SAMPLES,
    USABLE_BANDWIDTH_FACTOR,
    Kurtogram,
    fast_kurtogram,
)
from openphm.signal.order import samples_per_rev_for, squared_envelope_order_spectrum
from openphm.signal.peaks import Peak, spectral_peaks
from openphm.signal.prewhiten import cepstrum_prewhiten
from openphm.signal.spectrum import Spectrum, amplitude_spectrum

#: Characteristic frequencies a peak may be matched to, with their printed names.
_FAULT_LABELS = {
    "shaft": "shaft",
    "ftf": "FTF",
    "bsf": "BSF",
    "2bsf": "2xBSF",
    "bpfo": "BPFO",
    "bpfi": "BPFI",
}
#: A peak "matches" a fault line within this fraction of the line's frequency (bearing slip is
#: typically 1-2 %) or two bins, whichever is wider.
_MATCH_FRACTION = 0.02

File = Annotated[Path, typer.Argument(help="Vibration record (any format openphm reads).")]
Fs = Annotated[
    float | None,
    typer.Option("--fs", help="Sampling rate in Hz; overrides the file's (needed for bare CSV)."),
]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
Plot = Annotated[Path | None, typer.Option("--plot", help="Draw the result into this PNG file.")]


def _run_stages(stages: list[tuple[str, Callable[[], None]]]) -> None:
    """Run named stages in order, with a progress bar on an interactive terminal."""
    for _, stage in track(stages, "analysing", enabled=err_console.is_terminal):
        stage()


def _peak_rows(peaks: list[Peak]) -> list[dict[str, Any]]:
    return [
        {"freq_hz": p.freq_hz, "amplitude": p.amplitude, "prominence": p.prominence} for p in peaks
    ]


def _unit(wave: Waveform) -> str:
    return wave.unit or "unit"


def _squared_unit(wave: Waveform) -> str:
    """``g^2``, or ``(m/s^2)^2`` for a compound unit."""
    unit = _unit(wave)
    return f"{unit}^2" if unit.isalnum() else f"({unit})^2"


def _figure() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _plot_line(
    path: Path,
    spectrum: Spectrum,
    fmax: float,
    *,
    title: str,
    ylabel: str,
    peaks: list[Peak],
    lines_hz: dict[str, float] | None = None,
    xlabel: str = "Frequency [Hz]",
) -> None:
    plt = _figure()
    part = spectrum.between(0.0, fmax)
    fig, ax = plt.subplots(figsize=(10, 4.5), layout="constrained")
    ax.plot(part.freqs_hz, part.values, lw=0.8, color="tab:blue")
    for p in peaks:
        ax.plot(p.freq_hz, p.amplitude, "v", color="tab:red", ms=5)
        ax.annotate(
            f"{p.freq_hz:.1f}",
            (p.freq_hz, p.amplitude),
            fontsize=7,
            ha="center",
            xytext=(0, 5),
            textcoords="offset points",
        )
    shown = {label: f for label, f in (lines_hz or {}).items() if f <= fmax}
    for f in shown.values():
        ax.axvline(f, color="tab:gray", ls="--", lw=0.7)
    ax.set_xlim(0.0, fmax)
    # Headroom above the highest line for its frequency label.
    ax.set_ylim(0.0, 1.1 * float(part.values.max()) if part.values.size else 1.0)
    if shown:
        # Line names go above the frame, where the peak labels cannot cover them.
        top = ax.secondary_xaxis("top")
        top.set_xticks(list(shown.values()), list(shown), rotation=90, fontsize=7)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(alpha=0.3)
    fig.savefig(path, dpi=120)
    plt.close(fig)


def _plot_kurtogram(path: Path, kg: Kurtogram, title: str) -> None:
    plt = _figure()
    fig, ax = plt.subplots(figsize=(10, 5), layout="constrained")
    image = ax.imshow(
        kg.kurtosis,
        aspect="auto",
        interpolation="nearest",
        cmap="viridis",
        extent=(0.0, kg.fs / 2.0, len(kg.levels) - 0.5, -0.5),
    )
    ax.set_yticks(range(len(kg.level_labels)), kg.level_labels)
    low, high = kg.best_band_hz
    row = int(np.flatnonzero(kg.levels == kg.best_level)[0])
    ax.add_patch(
        plt.Rectangle((low, row - 0.5), high - low, 1.0, fill=False, edgecolor="red", linewidth=1.5)
    )
    ax.set_xlabel("Frequency [Hz]")
    ax.set_ylabel("Level (band width fs / 2^(level+1))")
    ax.set_title(title)
    fig.colorbar(image, ax=ax, label="Spectral kurtosis [-]")
    fig.savefig(path, dpi=120)
    plt.close(fig)


def spectrum(
    file: File,
    channel: Channel = None,
    fs: Fs = None,
    fmax: Annotated[
        float | None, typer.Option("--fmax", help="Highest frequency shown, Hz (default fs/2).")
    ] = None,
    scaling: Annotated[
        str, typer.Option("--scaling", help="Amplitude scaling: peak or rms.")
    ] = "peak",
    window: Annotated[str, typer.Option("--window", help="Window: hann, flattop...")] = "hann",
    n_peaks: Annotated[int, typer.Option("--peaks", help="Number of peaks listed.")] = 10,
    as_json: AsJson = False,
    plot: Plot = None,
) -> None:
    """Amplitude spectrum of one channel (window-corrected peak or RMS) and its largest peaks."""
    state: dict[str, Any] = {}

    def load() -> None:
        state["wave"] = pick_channel(load_record(file, fs), channel)

    def compute() -> None:
        wave: Waveform = state["wave"]
        state["spec"] = amplitude_spectrum(
            wave.samples,
            wave.fs,
            window=window,
            scaling=scaling,  # type: ignore[arg-type]
        )

    _run_stages([("read", load), ("spectrum", compute)])
    wave: Waveform = state["wave"]
    spec: Spectrum = state["spec"]
    top = wave.fs / 2.0 if fmax is None else fmax
    peaks = spectral_peaks(spec, fmin_hz=spec.resolution_hz, fmax_hz=top, n=n_peaks)
    payload = {
        "file": str(file),
        "channel": wave.channel,
        "fs_hz": wave.fs,
        "n_samples": wave.n_samples,
        "duration_s": wave.duration_s,
        "unit": wave.unit,
        "scaling": scaling,
        "window": window,
        "resolution_hz": spec.resolution_hz,
        "rms": float(np.sqrt(np.mean(wave.samples**2))),
        "fmax_hz": top,
        "peaks": _peak_rows(peaks),
    }
    if plot is not None:
        _plot_line(
            plot,
            spec,
            top,
            title=f"{file.name} {wave.channel}: amplitude spectrum ({window} window)",
            ylabel=f"Amplitude ({scaling}) [{_unit(wave)}]",
            peaks=peaks,
        )
    if as_json:
        print_json(payload)
        return
    console.print(
        f"{file.name} [{wave.channel}]: {wave.n_samples} samples at {wave.fs:g} Hz "
        f"({wave.duration_s:.3g} s), RMS {payload['rms']:.4g} {_unit(wave)}, "
        f"resolution {spec.resolution_hz:.4g} Hz",
        markup=False,
    )
    print_table(
        f"Largest peaks up to {top:g} Hz ({scaling} amplitude, {_unit(wave)})",
        ("frequency Hz", "amplitude", "prominence"),
        ((p.freq_hz, p.amplitude, p.prominence) for p in peaks),
    )
    if plot is not None:
        console.print(f"plot written to {plot}", markup=False)


@dataclass(frozen=True)
class _FaultMatch:
    label: str
    line_hz: float
    deviation_hz: float
    match: bool


def _fault_candidates(lines: dict[str, float], fmax_hz: float) -> list[tuple[str, float]]:
    """Harmonics of the bearing lines up to ``fmax_hz``.

    Cage (FTF) harmonics stop at the third: its ninth is BPFO itself for a 9-ball bearing, and
    a label should name the defect, not the cage. BSF is marked once: a rolling-element defect
    repeats at 2xBSF, whose harmonics are listed, so higher BSF multiples would only double them.
    """
    out: list[tuple[str, float]] = []
    for key in ("bpfo", "bpfi", "2bsf", "bsf", "shaft", "ftf"):
        base = lines[key]
        top = {"ftf": 3, "bsf": 1}.get(key, max(1, math.floor(fmax_hz * 1.05 / base)))
        for h in range(1, top + 1):
            name = _FAULT_LABELS[key]
            out.append((name if h == 1 else f"{h}x{name}", h * base))
    return out


def _nearest_fault(
    freq_hz: float, candidates: list[tuple[str, float]], resolution_hz: float
) -> _FaultMatch:
    """The candidate within tolerance of ``freq_hz``, else the nearest one (no match).

    The tolerance is two bins, widened to 2 % for bearing lines (slip). A peak within tolerance
    of several candidates is ambiguous: it names all of them, nearest first, and claims no
    match. That happens where lines coincide (2xBPFI and 3xBPFO of a 6205 lie within 1 %) and
    on short records, whose coarse resolution widens every tolerance.
    """

    def distance(c: tuple[str, float]) -> float:
        return abs(freq_hz - c[1])

    def tolerance(c: tuple[str, float]) -> float:
        # Shaft harmonics are exact at the given speed; bearing lines may slip by a few %.
        slip = 0.0 if c[0].endswith("shaft") else _MATCH_FRACTION * c[1]
        return max(2.0 * resolution_hz, slip)

    close = sorted((c for c in candidates if distance(c) <= tolerance(c)), key=distance)
    if len(close) > 1:
        return _FaultMatch(
            " or ".join(c[0] for c in close), close[0][1], freq_hz - close[0][1], False
        )
    label, line = min(close or candidates, key=distance)
    return _FaultMatch(label, line, freq_hz - line, bool(close))


def _excerpt_note(wave: Waveform) -> str:
    """Says when the kurtogram saw only the middle of a long record."""
    if wave.n_samples <= LONG_RECORD_SAMPLES:
        return ""
    return f"; from the middle {LONG_RECORD_SAMPLES} of {wave.n_samples} samples"


def _fault_lines(
    bearing: str | None, rpm: float | None, wave: Waveform, rotating_ring: str = "inner"
) -> tuple[dict[str, float], float | None]:
    if rpm is not None and not (math.isfinite(rpm) and rpm > 0.0):
        raise ConfigError(f"--rpm must be a positive speed in r/min, got {rpm:g}")
    if bearing is None:
        if rpm is not None:
            raise ConfigError("--rpm needs --bearing (the bearing whose lines to mark)")
        return {}, None
    speed_rpm = rpm if rpm is not None else (wave.speed_hz * 60.0 if wave.speed_hz else None)
    if speed_rpm is None:
        raise ConfigError(
            f"--bearing {bearing}: give the shaft speed with --rpm (the file does not state it)"
        )
    entry = get_bearing(bearing)
    if entry.geometry is None:
        raise ConfigError(f"the catalogue has no internal geometry for {entry.designation}")
    return fault_frequencies_hz(entry.geometry, speed_rpm, as_ring(rotating_ring)), speed_rpm


def envelope(
    file: File,
    channel: Channel = None,
    fs: Fs = None,
    band: Annotated[
        tuple[float, float] | None,
        typer.Option(
            "--band",
            help="Demodulation band LOW HIGH in Hz (default: the fast kurtogram's best band).",
        ),
    ] = None,
    fmax: Annotated[
        float, typer.Option("--fmax", help="Highest envelope frequency listed, Hz.")
    ] = 500.0,
    prewhiten: Annotated[
        bool,
        typer.Option(
            "--prewhiten",
            help="Cepstrum pre-whitening first (masks gear lines; loses the physical unit). "
            "openphm diagnose pre-whitens: add it to see the spectra diagnose scores.",
        ),
    ] = False,
    bearing: Annotated[
        str | None,
        typer.Option("--bearing", help="Bearing designation: mark its defect frequencies."),
    ] = None,
    rpm: Annotated[
        float | None,
        typer.Option("--rpm", help="Shaft speed in r/min for --bearing (default: from the file)."),
    ] = None,
    n_peaks: Annotated[int, typer.Option("--peaks", help="Number of peaks listed.")] = 10,
    tacho: Tacho = None,
    ppr: Ppr = 1,
    speed_channel: SpeedChannel = None,
    speed_unit: SpeedUnit = "rpm",
    rotating_ring: RotatingRing = "inner",
    as_json: AsJson = False,
    plot: Plot = None,
) -> None:
    """Squared-envelope spectrum and its dominant peaks, strongest first.

    The demodulation band is --band, or else the most impulsive band of the fast kurtogram that
    is at least --fmax wide (so that envelope lines up to --fmax fit in it) and lies below
    fs/2.56 (above that the anti-aliasing filter leaves only converter noise). With --tacho or
    --speed-channel the envelope is order-tracked (for run-ups and machines whose speed varies),
    and its frequencies are orders times the mean speed.
    """
    if not fmax > 0.0:
        raise ConfigError(f"--fmax must be positive, got {fmax:g}")
    state: dict[str, Any] = {"track": None}

    def load() -> None:
        rec = load_record(file, fs)
        wave = pick_channel(rec, channel)
        state["wave"] = wave
        speed_rpm = rpm
        track = speed_track(
            rec,
            wave,
            speed_hz=None if rpm is None else rpm / 60.0,
            tacho=tacho,
            ppr=ppr,
            speed_channel=speed_channel,
            speed_unit=speed_unit,
        )
        if track is not None:
            _, mean_hz, slowest, fastest = track.speeds_hz(wave.n_samples, wave.fs)
            state["track"], state["speeds"] = track, (mean_hz, slowest, fastest)
            speed_rpm = mean_hz * 60.0 if bearing is not None else None
        state["lines"], state["rpm"] = _fault_lines(bearing, speed_rpm, wave, rotating_ring)
        state["x"] = cepstrum_prewhiten(wave.samples) if prewhiten else wave.samples

    def choose_band() -> None:
        wave: Waveform = state["wave"]
        if band is not None:
            state["band"], state["kg"] = (float(band[0]), float(band[1])), None
            state["reason"] = "given with --band"
            return
        kg = fast_kurtogram(
            state["x"],
            wave.fs,
            min_bandwidth_hz=min(fmax, wave.fs / 4.0),
            max_samples=LONG_RECORD_SAMPLES,
        )
        state["band"], state["kg"] = kg.best_band_hz, kg
        state["reason"] = (
            f"fast kurtogram: the most impulsive band (level {kg.best_level:.1f}, spectral "
            f"kurtosis {kg.best_kurtosis:.2f}) at least {min(fmax, wave.fs / 4.0):g} Hz wide "
            f"and below fs/{USABLE_BANDWIDTH_FACTOR:g} = {wave.fs / USABLE_BANDWIDTH_FACTOR:g} Hz"
            + _excerpt_note(wave)
        )

    def demodulate() -> None:
        wave: Waveform = state["wave"]
        track: SpeedTrack | None = state["track"]
        if track is None:
            state["ses"] = squared_envelope_spectrum(state["x"], wave.fs, state["band"])
            return
        mean_hz, slowest, fastest = state["speeds"]
        spr = samples_per_rev_for(fmax / mean_hz, fastest / slowest)
        oes = squared_envelope_order_spectrum(
            state["x"],
            wave.fs,
            state["band"],
            tacho_pulses_s=track.tacho_pulses_s,
            speed_profile_hz=track.speed_profile_hz,
            samples_per_rev=spr,
            pulses_per_rev=track.pulses_per_rev,
        )
        state["ses"] = Spectrum(oes.orders * mean_hz, oes.values, oes.unit_note)

    _run_stages([("read", load), ("band", choose_band), ("envelope", demodulate)])
    wave: Waveform = state["wave"]
    ses: Spectrum = state["ses"]
    lines: dict[str, float] = state["lines"]
    peaks = spectral_peaks(ses, fmin_hz=ses.resolution_hz, fmax_hz=fmax, n=n_peaks)
    rows = _peak_rows(peaks)
    candidates = _fault_candidates(lines, fmax) if lines else []
    for row, p in zip(rows, peaks, strict=True):
        if lines:
            m = _nearest_fault(p.freq_hz, candidates, ses.resolution_hz)
            row.update(
                nearest=m.label, nearest_hz=m.line_hz, deviation_hz=m.deviation_hz, match=m.match
            )
    low, high = state["band"]
    kg: Kurtogram | None = state["kg"]
    payload: dict[str, Any] = {
        "file": str(file),
        "channel": wave.channel,
        "fs_hz": wave.fs,
        "n_samples": wave.n_samples,
        "unit": wave.unit,
        "prewhitened": prewhiten,
        "band_hz": [low, high],
        "band_source": "kurtogram" if kg is not None else "option",
        "band_reason": state["reason"],
        "kurtogram": None
        if kg is None
        else {"best_level": kg.best_level, "best_kurtosis": kg.best_kurtosis},
        "resolution_hz": ses.resolution_hz,
        "fmax_hz": fmax,
        "peaks": rows,
        "order_tracked": None,
    }
    tracked = ""
    if state["track"] is not None:
        mean_hz, slowest, fastest = state["speeds"]
        payload["order_tracked"] = {
            "source": state["track"].source,
            "mean_speed_hz": mean_hz,
            "speed_range_hz": [slowest, fastest],
        }
        tracked = (
            f"; order-tracked from the {state['track'].source} ({slowest:.2f}-{fastest:.2f} Hz), "
            f"frequencies are orders x the mean speed {mean_hz:.3f} Hz"
        )
    if lines:
        payload["bearing"] = {"designation": bearing, "rpm": state["rpm"], "lines_hz": lines}
    if plot is not None:
        marks = {_FAULT_LABELS[k]: v for k, v in lines.items() if k != "shaft"}
        _plot_line(
            plot,
            ses,
            fmax,
            title=f"{file.name} {wave.channel}: squared-envelope spectrum, band "
            f"{low:.0f}-{high:.0f} Hz",
            ylabel=f"Squared envelope [{_squared_unit(wave)}]",
            peaks=peaks,
            lines_hz=marks,
            xlabel="Frequency [Hz]"
            if state["track"] is None
            else f"Order x mean speed {state['speeds'][0]:.3f} Hz [Hz]",
        )
    if as_json:
        print_json(payload)
        return
    console.print(
        f"{file.name} [{wave.channel}]: band {low:.1f}-{high:.1f} Hz ({state['reason']})"
        + ("; cepstrum pre-whitened" if prewhiten else "")
        + tracked,
        markup=False,
    )
    columns: tuple[str, ...] = ("frequency Hz", "amplitude", "prominence")
    if lines:
        columns += ("nearest line", "line Hz", "deviation Hz")
    print_table(
        f"Envelope peaks up to {fmax:g} Hz, strongest first (amplitude in {_squared_unit(wave)})",
        columns,
        (
            tuple(r[k] for k in ("freq_hz", "amplitude", "prominence"))
            + (
                (r["nearest"] + ("" if r["match"] else " (?)"), r["nearest_hz"], r["deviation_hz"])
                if lines
                else ()
            )
            for r in rows
        ),
    )
    if plot is not None:
        console.print(f"plot written to {plot}", markup=False)


def kurtogram(
    file: File,
    channel: Channel = None,
    fs: Fs = None,
    max_level: Annotated[
        int | None, typer.Option("--max-level", help="Deepest binary level (default: auto).")
    ] = None,
    fmax: Annotated[
        float | None,
        typer.Option("--fmax", help="Highest frequency the best band may reach, Hz (fs/2.56)."),
    ] = None,
    prewhiten: Annotated[
        bool, typer.Option("--prewhiten", help="Cepstrum pre-whitening first.")
    ] = False,
    as_json: AsJson = False,
    plot: Plot = None,
) -> None:
    """Fast kurtogram (Antoni 2007): the most impulsive frequency band of one channel."""
    state: dict[str, Any] = {}

    def load() -> None:
        wave = pick_channel(load_record(file, fs), channel)
        state["wave"] = wave
        state["x"] = cepstrum_prewhiten(wave.samples) if prewhiten else wave.samples

    def compute() -> None:
        state["kg"] = fast_kurtogram(
            state["x"],
            state["wave"].fs,
            max_level=max_level,
            fmax_hz=fmax,
            max_samples=LONG_RECORD_SAMPLES,
        )

    _run_stages([("read", load), ("kurtogram", compute)])
    wave: Waveform = state["wave"]
    kg: Kurtogram = state["kg"]
    low, high = kg.best_band_hz
    kg_fmax = wave.fs / USABLE_BANDWIDTH_FACTOR if fmax is None else fmax
    best_per_level = [
        (label, float(width), float(np.max(row)))
        for label, width, row in zip(kg.level_labels, kg.bandwidths_hz, kg.kurtosis, strict=True)
    ]
    payload = {
        "file": str(file),
        "channel": wave.channel,
        "fs_hz": wave.fs,
        "n_samples": wave.n_samples,
        "samples_analysed": min(wave.n_samples, LONG_RECORD_SAMPLES),
        "prewhitened": prewhiten,
        "best_band_hz": [low, high],
        "best_center_hz": kg.best_center_hz,
        "best_bandwidth_hz": kg.best_bandwidth_hz,
        "best_level": kg.best_level,
        "best_kurtosis": kg.best_kurtosis,
        "levels": kg.levels,
        "level_labels": list(kg.level_labels),
        "bandwidths_hz": kg.bandwidths_hz,
        "kurtosis": kg.kurtosis,
        "column_edges_hz": kg.column_edges_hz,
    }
    if plot is not None:
        _plot_kurtogram(
            plot,
            kg,
            f"{file.name} {wave.channel}: fast kurtogram; best {low:.0f}-{high:.0f} Hz, "
            f"K = {kg.best_kurtosis:.2f}",
        )
    if as_json:
        print_json(payload)
        return
    console.print(
        f"{file.name} [{wave.channel}]: best band {low:.1f}-{high:.1f} Hz (centre "
        f"{kg.best_center_hz:.1f} Hz, width {kg.best_bandwidth_hz:.1f} Hz, level "
        f"{kg.best_level:.1f}), spectral kurtosis {kg.best_kurtosis:.2f}; chosen among the bands "
        f"below {kg_fmax:g} Hz (--fmax){_excerpt_note(wave)}",
        markup=False,
    )
    print_table(
        "Largest spectral kurtosis per level (all bands)",
        ("level", "band width Hz", "max kurtosis"),
        best_per_level,
    )
    if plot is not None:
        console.print(f"plot written to {plot}", markup=False)


def register(app: typer.Typer) -> None:
    """Add the ``spectrum``, ``envelope`` and ``kurtogram`` commands to the CLI ``app``."""
    app.command("spectrum")(spectrum)
    app.command("envelope")(envelope)
    app.command("kurtogram")(kurtogram)
