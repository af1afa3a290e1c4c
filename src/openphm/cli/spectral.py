"""``openphm spectrum``, ``envelope`` and ``kurtogram``: the DM block applied to one record.

The analyses live in :mod:`openphm.signal.spectrum_analysis`,
:mod:`openphm.signal.kurtogram_analysis` and :mod:`openphm.diagnose.envelope_analysis`; this
module reads the record, calls them, prints and plots.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, cast

import numpy as np
import typer

from openphm.acquire.channels import load_record, pick_channel
from openphm.cli.bearing import RotatingRing
from openphm.cli.options import speed_hz
from openphm.cli.output import (
    PLOT_SUFFIXES,
    AsJson,
    busy,
    console,
    output_file,
    plot_written,
    print_json,
    print_table,
)
from openphm.cli.records import Channel, Ppr, SpeedChannel, SpeedUnit, Tacho
from openphm.core.bearing import as_ring
from openphm.diagnose.envelope_analysis import EnvelopeResult, EnvelopeSettings, analyse_envelope
from openphm.diagnose.lines import LINE_NAMES
from openphm.diagnose.tracks import as_speed_unit
from openphm.signal.kurtogram_analysis import KurtogramResult, KurtogramSettings, analyse_kurtogram
from openphm.signal.spectrum import Scaling, Spectrum
from openphm.signal.spectrum_analysis import SpectrumSettings, analyse_spectrum

File = Annotated[Path, typer.Argument(help="Vibration record (any format openphm reads).")]
Fs = Annotated[
    float | None,
    typer.Option("--fs", help="Sampling rate in Hz; overrides the file's (needed for bare CSV)."),
]
Plot = Annotated[
    Path | None,
    typer.Option(
        "--plot",
        help="Draw the result into this image file (.png, .pdf, .svg...).",
        callback=lambda path: output_file(path, "--plot", PLOT_SUFFIXES),
    ),
]
NPeaks = Annotated[int, typer.Option("--peaks", help="Number of peaks listed.")]


def _unit(unit: str) -> str:
    return unit or "unit"


def _squared_unit(unit: str) -> str:
    """``g^2``, or ``(m/s^2)^2`` for a compound unit."""
    return f"{_unit(unit)}^2" if _unit(unit).isalnum() else f"({_unit(unit)})^2"


def _figure() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _plot_line(
    path: Path,
    spectrum: Spectrum,
    fmax: float,
    peaks: list[tuple[float, float]],
    labels: tuple[str, str, str],
    lines_hz: dict[str, float] | None = None,
) -> None:
    """Draw ``spectrum`` up to ``fmax`` with its peaks and the named lines; labels are the
    title, the y label and the x label."""
    plt = _figure()
    title, ylabel, xlabel = labels
    part = spectrum.between(0.0, fmax)
    fig, ax = plt.subplots(figsize=(10, 4.5), layout="constrained")
    ax.plot(part.freqs_hz, part.values, lw=0.8, color="tab:blue")
    for f, a in peaks:
        ax.plot(f, a, "v", color="tab:red", ms=5)
        ax.annotate(
            f"{f:.1f}", (f, a), fontsize=7, ha="center", xytext=(0, 5), textcoords="offset points"
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


def _plot_kurtogram(path: Path, kg: KurtogramResult, title: str) -> None:
    plt = _figure()
    fig, ax = plt.subplots(figsize=(10, 5), layout="constrained")
    image = ax.imshow(
        np.asarray(kg.kurtosis),
        aspect="auto",
        interpolation="nearest",
        cmap="viridis",
        extent=(0.0, kg.fs_hz / 2.0, len(kg.levels) - 0.5, -0.5),
    )
    ax.set_yticks(range(len(kg.level_labels)), kg.level_labels)
    low, high = kg.best_band_hz
    row = kg.levels.index(kg.best_level)
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
    n_peaks: NPeaks = 10,
    as_json: AsJson = False,
    plot: Plot = None,
) -> None:
    """Amplitude spectrum of one channel (window-corrected peak or RMS) and its largest peaks."""
    # SpectrumSettings checks the scaling against its closed set.
    settings = SpectrumSettings(fmax, cast(Scaling, scaling), window, n_peaks)
    with busy("analysing"):
        wave = pick_channel(load_record(file, fs), channel)
        result, spec = analyse_spectrum(wave, settings, source=str(file))
    unit = _unit(result.unit)
    if plot is not None:
        title = f"{file.name} {result.channel}: amplitude spectrum ({window} window)"
        peaks = [(p.freq_hz, p.amplitude) for p in result.peaks]
        labels = (title, f"Amplitude ({scaling}) [{unit}]", "Frequency [Hz]")
        _plot_line(plot, spec, result.fmax_hz, peaks, labels)
    if as_json:
        print_json(result.to_dict())
        return
    console.print(
        f"{file.name} [{result.channel}]: {result.n_samples} samples at {result.fs_hz:g} Hz "
        f"({result.duration_s:.3g} s), RMS {result.rms:.4g} {unit}, "
        f"resolution {result.resolution_hz:.4g} Hz",
        markup=False,
    )
    print_table(
        f"Largest peaks up to {result.fmax_hz:g} Hz ({scaling} amplitude, {unit})",
        ("frequency Hz", "amplitude", "prominence"),
        ((p.freq_hz, p.amplitude, p.prominence) for p in result.peaks),
    )
    plot_written(plot)


def _plot_envelope(path: Path, file: Path, result: EnvelopeResult, ses: Spectrum) -> None:
    lines = {} if result.bearing is None else dict(result.bearing.lines_hz)
    marks = {LINE_NAMES[k]: v for k, v in lines.items() if k != "shaft"}
    low, high = result.band.band_hz
    tracked = result.order_tracked
    labels = (
        f"{file.name} {result.channel}: squared-envelope spectrum, band {low:.0f}-{high:.0f} Hz",
        f"Squared envelope [{_squared_unit(result.unit)}]",
        "Frequency [Hz]"
        if tracked is None
        else f"Order x mean speed {tracked.mean_speed_hz:.3f} Hz [Hz]",
    )
    peaks = [(p.freq_hz, p.amplitude) for p in result.peaks]
    _plot_line(path, ses, result.fmax_hz, peaks, labels, lines_hz=marks)


def _print_envelope(file: Path, result: EnvelopeResult) -> None:
    low, high = result.band.band_hz
    tracked = result.order_tracked
    note = "; cepstrum pre-whitened" if result.prewhitened else ""
    if tracked is not None:
        slowest, fastest = tracked.speed_range_hz
        note += (
            f"; order-tracked from the {tracked.source} ({slowest:.2f}-{fastest:.2f} Hz), "
            f"frequencies are orders x the mean speed {tracked.mean_speed_hz:.3f} Hz"
        )
    console.print(
        f"{file.name} [{result.channel}]: band {low:.1f}-{high:.1f} Hz ({result.band.reason})"
        + note,
        markup=False,
    )
    named = result.bearing is not None
    columns: tuple[str, ...] = ("frequency Hz", "amplitude", "prominence")
    if named:
        columns += ("nearest line", "line Hz", "deviation Hz")
    rows = []
    for p in result.peaks:
        row: tuple[object, ...] = (p.freq_hz, p.amplitude, p.prominence)
        if p.line is not None:
            label = p.line.label + ("" if p.line.match else " (?)")
            row += (label, p.line.line_hz, p.line.deviation_hz)
        rows.append(row)
    print_table(
        f"Envelope peaks up to {result.fmax_hz:g} Hz, strongest first (amplitude in "
        f"{_squared_unit(result.unit)})",
        columns,
        rows,
    )


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
    n_peaks: NPeaks = 10,
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
    settings = EnvelopeSettings(
        band_hz=band,
        fmax_hz=fmax,
        prewhiten=prewhiten,
        bearing=bearing,
        speed_hz=speed_hz(rpm),
        rotating_ring=as_ring(rotating_ring),
        tacho=tacho,
        ppr=ppr,
        speed_channel=speed_channel,
        speed_unit=as_speed_unit(speed_unit),
        n_peaks=n_peaks,
    )
    with busy("analysing"):
        rec = load_record(file, fs)
        wave = pick_channel(rec, channel)
        result, ses = analyse_envelope(wave, settings, recording=rec, source=str(file))
    if plot is not None:
        _plot_envelope(plot, file, result, ses)
    if as_json:
        print_json(result.to_dict())
        return
    _print_envelope(file, result)
    plot_written(plot)


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
    settings = KurtogramSettings(max_level=max_level, fmax_hz=fmax, prewhiten=prewhiten)
    with busy("analysing"):
        wave = pick_channel(load_record(file, fs), channel)
        kg = analyse_kurtogram(wave, settings, source=str(file))
    low, high = kg.best_band_hz
    if plot is not None:
        title = (
            f"{file.name} {kg.channel}: fast kurtogram; best {low:.0f}-{high:.0f} Hz, "
            f"K = {kg.best_kurtosis:.2f}"
        )
        _plot_kurtogram(plot, kg, title)
    if as_json:
        print_json(kg.to_dict())
        return
    excerpt = ""
    if kg.samples_analysed < kg.n_samples:
        excerpt = f"; from the middle {kg.samples_analysed} of {kg.n_samples} samples"
    console.print(
        f"{file.name} [{kg.channel}]: best band {low:.1f}-{high:.1f} Hz (centre "
        f"{kg.best_center_hz:.1f} Hz, width {kg.best_bandwidth_hz:.1f} Hz, level "
        f"{kg.best_level:.1f}), spectral kurtosis {kg.best_kurtosis:.2f}; chosen among the bands "
        f"below {kg.fmax_hz:g} Hz (--fmax){excerpt}",
        markup=False,
    )
    print_table(
        "Largest spectral kurtosis per level (all bands)",
        ("level", "band width Hz", "max kurtosis"),
        zip(kg.level_labels, kg.bandwidths_hz, kg.level_maxima, strict=True),
    )
    plot_written(plot)


def register(app: typer.Typer) -> None:
    """Add the ``spectrum``, ``envelope`` and ``kurtogram`` commands to the CLI ``app``."""
    app.command("spectrum")(spectrum)
    app.command("envelope")(envelope)
    app.command("kurtogram")(kurtogram)
