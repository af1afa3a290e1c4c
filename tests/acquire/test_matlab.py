"""The generic MAT-file reader: v5 (scipy.io) and v7.3 (h5py), structs, matrices, time vectors."""

from __future__ import annotations

import lzma
from pathlib import Path

import numpy as np
import pytest
import scipy.io
from acquire_writers import Signals, Writer, write_mat5, write_mat73

from openphm.acquire import read
from openphm.core.errors import ConfigError, DataError


@pytest.mark.parametrize("writer", [write_mat5, write_mat73], ids=["v5", "v7.3"])
def test_vectors_and_rate(tmp_path: Path, signals: Signals, writer: Writer) -> None:
    path = tmp_path / "rec.mat"
    writer(path, signals, 2560.0)
    rec = read(path)
    assert rec.channel_names == tuple(signals)
    for name, x in signals.items():
        assert rec[name].fs == 2560.0
        np.testing.assert_array_equal(rec[name].samples, x)
    assert rec.metadata["format"] == "matlab"
    assert rec.metadata["header"].startswith("MATLAB")


def test_v5_rpm_gives_speed_and_metadata(tmp_path: Path, signals: Signals) -> None:
    path = tmp_path / "rec.mat"
    write_mat5(path, signals, 2560.0)
    rec = read(path)
    assert rec["DE"].speed_hz == pytest.approx(30.0)
    assert rec.metadata["X001RPM"] == 1800.0


def test_v73_char_variable_goes_to_metadata(tmp_path: Path, signals: Signals) -> None:
    path = tmp_path / "rec.mat"
    write_mat73(path, signals, 2560.0)
    assert read(path).metadata["note"] == "rig A"


def test_compressed_mat_is_read_from_the_stream(tmp_path: Path, signals: Signals) -> None:
    plain = tmp_path / "rec.mat"
    write_mat5(plain, signals, 1000.0)
    packed = tmp_path / "rec.mat.xz"
    packed.write_bytes(lzma.compress(plain.read_bytes()))
    rec = read(packed)
    np.testing.assert_array_equal(rec["FE"].samples, signals["FE"])
    assert rec["FE"].source == f"{packed}:FE"


def test_struct_fields_matrix_columns_and_time_vector(tmp_path: Path) -> None:
    n, fs = 200, 500.0
    t = np.arange(n) / fs
    x = np.sin(2 * np.pi * 12.0 * t)
    path = tmp_path / "nested.mat"
    scipy.io.savemat(
        path,
        {
            "rig": {"acc": x, "Fs": 1000.0, "units": "m/s^2"},
            "t": t,
            "y": 2 * x,
            "data": np.column_stack([x, -x]),
        },
    )
    rec = read(path)
    assert set(rec.channel_names) == {"rig/acc", "y", "data.0", "data.1"}
    assert rec["rig/acc"].fs == 1000.0
    assert rec["rig/acc"].unit == "m/s^2"
    assert rec["y"].fs == pytest.approx(fs, rel=1e-12)
    np.testing.assert_array_equal(rec["data.1"].samples, -x)


def test_fs_option_overrides_and_selection(tmp_path: Path, signals: Signals) -> None:
    path = tmp_path / "rec.mat"
    write_mat5(path, signals, 2560.0)
    rec = read(path, fs=12000.0, channels=["BA", 0], unit="g", speed_hz=29.95)
    assert rec.channel_names == ("BA", "DE")
    assert {w.fs for w in rec} == {12000.0}
    assert {w.unit for w in rec} == {"g"}
    assert {w.speed_hz for w in rec} == {29.95}


def test_missing_rate_names_file_and_fix(tmp_path: Path) -> None:
    path = tmp_path / "norate.mat"
    scipy.io.savemat(path, {"x": np.arange(100.0)})
    with pytest.raises(DataError, match=r"norate\.mat.*'x'.*no sampling rate.*fs="):
        read(path)
    assert read(path, fs=10.0)["x"].fs == 10.0


def test_unknown_channel_lists_the_channels(tmp_path: Path, signals: Signals) -> None:
    path = tmp_path / "rec.mat"
    write_mat5(path, signals, 2560.0)
    with pytest.raises(DataError, match=r"no channel 'XX'.*DE, FE, BA"):
        read(path, channels="XX")
    with pytest.raises(ConfigError):
        read(path, channels=[])


def test_short_vectors_are_not_channels(tmp_path: Path) -> None:
    path = tmp_path / "params.mat"
    scipy.io.savemat(path, {"gains": np.arange(3.0), "fs": 10.0})
    with pytest.raises(DataError, match="no channel found"):
        read(path)


@pytest.mark.refdata
def test_generic_reader_on_cwru_record(refdata: Path) -> None:
    rec = read(refdata / "cwru" / "12k_drive_end" / "105.mat", format="matlab", fs=12000.0)
    assert rec.channel_names == ("X105_DE_time", "X105_FE_time", "X105_BA_time")
    assert rec["X105_DE_time"].n_samples == 121265
    assert rec["X105_DE_time"].speed_hz == pytest.approx(1797 / 60)


def test_compressed_v5_v4_cells_text_and_sparse(tmp_path: Path) -> None:
    import scipy.sparse

    x = np.sin(np.arange(64.0))
    v5 = tmp_path / "v5z.mat"
    scipy.io.savemat(
        v5,
        {
            "x": x,
            "fs": 64.0,
            "label": "bearing 3",
            "cells": np.array([np.arange(3.0), "a"], dtype=object),
            "sp": scipy.sparse.eye(20, format="csc"),
            "s": {"y": x, "nested": {"z": 2 * x}},
        },
        do_compression=True,
    )
    rec = read(v5)
    assert rec.channel_names == ("x", "s/y", "s/nested/z")
    assert rec.metadata["label"] == "bearing 3"
    v4 = tmp_path / "v4.mat"
    scipy.io.savemat(v4, {"x": x, "fs": 64.0}, format="4")
    np.testing.assert_array_equal(read(v4)["x"].samples, x)


def test_readable_variables_skips_sparse_and_refuses_bad_type_codes(tmp_path: Path) -> None:
    import io

    import scipy.sparse

    from openphm.acquire.formats.matlab_v5 import readable_variables

    buf = io.BytesIO()
    scipy.io.savemat(buf, {"a": np.arange(20.0), "sp": scipy.sparse.eye(4, format="csc")})
    data = bytearray(buf.getvalue())
    assert readable_variables(bytes(data)) == ["a"]
    data[128 + 48] = 66  # the type code of the values of "a": no such MAT type
    with pytest.raises(DataError, match="unknown element type code 66"):
        readable_variables(bytes(data))
    path = tmp_path / "bad.mat"
    path.write_bytes(bytes(data))
    with pytest.raises(DataError, match=r"bad\.mat: corrupt MAT-file: unknown element type"):
        read(path)


@pytest.mark.refdata
def test_every_cwru_file_passes_the_structure_check(refdata: Path) -> None:
    import lzma

    from openphm.acquire.formats.matlab_v5 import readable_variables

    for path in sorted((refdata / "cwru").rglob("*.mat*")):
        raw = lzma.open(path).read() if path.suffix == ".xz" else path.read_bytes()
        names = readable_variables(raw)
        assert any(n.endswith("_DE_time") for n in names), path


def test_struct_with_a_sample_rate_field(tmp_path: Path) -> None:
    # The MFPT bearing files: struct `bearing` with the signal `gs` and its rate `sr`.
    path = tmp_path / "baseline_1.mat"
    signal = np.sin(np.arange(2000) / 7.0)
    scipy.io.savemat(path, {"bearing": {"gs": signal[:, None], "sr": 97656.0, "rate": 25.0}})
    wave = read(path)["bearing/gs"]
    assert wave.fs == 97656.0
    np.testing.assert_allclose(wave.samples, signal)


def test_struct_array_elements_are_named_by_their_name_field(tmp_path: Path) -> None:
    # The Paderborn bearing files: Y(k).Name / .Unit / .Data, one element per signal.
    kind = np.dtype([("Name", "O"), ("Unit", "O"), ("Data", "O")])
    y = np.zeros((1, 2), dtype=kind)
    signals = {"force": np.linspace(0, 1, 100), "vibration_1": np.cos(np.arange(400) / 3.0)}
    for i, (name, data) in enumerate(signals.items()):
        y[0, i]["Name"], y[0, i]["Unit"], y[0, i]["Data"] = name, "N" if i == 0 else "g", data
    path = tmp_path / "N15_M07_F10_KA01_1.mat"
    scipy.io.savemat(path, {"N15_M07_F10_KA01_1": {"Y": y}})
    rec = read(path, fs=64000.0)
    assert rec.channel_names == (
        "N15_M07_F10_KA01_1/Y/force/Data",
        "N15_M07_F10_KA01_1/Y/vibration_1/Data",
    )
    vibration = rec["vibration_1"]  # one part of the path is enough when it is unique
    assert vibration.unit == "g"
    np.testing.assert_allclose(vibration.samples, signals["vibration_1"])
    assert read(path, fs=64000.0, channels="vibration_1").channel_names == (
        "N15_M07_F10_KA01_1/Y/vibration_1/Data",
    )
    with pytest.raises(ConfigError, match="part of several channels"):
        rec["Y"]
