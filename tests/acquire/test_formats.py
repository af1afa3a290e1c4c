"""Every generic reader: one round trip over all formats (ObsPy style), then format specifics."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import h5py
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import pyuff
import soundfile
from acquire_writers import WRITERS, Signals, write
from nptdms import ChannelObject, GroupObject, RootObject, TdmsWriter

from openphm.acquire import read, readers
from openphm.core.errors import DataError

#: Reader that must claim each written format.
READER_OF = {fmt: fmt.removesuffix("73") for fmt in WRITERS}
#: Largest error relative to the signal's peak: UFF ASCII keeps 13 significant digits.
TOLERANCE = {"uff": 1e-11}


@pytest.mark.parametrize("compress", ["", ".xz", ".gz"])
@pytest.mark.parametrize("fmt", list(WRITERS))
def test_round_trip(tmp_path: Path, signals: Signals, fmt: str, compress: str) -> None:
    fs = 2560.0
    path, names = write(tmp_path, fmt, signals, fs, compress)
    rec = read(path)
    assert rec.channel_names == tuple(names)
    assert rec.metadata["format"] == READER_OF[fmt]
    assert rec.source == str(path)
    for name, expected in zip(names, signals.values(), strict=True):
        wave = rec[name]
        assert wave.fs == pytest.approx(fs, rel=1e-9)
        assert wave.source == f"{path}:{name}"
        atol = TOLERANCE.get(fmt, 0.0) * float(np.max(np.abs(expected)))
        np.testing.assert_allclose(wave.samples, expected, rtol=0.0, atol=atol)


def test_every_generic_reader_has_a_round_trip() -> None:
    generic = {r.name for r in readers() if r.priority >= 100}
    assert generic == set(READER_OF.values())


def test_sniffing_beats_a_misleading_suffix(tmp_path: Path, signals: Signals) -> None:
    path, _ = write(tmp_path, "hdf5", signals, 100.0)
    disguised = path.rename(tmp_path / "really_hdf5.csv")
    assert read(disguised).metadata["format"] == "hdf5"


def test_wav_pcm_is_scaled_to_full_scale(tmp_path: Path) -> None:
    codes = np.array([[0, 16384], [-32768, 8192]] * 20, dtype=np.int16)
    path = tmp_path / "pcm.wav"
    soundfile.write(path, codes, samplerate=48000, subtype="PCM_16")
    rec = read(path, channels="ch1", unit="g")
    assert rec.channel_names == ("ch1",)
    assert rec["ch1"].unit == "g"
    np.testing.assert_array_equal(rec["ch1"].samples[:2], [0.5, 0.25])
    assert rec.metadata["encoding"] == "PCM_16"
    assert read(path)["ch0"].unit == ""


def test_tdms_start_time_group_rate_and_text_channels(tmp_path: Path) -> None:
    start = np.datetime64("2024-03-01T12:00:00.250000")
    path = tmp_path / "run.tdms"
    with TdmsWriter(path) as writer:
        writer.write_segment(
            [
                RootObject({"operator": "A. N. Other"}),
                GroupObject("Vib", {"sampling_rate": 1000.0}),
                ChannelObject("Vib", "DE", np.arange(50.0), {"wf_start_time": start}),
                ChannelObject("Vib", "note", np.array(["a", "b"])),
            ]
        )
    rec = read(path)
    assert rec.channel_names == ("Vib/DE",)
    assert rec["Vib/DE"].fs == 1000.0
    assert rec["Vib/DE"].start == datetime(2024, 3, 1, 12, 0, 0, 250000, tzinfo=UTC)
    assert rec.metadata["operator"] == "A. N. Other"


def _uff_set(func_type: int, node: int, data: np.ndarray, label: str = "") -> dict[str, object]:
    return pyuff.prepare_58(
        binary=0,
        id1=label or None,
        func_type=func_type,
        rsp_node=node,
        rsp_dir=-2,
        ref_node=0,
        ref_dir=0,
        abscissa_spec_data_type=17 if func_type == 1 else 18,
        ordinate_spec_data_type=12,
        orddenom_spec_data_type=0,
        z_axis_spec_data_type=0,
        data=data,
        x=np.arange(data.size) / 500.0,
    )


def test_uff_skips_non_time_sets_and_names_by_dof(tmp_path: Path) -> None:
    path = tmp_path / "mixed.unv"
    frf = np.abs(np.fft.rfft(np.arange(64.0)))
    sets = [_uff_set(4, 1, frf), _uff_set(1, 7, np.sin(np.arange(64.0)))]
    pyuff.UFF(str(path)).write_sets(sets, mode="overwrite")
    rec = read(path)
    assert rec.channel_names == ("7-Y",)
    assert rec["7-Y"].fs == pytest.approx(500.0)


def test_uff_without_time_response_says_so(tmp_path: Path) -> None:
    path = tmp_path / "frf.uff"
    pyuff.UFF(str(path)).write_sets([_uff_set(4, 1, np.ones(32))], mode="overwrite")
    with pytest.raises(DataError, match=r"frf\.uff: no time-response data set 58"):
        read(path)


def test_hdf5_layouts(tmp_path: Path) -> None:
    n = 100
    path = tmp_path / "layouts.h5"
    with h5py.File(path, "w") as f:
        f.attrs["fs"] = 200.0
        f.attrs["site"] = b"tunnel 3"
        f["plain"] = np.arange(float(n))
        f["matrix"] = np.arange(2.0 * n).reshape(2, n)
        g = f.create_group("with_time")
        g["time"] = np.arange(n) / 50.0
        g["x"] = np.ones(n) + np.arange(n)
        g["dt_given"] = np.arange(float(n))
        g["dt_given"].attrs["dt"] = 0.01
        f["labels"] = np.array([b"a", b"b"])
        f["short"] = np.arange(3.0)
    rec = read(path)
    assert rec.channel_names == (
        "matrix.0",
        "matrix.1",
        "plain",
        "with_time/dt_given",
        "with_time/x",
    )
    assert rec["plain"].fs == 200.0
    np.testing.assert_array_equal(rec["matrix.1"].samples, np.arange(n, 2.0 * n))
    assert rec["with_time/x"].fs == pytest.approx(50.0)
    assert rec["with_time/dt_given"].fs == pytest.approx(100.0)
    assert rec.metadata["site"] == "tunnel 3"


def test_parquet_rate_from_namespaced_metadata_and_lazy_selection(tmp_path: Path) -> None:
    path = tmp_path / "acc.parquet"
    table = pa.table(
        {
            "horiz": pa.array(np.arange(10.0)),
            "vert": pa.array(np.arange(10, dtype=np.int32)),
            "label": pa.array(["x"] * 10),
            "flag": pa.array([True] * 10),
        }
    ).replace_schema_metadata({"rig.fs_hz": "25600", "rig.speed_rpm": "1800"})
    pq.write_table(table, path)
    rec = read(path)
    assert rec.channel_names == ("horiz", "vert")
    assert rec["vert"].fs == 25600.0
    assert rec["vert"].speed_hz == pytest.approx(30.0)
    assert read(path, channels=[1]).channel_names == ("vert",)


def test_parquet_nulls_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "gaps.parquet"
    pq.write_table(pa.table({"x": pa.array([1.0, None, 3.0])}), path)
    with pytest.raises(DataError, match=r"gaps\.parquet: channel 'x': 1 non-finite.*index 1"):
        read(path, fs=10.0)


@pytest.mark.refdata
def test_generic_parquet_reader_on_femto(refdata: Path) -> None:
    path = refdata / "femto" / "learning_set" / "Bearing1_1_temp.parquet"
    rec = read(path, format="parquet", channels=["temp_milli_c"], fs=10.0)
    assert rec["temp_milli_c"].n_samples > 0


@pytest.mark.refdata
def test_generic_parquet_reader_without_rate_asks_for_fs(refdata: Path) -> None:
    path = refdata / "gear" / "Healthy" / "h30hz0.parquet"
    with pytest.raises(DataError, match=r"h30hz0\.parquet.*no sampling rate.*fs="):
        read(path, format="parquet", channels=["a1_m"])


def test_a_unit_map_is_not_taken_for_a_unit(tmp_path: Path) -> None:
    path = tmp_path / "units.parquet"
    table = pa.table({"x": pa.array(np.arange(5.0))})
    pq.write_table(table.replace_schema_metadata({"fs": "10", "units": '{"x": "g"}'}), path)
    assert read(path)["x"].unit == ""
