"""FEMTO/PRONOSTIA loader: folders, zips and Parquet of a bearing; separators; nominal times."""

from __future__ import annotations

import functools
import io
import tempfile
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import openphm.acquire
from openphm.acquire.datasets import (
    demo_path,
    femto_bearing_info,
    femto_conditions,
    load_femto,
    read_femto,
    read_femto_snapshot,
)
from openphm.acquire.datasets.femto import FemtoBearing, download, sniff, verify_learning_set
from openphm.acquire.registry import source_for
from openphm.core.errors import ConfigError, DataError, DataQualityWarning

DEMO_SNAPSHOTS = [1, 2, 3, 4, 5, 2121, 2122, 2799, 2800, 2801, 2802, 2803]


@pytest.fixture(scope="module")
def demo_zip() -> Path:
    return demo_path("femto/Bearing1_1.zip")


@pytest.fixture(scope="module")
def demo_bearing(demo_zip: Path) -> FemtoBearing:
    return read_femto(demo_zip)


def _extract(archive: Path, dest: Path, *, semicolons: bool = False) -> Path:
    with zipfile.ZipFile(archive) as zf:
        for name in zf.namelist():
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            data = zf.read(name)
            target.write_bytes(data.replace(b",", b";") if semicolons else data)
    return dest / "Bearing1_1"


def test_conditions_and_bearing_table() -> None:
    assert femto_conditions() == {1: (1800.0, 4000.0), 2: (1650.0, 4200.0), 3: (1500.0, 5000.0)}
    info = femto_bearing_info("Bearing1_1")
    assert (info.set, info.n_snapshots, info.rul_s) == ("learning", 2803, None)
    assert femto_bearing_info("Bearing2_6").rul_s == 1290.0
    assert femto_bearing_info("Bearing3_9").load_n == 5000.0
    with pytest.raises(ConfigError, match="BearingC_N"):
        femto_bearing_info("Bearing7_1")


def test_demo_zip_in_time_order_with_nominal_times(demo_bearing: FemtoBearing) -> None:
    b = demo_bearing
    assert (b.name, b.condition, b.fs, b.load_n) == ("Bearing1_1", 1, 25600.0, 4000.0)
    assert b.speed_hz == pytest.approx(30.0)
    assert b.snapshot_numbers.tolist() == DEMO_SNAPSHOTS
    assert b.times_s.tolist() == [10.0 * (k - 1) for k in DEMO_SNAPSHOTS]
    assert b.horiz.shape == b.vert.shape == (len(DEMO_SNAPSHOTS), 2560)
    assert b.rul_s[-1] == 0.0
    assert b.rul_s[0] == 28020.0
    # First row of acc_00001.csv: 9,39,39,65664,0.552,-0.146
    assert b.clock_s[0] == pytest.approx(9 * 3600 + 39 * 60 + 39.065664)
    assert (b.horiz[0, 0], b.vert[0, 0]) == (0.552, -0.146)
    assert not b.horiz.flags.writeable


def test_clock_glitch_is_kept_but_not_used_for_times(demo_bearing: FemtoBearing) -> None:
    b = demo_bearing
    i = DEMO_SNAPSHOTS.index(2121)
    assert b.clock_s[i] == pytest.approx(9 * 3600 + 38 * 60 + 46.86566)
    assert b.clock_s[i] < b.clock_s[i - 1]
    assert b.times_s[i] == 21200.0
    assert np.all(np.diff(b.times_s) > 0)


def test_temperature_on_the_snapshot_time_scale(demo_bearing: FemtoBearing) -> None:
    assert demo_bearing.temp_time_s is not None and demo_bearing.temp_c is not None
    assert demo_bearing.temp_c.size == 600 + 517
    assert demo_bearing.temp_c[0] == 70.378
    # temp_00001 starts at 09:40:47.5, 68.4 s after the first snapshot's 09:39:39.07.
    assert demo_bearing.temp_time_s[0] == pytest.approx(68.434336)
    assert np.all(np.diff(demo_bearing.temp_time_s) >= 0)
    assert demo_bearing.temp_time_s[-1] == pytest.approx(28020.0, abs=60.0)


def test_snapshot_as_recording(demo_bearing: FemtoBearing) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataQualityWarning)
        rec = demo_bearing.snapshot(2)
    assert rec.channel_names == ("horiz", "vert")
    assert (rec["horiz"].fs, rec["horiz"].unit, rec["vert"].n_samples) == (25600.0, "g", 2560)
    assert rec["vert"].speed_hz == pytest.approx(30.0)
    assert rec.metadata["t_nominal_s"] == 10.0
    assert rec.metadata["bearing"] == "Bearing1_1"
    np.testing.assert_array_equal(rec["horiz"].samples, demo_bearing.horiz[1])
    # The last snapshot peaks near the sensor's 50 g range: a clipping warning may come with it.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        last = demo_bearing.snapshot(2803)
    assert all(issubclass(w.category, DataQualityWarning) for w in caught)
    assert last.metadata["t_nominal_s"] == 28020.0
    assert np.abs(last["vert"].samples).max() > 40.0
    with pytest.raises(DataError, match="no snapshot 6"):
        demo_bearing.snapshot(6)


def test_folder_equals_zip_and_semicolons_are_read(
    demo_bearing: FemtoBearing, demo_zip: Path, tmp_path: Path
) -> None:
    plain = read_femto(_extract(demo_zip, tmp_path / "comma"))
    semi = read_femto(_extract(demo_zip, tmp_path / "semi", semicolons=True))
    for other in (plain, semi):
        np.testing.assert_array_equal(other.horiz, demo_bearing.horiz)
        np.testing.assert_array_equal(other.vert, demo_bearing.vert)
        np.testing.assert_array_equal(other.clock_s, demo_bearing.clock_s)
        np.testing.assert_array_equal(other.temp_c, demo_bearing.temp_c)


def test_snapshot_selection(demo_zip: Path) -> None:
    b = read_femto(demo_zip, snapshots=[2803, 1])
    assert b.snapshot_numbers.tolist() == [1, 2803]
    with pytest.raises(DataError, match=r"no snapshot\(s\) \[6\]"):
        read_femto(demo_zip, snapshots=[1, 6])


def test_load_femto_finds_a_zip_under_a_root(demo_zip: Path) -> None:
    b = load_femto("Bearing1_1", demo_zip.parent, snapshots=[2])
    assert b.times_s.tolist() == [10.0]
    with pytest.raises(DataError, match="Bearing2_1: not found"):
        load_femto("Bearing2_1", demo_zip.parent)


def test_single_snapshot_file_through_the_registry(demo_zip: Path, tmp_path: Path) -> None:
    folder = _extract(demo_zip, tmp_path, semicolons=True)
    path = folder / "acc_02122.csv"
    assert sniff(source_for(path))
    assert not sniff(source_for(folder / "temp_00001.csv"))
    rec = openphm.acquire.read(path)
    assert rec.metadata["snapshot"] == 2122
    assert rec.metadata["t_nominal_s"] == 21210.0
    assert read_femto_snapshot(path).channel_names == ("horiz", "vert")
    with pytest.raises(ConfigError, match="unknown option"):
        read_femto_snapshot(path, fs=1.0)
    elsewhere = tmp_path / "acc_00007.csv"
    elsewhere.write_bytes(path.read_bytes())
    with pytest.raises(ConfigError, match=r"acc_00007\.csv: a PRONOSTIA snapshot.*format='csv'"):
        read_femto_snapshot(elsewhere)
    with pytest.warns(DataQualityWarning, match="all 2560 samples equal"):  # the clock columns
        assert len(openphm.acquire.read(elsewhere, format="csv", fs=25600.0).channels) == 6
    assert read_femto_snapshot(elsewhere, bearing="Bearing1_1").metadata["snapshot"] == 7


def test_malformed_files_name_the_file(demo_zip: Path, tmp_path: Path) -> None:
    folder = _extract(demo_zip, tmp_path)
    short = folder / "acc_00003.csv"
    short.write_bytes(b"".join(short.read_bytes().splitlines(keepends=True)[:100]))
    with pytest.raises(DataError, match=r"acc_00003\.csv: 100 rows, expected 2560"):
        read_femto(folder)
    with pytest.raises(DataError, match=r"no acc_NNNNN\.csv"):
        read_femto(tmp_path)
    with pytest.raises(DataError, match="expected a bearing folder"):
        read_femto(demo_path("cwru/105.mat.xz"))


def test_zip_with_two_bearings_needs_a_name(demo_zip: Path, tmp_path: Path) -> None:
    archive = tmp_path / "two.zip"
    with zipfile.ZipFile(demo_zip) as src, zipfile.ZipFile(archive, "w") as dst:
        for name in ("Bearing1_1/acc_00001.csv", "Bearing1_1/acc_00002.csv"):
            dst.writestr(f"Learning_set/{name}", src.read(name))
            dst.writestr(f"Test_set/{name.replace('1_1', '1_3')}", src.read(name))
    with pytest.raises(ConfigError, match="pass bearing"):
        read_femto(archive)
    assert read_femto(archive, bearing="Bearing1_3").name == "Bearing1_3"
    assert read_femto(archive, bearing="Bearing1_1").temp_c is None


@functools.cache
def _first_snapshot() -> bytes:
    with zipfile.ZipFile(demo_path("femto/Bearing1_1.zip")) as zf:
        return zf.read("Bearing1_1/acc_00001.csv")


@settings(max_examples=40, deadline=None)
@given(
    start=st.integers(min_value=0, max_value=78_000),
    noise=st.binary(max_size=40),
    sep=st.sampled_from([b",", b";"]),
)
def test_fuzz_snapshot_zip(start: int, noise: bytes, sep: bytes) -> None:
    """Bytes overwritten anywhere in a snapshot give a DataError or a finite 2560-row snapshot."""
    data = _first_snapshot().replace(b",", sep)
    data = data[:start] + noise + data[start + len(noise) :]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("Bearing1_1/acc_00001.csv", data)
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "Bearing1_1.zip"
        archive.write_bytes(buffer.getvalue())
        try:
            b = read_femto(archive)
        except DataError:
            return
    assert b.horiz.shape == (1, 2560)
    assert np.all(np.isfinite(b.horiz)) and np.all(np.isfinite(b.vert))


# ---- the reference data -------------------------------------------------------------------------


def test_original_zip_equals_parquet(refdata: Path) -> None:
    from_zip = read_femto(refdata / "femto" / "original_csv" / "Bearing3_1.zip")
    from_parquet = load_femto("Bearing3_1", refdata)
    assert from_parquet.source.endswith("Bearing3_1_acc.parquet")
    assert from_zip.n_snapshots == from_parquet.n_snapshots == 515
    for field in ("snapshot_numbers", "times_s", "clock_s", "horiz", "vert", "temp_c"):
        np.testing.assert_array_equal(getattr(from_zip, field), getattr(from_parquet, field))
    np.testing.assert_allclose(from_zip.temp_time_s, from_parquet.temp_time_s)
    # Bearing3_1 writes its temperature with ';' separators; temp_00085 has 417 rows, the last 280.
    assert from_zip.temp_c is not None
    assert from_zip.temp_c.size == 87 * 600 + 417 + 280


def test_parquet_clock_glitch_of_bearing1_1(refdata: Path) -> None:
    b = load_femto("Bearing1_1", refdata, snapshots=range(2119, 2125))
    assert b.times_s.tolist() == [21180.0, 21190.0, 21200.0, 21210.0, 21220.0, 21230.0]
    assert np.diff(b.clock_s).tolist()[1] < -20000
    assert b.temp_c is not None


def test_demo_excerpt_matches_the_reference_parquet(
    refdata: Path, demo_bearing: FemtoBearing
) -> None:
    ref = load_femto("Bearing1_1", refdata, snapshots=DEMO_SNAPSHOTS)
    np.testing.assert_array_equal(ref.horiz, demo_bearing.horiz)
    np.testing.assert_array_equal(ref.vert, demo_bearing.vert)
    np.testing.assert_array_equal(ref.clock_s, demo_bearing.clock_s)


def test_download_extracts_nested_zips_and_verifies(refdata: Path, tmp_path: Path) -> None:
    original = refdata / "femto" / "original_csv" / "Bearing3_1.zip"
    inner = tmp_path / "FEMTOBearingDataSet.zip"
    with zipfile.ZipFile(original) as src, zipfile.ZipFile(inner, "w") as dst:
        for name in src.namelist():
            dst.writestr(f"Learning_set/{name}", src.read(name))
    outer = tmp_path / "site.zip"
    with zipfile.ZipFile(outer, "w") as zf:
        zf.write(inner, "10. FEMTO Bearing/FEMTOBearingDataSet.zip")
    found = download(tmp_path / "dest", url=outer.as_uri())
    assert [p.name for p in found] == ["Bearing3_1"]
    assert not (tmp_path / "dest" / "FEMTO_Bearing.zip").exists()
    assert load_femto("Bearing3_1", found[0].parent, snapshots=[1]).n_snapshots == 1
    (found[0] / "acc_00001.csv").write_bytes(b"tampered\n")
    with pytest.raises(DataError, match="differ from the published learning set"):
        verify_learning_set(tmp_path / "dest")


def _parquet(path: Path, rows_per_snapshot: list[int]) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    snap = np.repeat(np.arange(1, len(rows_per_snapshot) + 1), rows_per_snapshot)
    n = snap.size
    table = pa.table(
        {
            "snapshot": snap.astype(np.int16),
            "hour": np.full(n, 9, np.int8),
            "minute": np.full(n, 0, np.int8),
            "second": np.full(n, 0, np.int8),
            "microsecond": np.zeros(n, np.int32),
            "horiz_milli_g": np.arange(n, dtype=np.int32) % 1000 - 500,
            "vert_milli_g": (np.arange(n, dtype=np.int32) * 7) % 1000 - 500,
        }
    )
    pq.write_table(table, path)
    return path


def test_parquet_layout_without_metadata(tmp_path: Path) -> None:
    path = _parquet(tmp_path / "Bearing2_9_acc.parquet", [2560, 2560])
    b = read_femto(path)
    assert (b.name, b.condition, b.n_snapshots, b.temp_c) == ("Bearing2_9", 2, 2, None)
    assert b.horiz[0, :2].tolist() == [-0.5, -0.499]
    with pytest.raises(DataError, match=r"no snapshot\(s\) \[3\]"):
        read_femto(path, snapshots=[2, 3])
    bad = _parquet(tmp_path / "Bearing2_8_acc.parquet", [2560, 100])
    with pytest.raises(DataError, match="2560 consecutive rows"):
        read_femto(bad)
