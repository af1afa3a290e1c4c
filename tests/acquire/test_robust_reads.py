"""Files as they come from other rigs: damaged, huge, special or joined files are refused or
read with a warning, never hang or allocate blindly; channels named as MATLAB users write them."""

from __future__ import annotations

import os
import struct
import warnings
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import scipy.io
import soundfile
from nptdms import ChannelObject, TdmsWriter

from openphm.acquire import read
from openphm.acquire.channels import channel_choice, pick_channel
from openphm.acquire.formats import common
from openphm.core import Recording, Waveform
from openphm.core.errors import DataError, DataQualityWarning
from openphm.core.vibration import not_vibration


def test_fifo_is_refused_without_reading(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.h5"
    os.mkfifo(fifo)
    with pytest.raises(DataError, match="not a regular file"):
        read(fifo)


def test_device_forced_as_hdf5_is_refused() -> None:
    with pytest.raises(DataError, match="/dev/zero: not a regular file"):
        read("/dev/zero", format="hdf5")


def test_truncated_wav_reads_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "cut.wav"
    soundfile.write(path, np.random.default_rng(0).normal(size=4000) * 0.1, 8000, "PCM_16")
    path.write_bytes(path.read_bytes()[:4000])
    with pytest.warns(DataQualityWarning, match="cut.wav: the file is shorter than its header"):
        rec = read(path)
    assert 0 < rec["ch0"].n_samples < 4000


def test_truncated_tdms_reads_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "cut.tdms"
    with TdmsWriter(path) as writer:
        for seed in range(3):
            x = np.random.default_rng(seed).normal(size=2000)
            writer.write_segment([ChannelObject("g", "vib", x, {"wf_increment": 1e-4})])
    path.write_bytes(path.read_bytes()[: path.stat().st_size * 2 // 3])
    with pytest.warns(DataQualityWarning, match="cut.tdms: the file looks truncated"):
        rec = read(path)
    assert 2000 < rec["g/vib"].n_samples < 6000


def _wav_header(n_bytes: int, fs: int = 12000) -> bytes:
    fmt = struct.pack("<HHIIHH", 1, 1, fs, 2 * fs, 2, 16)
    return (
        b"RIFF"
        + struct.pack("<I", 36 + n_bytes)
        + b"WAVEfmt "
        + struct.pack("<I", 16)
        + fmt
        + b"data"
        + struct.pack("<I", n_bytes)
    )


def test_two_gib_wav_is_refused_before_allocating(tmp_path: Path) -> None:
    path = tmp_path / "huge.wav"
    n_bytes = 2**31 - 64
    with path.open("wb") as fh:
        fh.write(_wav_header(n_bytes))
        fh.truncate(44 + n_bytes)  # sparse: no disk space used
    with pytest.raises(DataError, match=r"huge.wav: 1073741792 sample values would take 8\.0 GiB"):
        read(path)


def test_read_size_limit_names_the_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "small.wav"
    soundfile.write(path, np.zeros((1000, 2)), 8000)
    monkeypatch.setattr(common, "MAX_READ_BYTES", 8 * 1000)
    with pytest.raises(DataError, match="2000 sample values"):
        read(path)


def test_joined_snapshots_are_named_as_discontinuities(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    table = pa.table(
        {
            "snapshot": np.repeat(np.arange(1, 6, dtype=np.int16), 256),
            "acc": rng.normal(size=5 * 256),
        },
        metadata={"fs_hz": "25600"},
    )
    pq.write_table(table, tmp_path / "joined.parquet")
    with pytest.warns(DataQualityWarning, match=r"'snapshot' counts 5 blocks of 256 rows"):
        rec = read(tmp_path / "joined.parquet")
    assert channel_choice(rec).waveform.channel == "acc"


def test_struct_fields_are_found_with_dots_and_slashes(tmp_path: Path) -> None:
    path = tmp_path / "struct.mat"
    x = np.random.default_rng(2).normal(size=5000)
    scipy.io.savemat(path, {"bearing": {"gs": x.reshape(-1, 1), "sr": 25600.0}})
    rec = read(path)
    assert pick_channel(rec, "bearing.gs").channel == "bearing/gs"
    assert pick_channel(rec, "bearing/gs").channel == "bearing/gs"
    assert read(path, channels="bearing.gs").channel_names == ("bearing/gs",)
    with pytest.raises(DataError, match=r"no channel 'bearing\.xx'"):
        pick_channel(rec, "bearing.xx")


def _wave(name: str, x: np.ndarray, unit: str = "") -> Waveform:
    return Waveform(np.asarray(x, dtype=np.float64), 1000.0, unit=unit, channel=name)


def test_default_channel_is_the_long_vibration_not_a_stray_or_a_clock() -> None:
    rng = np.random.default_rng(3)
    n = 20000
    rec = Recording(
        (
            _wave("gain", rng.normal(size=10)),
            _wave("time", np.arange(n) / 1000.0),
            _wave("snapshot", np.repeat(np.arange(20.0), n // 20)),
            _wave("microsecond", np.tile(np.arange(1000.0), n // 1000)),
            _wave("relay", rng.integers(0, 2, size=n)),
            _wave("signal", rng.normal(size=n)),
        )
    )
    choice = channel_choice(rec)
    assert choice.waveform.channel == "signal"
    assert "20000 samples" in choice.reason and "5 other channel(s)" in choice.reason


def test_no_vibration_channel_says_so() -> None:
    rec = Recording((_wave("t", np.arange(100.0)), _wave("flag", np.tile([0.0, 1.0], 50))))
    choice = channel_choice(rec)
    assert "no channel looks like a vibration" in choice.reason


@pytest.mark.parametrize(
    ("samples", "why"),
    [
        (np.arange(500.0), "rises throughout"),
        (np.arange(500.0)[::-1], "falls throughout"),
        (np.tile([0.0, 1.0], 250), "2 distinct values"),
        (np.repeat(np.sin(np.arange(20.0)), 25), "changes at only"),
        (np.tile(np.arange(50.0), 10), "of its changes rise"),
        (np.full(500, 3.0), "all its samples are equal"),
    ],
)
def test_not_vibration_names_what_the_samples_are(samples: np.ndarray, why: str) -> None:
    assert why in not_vibration(samples)


def test_vibration_with_an_offset_is_vibration() -> None:
    # A DC-coupled accelerometer's vertical axis carries 1 g of gravity.
    x = 1.0 + 0.05 * np.random.default_rng(4).normal(size=5000)
    assert not_vibration(x) == ""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert not_vibration(np.sin(np.arange(5000) * 0.3)) == ""


def test_a_stray_variable_without_a_rate_does_not_block_the_others(tmp_path: Path) -> None:
    path = tmp_path / "stray.mat"
    x = np.random.default_rng(5).normal(size=5000)
    scipy.io.savemat(path, {"bearing": {"gs": x.reshape(-1, 1), "sr": 12000.0}, "cal": x[:300]})
    with pytest.warns(DataQualityWarning, match="channel 'cal' state"):
        rec = read(path)
    assert rec.channel_names == ("bearing/gs",)
    with pytest.raises(DataError, match="no sampling rate"):
        read(path, channels="cal")
    assert read(path, channels="cal", fs=100.0)["cal"].n_samples == 300
