"""Bad input gives a clear openphm error naming the file and the problem, or a quality warning."""

from __future__ import annotations

import lzma
import re
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import h5py
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from acquire_writers import WRITERS, Signals, write

from openphm.acquire import read
from openphm.core.errors import (
    ConfigError,
    DataError,
    DataQualityWarning,
    UnknownFormatError,
)


def test_missing_file_folder_and_empty_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"nothing\.csv: no such file"):
        read(tmp_path / "nothing.csv")
    with pytest.raises(DataError, match="is a folder"):
        read(tmp_path)
    (tmp_path / "empty.mat").write_bytes(b"")
    with pytest.raises(DataError, match=r"empty\.mat: the file is empty"):
        read(tmp_path / "empty.mat")


def test_unknown_format(tmp_path: Path) -> None:
    path = tmp_path / "blob.bin"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(UnknownFormatError, match=r"blob\.bin: no reader recognises.*--format"):
        read(path)
    with pytest.raises(UnknownFormatError, match=r"unknown format 'sgy'; known: .*matlab"):
        read(path, format="sgy")


def test_zip_archive_points_at_the_dataset_loaders(tmp_path: Path) -> None:
    path = tmp_path / "Bearing9_9.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("Bearing9_9/acc_00001.csv", "1,2,3,4,5,6\n")
    with pytest.raises(UnknownFormatError, match=r"Bearing9_9\.zip: a zip archive.*read_femto"):
        read(path)


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_unknown_option_lists_the_options(tmp_path: Path, signals: Signals, fmt: str) -> None:
    path, _ = write(tmp_path, fmt, signals, 100.0)
    with pytest.raises(ConfigError, match=r"takes no option sample_rate; its options are fs, "):
        read(path, sample_rate=100.0)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"fs": -5.0}, "fs=-5.0 must be positive"),
        ({"fs": "fast"}, "fs='fast' is not a number"),
        ({"speed_hz": 0.0}, "speed_hz=0.0 must be positive"),
        ({"unit": 3}, "unit=3 must be text"),
        ({"channels": [1.5]}, "neither a name nor a position"),
    ],
)
def test_invalid_option_values(
    tmp_path: Path, signals: Signals, options: dict[str, object], message: str
) -> None:
    path, _ = write(tmp_path, "matlab", signals, 100.0)
    with pytest.raises(ConfigError, match=re.escape(message)):
        read(path, **options)


@pytest.mark.parametrize("fmt", ["matlab", "matlab73", "hdf5", "parquet", "tdms", "wav"])
def test_truncated_binary_file_names_the_file(tmp_path: Path, signals: Signals, fmt: str) -> None:
    path, _ = write(tmp_path, fmt, signals, 100.0)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    try:
        rec = read(path)
    except DataError as exc:
        assert str(path) in str(exc)
    else:
        assert all(w.n_samples < 600 for w in rec), "a third of the file cannot hold everything"


def test_library_errors_are_wrapped(tmp_path: Path, signals: Signals) -> None:
    path, _ = write(tmp_path, "csv", signals, 100.0)
    with pytest.raises(
        DataError, match=r"csv\.csv: the hdf5 reader cannot read it.*OSError"
    ) as info:
        read(path, format="hdf5")
    assert isinstance(info.value.__cause__, OSError)


def test_truncated_compressed_stream(tmp_path: Path, signals: Signals) -> None:
    path, _ = write(tmp_path, "matlab", signals, 100.0, ".xz")
    path.write_bytes(path.read_bytes()[:-200])
    with pytest.raises(DataError, match=r"matlab\.mat\.xz"):
        read(path)
    garbage = tmp_path / "garbage.csv.xz"
    garbage.write_bytes(b"not xz at all")
    with pytest.raises(DataError, match=r"garbage\.csv\.xz: cannot read the file"):
        read(garbage)


@pytest.mark.parametrize("fmt", [f for f in WRITERS if f != "uff"])  # pyuff cannot write NaN/Inf
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_samples_are_refused_with_their_position(
    tmp_path: Path, signals: Signals, fmt: str, bad: float
) -> None:
    signals["FE"][7] = bad
    signals["FE"][300] = bad
    path, names = write(tmp_path, fmt, signals, 100.0)
    pattern = rf"{re.escape(str(path))}: channel '{re.escape(names[1])}': 2 non-finite .*index 7"
    with pytest.raises(DataError, match=pattern):
        read(path)
    assert read(path, channels=[names[0]]).channel_names == (names[0],)


@pytest.mark.parametrize("fmt", ["matlab", "hdf5", "parquet", "tdms", "csv"])
def test_missing_rate_asks_for_fs(tmp_path: Path, fmt: str) -> None:
    x = np.sin(np.arange(100.0))
    path = tmp_path / f"norate{WRITERS[fmt][0]}"
    if fmt == "matlab":
        import scipy.io

        scipy.io.savemat(path, {"x": x})
    elif fmt == "hdf5":
        with h5py.File(path, "w") as f:
            f["x"] = x
    elif fmt == "parquet":
        pq.write_table(pa.table({"x": x}), path)
    elif fmt == "tdms":
        from nptdms import ChannelObject, TdmsWriter

        with TdmsWriter(path) as writer:
            writer.write_segment([ChannelObject("g", "x", x)])
    else:
        path.write_text("x\n" + "\n".join(map(repr, x.tolist())) + "\n")
    with pytest.raises(DataError, match=r"norate.*no sampling rate; pass fs=<Hz> .* --fs"):
        read(path)
    assert read(path, fs=1000.0).channels[0].fs == 1000.0


@pytest.mark.parametrize("rate", [1e12, 0.0, -3.0])
def test_absurd_rate_in_file(tmp_path: Path, rate: float) -> None:
    path = tmp_path / "absurd.h5"
    with h5py.File(path, "w") as f:
        f["x"] = np.sin(np.arange(100.0))
        f["x"].attrs["sampling_rate"] = rate
    with pytest.raises(DataError, match=r"absurd\.h5: channel 'x': the file gives an absurd"):
        read(path)
    assert read(path, fs=50.0)["x"].fs == 50.0


def test_empty_channel(tmp_path: Path) -> None:
    path = tmp_path / "empty_rows.parquet"
    pq.write_table(pa.table({"x": pa.array([], pa.float64())}), path)
    with pytest.raises(DataError, match=r"empty_rows\.parquet: channel 'x': .*no samples"):
        read(path, fs=1.0)


def test_clipped_channel_warns_and_is_returned(tmp_path: Path) -> None:
    t = np.arange(2000) / 1000.0
    clipped = np.clip(3.0 * np.sin(2 * np.pi * 7.0 * t), -2.0, 2.0)
    path = tmp_path / "clip.h5"
    with h5py.File(path, "w") as f:
        f["x"] = clipped
        f["x"].attrs["fs"] = 1000.0
    with pytest.warns(DataQualityWarning, match=r"clip\.h5: channel 'x': possible clipping: \d+"):
        rec = read(path)
    np.testing.assert_array_equal(rec["x"].samples, clipped)


def test_constant_channel_warns(tmp_path: Path) -> None:
    path = tmp_path / "flat.csv"
    path.write_text("x,y\n" + "".join(f"1.5,{i}\n" for i in range(20)))
    with pytest.warns(DataQualityWarning, match=r"flat\.csv: channel 'x': all 20 samples equal"):
        read(path, fs=10.0)


def test_clean_data_gives_no_warning(tmp_path: Path, signals: Signals) -> None:
    path, _ = write(tmp_path, "matlab", signals, 100.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataQualityWarning)
        read(path)


@pytest.mark.refdata
def test_cwru_record_with_full_scale_samples_warns(refdata: Path) -> None:
    path = refdata / "cwru" / "12k_drive_end" / "200.mat.xz"
    with pytest.warns(DataQualityWarning, match=r"X200_DE_time': possible clipping: 4 samples"):
        read(path, format="matlab", fs=12000.0)


def test_xz_head_is_decompressed_for_sniffing(tmp_path: Path, signals: Signals) -> None:
    plain, _ = write(tmp_path, "parquet", signals, 100.0)
    packed = tmp_path / "data.bin.xz"
    packed.write_bytes(lzma.compress(plain.read_bytes()))
    assert read(packed).metadata["format"] == "parquet"


def test_recordings_name_their_reader(tmp_path: Path, signals: Signals) -> None:
    from openphm.acquire import register_reader
    from openphm.acquire.registry import _READERS
    from openphm.core import Recording, Waveform

    def load(source: object, **options: object) -> Recording:
        return Recording((Waveform(np.zeros(4), 4.0, channel="x"),), source=str(source))

    register_reader("plain-test", lambda s: s.head.startswith(b"PLAIN"), load, priority=5)
    try:
        path = tmp_path / "x.plain"
        path.write_bytes(b"PLAIN data")
        assert read(path).metadata["format"] == "plain-test"
    finally:
        del _READERS["plain-test"]


def test_corrupt_global_heap_is_refused_instead_of_hanging(
    tmp_path: Path, signals: Signals
) -> None:
    # Fuzzing found that a global heap collection whose object index points past its end makes
    # the HDF5 library loop forever when it reads a variable-length string attribute. (MAT v7.3
    # files are opened through the same check.)
    path, _ = write(tmp_path, "hdf5", signals, 2560.0)
    data = bytearray(path.read_bytes())
    at = data.find(b"GCOL")
    assert at >= 0, "the writer stores variable-length strings in a global heap"
    data[at + 16 : at + 18] = (43010).to_bytes(2, "little")  # first object's index
    path.write_bytes(bytes(data))
    probe = "\n".join(
        [
            "import sys",
            "from openphm.acquire import read",
            "from openphm.core.errors import DataError",
            "try:",
            f"    read({str(path)!r})",
            "except DataError as exc:",
            "    print(exc)",
            "    sys.exit(3)",
        ]
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 3, done.stderr
    assert str(path) in done.stdout and "global heap" in done.stdout


def test_attribute_of_a_damaged_type_is_skipped_not_read(tmp_path: Path, signals: Signals) -> None:
    # Fuzzing found that a string attribute whose type bits are flipped into a variable-length
    # integer sequence crashes the HDF5 library when read; only numbers and strings are read.
    path, _ = write(tmp_path, "hdf5", signals, 2560.0)
    data = bytearray(path.read_bytes())
    marker = b"unit\x00\x00\x00\x00\x19\x01"  # the attribute's name, then its variable-length type
    at = data.find(marker)
    assert at >= 0, "the writer gives each channel a variable-length 'unit' attribute"
    data[at + len(marker) - 1] = 0xA6
    path.write_bytes(bytes(data))
    probe = "\n".join(
        [
            "from openphm.acquire import read",
            f"rec = read({str(path)!r})",
            "print(len(rec), sorted({w.unit for w in rec}))",
        ]
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("3 ")
