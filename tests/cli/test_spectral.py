"""``openphm spectrum``, ``envelope`` and ``kurtogram`` on synthetic and real records."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile
from typer.testing import CliRunner

from openphm.cli.main import app
from openphm.core.errors import ConfigError, DataError
from tests.helpers.signals import impacts_on_resonance

runner = CliRunner()
FS = 12000


@pytest.fixture(scope="module")
def fault_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3 s of impacts at 87 Hz ringing a 3.3 kHz resonance, plus a 50 Hz tone, as a WAV file."""
    rng = np.random.default_rng(0)
    x = impacts_on_resonance(float(FS), 3 * FS, 87.0, 3300.0, rng, noise_rms=0.1)
    x += 0.5 * np.sin(2 * np.pi * 50.0 * np.arange(x.size) / FS)
    path = tmp_path_factory.mktemp("cli") / "fault.wav"
    soundfile.write(path, (x / (2 * np.abs(x).max())).astype(np.float32), FS, subtype="FLOAT")
    return path


def _json(args: list[str]) -> dict[str, object]:
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    payload: dict[str, object] = json.loads(res.stdout)
    return payload


def test_spectrum_json_lists_the_tone(fault_wav: Path) -> None:
    payload = _json(["spectrum", str(fault_wav), "--fmax", "200", "--json"])
    assert payload["fs_hz"] == FS
    peaks = payload["peaks"]
    assert isinstance(peaks, list)
    assert abs(peaks[0]["freq_hz"] - 50.0) < 0.5


def test_envelope_json_finds_the_impact_rate_first(fault_wav: Path) -> None:
    payload = _json(["envelope", str(fault_wav), "--json"])
    assert payload["band"]["source"] == "kurtogram"  # type: ignore[index]
    low, high = payload["band"]["band_hz"]  # type: ignore[index]
    assert low <= 3300.0 <= high
    peaks = payload["peaks"]
    assert isinstance(peaks, list)
    assert abs(peaks[0]["freq_hz"] - 87.0) < 2 * payload["resolution_hz"]
    amplitudes = [p["amplitude"] for p in peaks]
    assert amplitudes == sorted(amplitudes, reverse=True)
    assert set(peaks[0]) == {"freq_hz", "amplitude", "prominence", "line"}
    assert peaks[0]["line"] is None  # no bearing named


def test_envelope_with_band_bearing_and_plot(fault_wav: Path, tmp_path: Path) -> None:
    png = tmp_path / "env.png"
    res = runner.invoke(
        app,
        [
            "envelope",
            str(fault_wav),
            "--band",
            "2800",
            "3800",
            "--bearing",
            "6205",
            "--rpm",
            "1797",
            "--prewhiten",
            "--plot",
            str(png),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "2800.0-3800.0 Hz (given with --band)" in res.output
    assert "BPFI" in res.output or "BPFO" in res.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_envelope_peaks_are_annotated_with_bearing_lines(fault_wav: Path) -> None:
    payload = _json(["envelope", str(fault_wav), "--bearing", "6205", "--rpm", "1797", "--json"])
    bearing = payload["bearing"]
    assert isinstance(bearing, dict)
    assert bearing["lines_hz"]["bpfi"] == pytest.approx(162.2, abs=0.1)
    first = payload["peaks"][0]
    assert set(first["line"]) == {"label", "line_hz", "deviation_hz", "match"}


def test_kurtogram_json_and_plot(fault_wav: Path, tmp_path: Path) -> None:
    png = tmp_path / "kg.png"
    payload = _json(["kurtogram", str(fault_wav), "--json", "--plot", str(png)])
    low, high = payload["best_band_hz"]
    assert low <= 3300.0 <= high
    kurt = np.asarray(payload["kurtosis"])
    assert kurt.shape == (len(payload["level_labels"]), len(payload["column_edges_hz"]) - 1)
    assert png.stat().st_size > 10_000


def test_fs_override(fault_wav: Path) -> None:
    payload = _json(["spectrum", str(fault_wav), "--fs", "24000", "--fmax", "200", "--json"])
    assert payload["fs_hz"] == 24000.0
    assert abs(payload["peaks"][0]["freq_hz"] - 100.0) < 1.0


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        (["envelope", "{f}", "--rpm", "1797"], ConfigError, "--bearing"),
        (["envelope", "{f}", "--fmax", "-1"], ConfigError, "fmax_hz"),
        (["spectrum", "{f}", "--fs", "0"], ConfigError, "--fs"),
        (["spectrum", "{f}", "--channel", "nope"], DataError, "no channel"),
        (["envelope", "{f}", "--bearing", "6205"], ConfigError, "--rpm"),
        (["envelope", "{f}", "--bearing", "6205", "--rpm", "0"], ConfigError, "--rpm must be"),
    ],
)
def test_bad_options_give_clear_errors(
    fault_wav: Path, args: list[str], error: type[Exception], match: str
) -> None:
    res = runner.invoke(app, [a.format(f=fault_wav) for a in args])
    assert res.exit_code != 0
    assert isinstance(res.exception, error)
    assert match in str(res.exception)


@pytest.mark.parametrize(
    ("record", "line", "expected_hz"), [("105", "BPFI", 162.2), ("130", "BPFO", 107.4)]
)
def test_cwru_envelope_shows_the_fault_line_first(
    refdata: Path, record: str, line: str, expected_hz: float
) -> None:
    path = refdata / "cwru" / "12k_drive_end" / f"{record}.mat"
    payload = _json(["envelope", str(path), "--bearing", "6205", "--json"])
    top = payload["peaks"][0]
    assert top["line"]["label"] == line and top["line"]["match"]
    assert top["freq_hz"] == pytest.approx(expected_hz, abs=1.0)


def test_envelope_plot_names_the_lines_above_the_frame(
    fault_wav: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Defect-line names sit on a top axis, not inside the plot where peak labels overlap them."""
    import matplotlib.pyplot as plt

    figures = []
    monkeypatch.setattr(plt, "close", figures.append)
    args = ["envelope", str(fault_wav), "--bearing", "6205", "--rpm", "1797"]
    res = runner.invoke(app, [*args, "--plot", str(tmp_path / "env.png")])
    assert res.exit_code == 0, res.output
    assert "strongest first (amplitude in unit^2)" in " ".join(res.output.split())
    (ax,) = figures[0].axes
    assert ax.get_ylim()[0] == 0.0
    assert not [t for t in ax.texts if t.get_text() in {"BPFO", "BPFI", "FTF"}]
    (top,) = ax.child_axes
    labels = {t.get_text() for t in top.get_xticklabels()}
    assert {"FTF", "BSF", "2xBSF", "BPFO", "BPFI"} <= labels
    monkeypatch.undo()
    plt.close(figures[0])


def test_kurtogram_says_which_bands_it_chose_from(fault_wav: Path) -> None:
    res = runner.invoke(app, ["kurtogram", str(fault_wav)])
    assert res.exit_code == 0, res.output
    assert f"chosen among the bands below {FS / 2.56:g} Hz (--fmax)" in " ".join(res.output.split())


def test_envelope_order_tracked_with_a_tachometer(run_up_csv: Path, tmp_path: Path) -> None:
    plot = tmp_path / "run_up.png"
    args = ["envelope", str(run_up_csv), "--fs", "12000", "--channel", "accel", "--prewhiten"]
    res = runner.invoke(
        app, [*args, "--tacho", "tacho", "--bearing", "6205", "--json", "--plot", str(plot)]
    )
    assert res.exit_code == 0, res.output
    payload = json.loads(res.stdout)
    tracked = payload["order_tracked"]
    assert tracked["speed_range_hz"] == pytest.approx([20.0, 35.0], rel=0.01)
    # The strongest line is BPFI (5.415 orders) at the mean speed, sharp despite the run-up.
    bpfi_hz = 5.4152 * tracked["mean_speed_hz"]
    assert payload["peaks"][0]["freq_hz"] == pytest.approx(bpfi_hz, rel=0.005)
    assert payload["peaks"][0]["line"]["label"] == "BPFI"
    assert plot.stat().st_size > 0
    res = runner.invoke(app, [*args, "--speed-channel", "rpm", "--json"])
    assert res.exit_code == 0, res.output
    payload = json.loads(res.stdout)
    assert payload["order_tracked"]["source"] == "speed profile from channel rpm"
    bpfi_hz = 5.4152 * payload["order_tracked"]["mean_speed_hz"]
    assert payload["peaks"][0]["freq_hz"] == pytest.approx(bpfi_hz, rel=0.005)
    res = runner.invoke(app, [*args, "--tacho", "tacho", "--rpm", "1500"])
    assert isinstance(res.exception, ConfigError) and "one way" in str(res.exception)


@pytest.mark.parametrize(
    ("name", "says"),
    [("plot.xyz", "unknown file type '.xyz'"), ("missing/plot.png", "does not exist")],
)
def test_plot_path_is_checked_before_the_work(tmp_path: Path, name: str, says: str) -> None:
    path = tmp_path / "x.wav"
    soundfile.write(path, np.random.default_rng(0).normal(size=4000) * 0.1, 8000)
    res = runner.invoke(app, ["spectrum", str(path), "--plot", str(tmp_path / name)])
    assert res.exit_code != 0
    assert says in str(res.exception) + res.output
