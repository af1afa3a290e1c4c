"""CWRU loader: record table, official and mirror names, odd keys, 48 kHz baseline, download."""

from __future__ import annotations

import functools
import lzma
import shutil
import warnings
from pathlib import Path

import numpy as np
import pytest
import scipy.io
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import openphm.acquire
from openphm.acquire.datasets import cwru_record, cwru_records, demo_path, load_cwru, read_cwru
from openphm.acquire.datasets.cwru import download, record_from_name, sniff
from openphm.acquire.registry import source_for
from openphm.core.errors import ConfigError, DataError, DataQualityWarning

#: The 60 records of Smith and Randall (2015), 12 kHz drive-end faults.
SMITH_RANDALL = {
    *range(105, 109), *range(118, 122), *range(130, 134), *range(144, 148), 156, 158, 159, 160,
    *range(169, 173), *range(185, 189), *range(197, 201), *range(209, 213), *range(222, 226),
    *range(234, 238), *range(246, 250), *range(258, 262), *range(3001, 3009),
}  # fmt: skip


def _link(target: Path, name: str, folder: Path) -> Path:
    link = folder / name
    link.symlink_to(target)
    return link


def _cwru_file(root: Path, record: int) -> Path:
    folder = root / "cwru"
    for candidate in (f"normal/{record}.mat", f"12k_drive_end/{record}.mat"):
        if (folder / candidate).is_file():
            return folder / candidate
    return folder / f"12k_drive_end/{record}.mat.xz"


# ---- the record table ---------------------------------------------------------------------------


def test_table_holds_the_benchmark_set_and_the_baselines() -> None:
    for record in SMITH_RANDALL:
        info = cwru_record(record)
        assert info.fs_hz == 12000.0
        assert info.fault in {"inner", "outer", "ball"}
        assert info.fault_end == "DE"
        assert info.mat_sha256 is not None
    for record, load in zip((97, 98, 99, 100), range(4), strict=True):
        info = cwru_record(record)
        assert (info.fault, info.load_hp, info.fs_hz, info.channels) == (
            "normal",
            load,
            48000.0,
            ("DE", "FE"),
        )


def test_table_labels() -> None:
    assert cwru_record(160).or_position == 12
    assert cwru_record(246).or_position == 3
    assert cwru_record(200).or_position == 6
    assert cwru_record(118).or_position is None
    odd = cwru_record(3005)
    assert (odd.fault, odd.size_in, odd.key_record, odd.makers["DE"]) == ("ball", 0.028, 48, "NTN")
    assert cwru_record(105).bearings == {"DE": "6205", "FE": "6203"}
    assert {cwru_record(r).rpm_nominal for r in (105, 106, 107, 108)} == {1797, 1772, 1750, 1730}
    with pytest.raises(DataError, match="157 is not in the table"):
        cwru_record(157)


@pytest.mark.parametrize(
    ("name", "record"),
    [
        ("118.mat", 118),
        ("12k_Drive_End_B007_0_118.mat", 118),
        ("normal_0_97.mat", 97),
        ("3001.mat.xz", 3001),
        ("/a/b/12k_Drive_End_OR021@6_3_237.mat.xz", 237),
        ("IR007_0.mat", None),
        ("157.mat", None),
        ("x105y.mat", None),
    ],
)
def test_record_from_name(name: str, record: int | None) -> None:
    assert record_from_name(name) == record


# ---- reading (demo excerpt: always available) ---------------------------------------------------


def test_read_demo_inner_race_record() -> None:
    rec = read_cwru(demo_path("cwru/105.mat.xz"))
    assert rec.channel_names == ("DE", "FE", "BA")
    de = rec["DE"]
    assert (de.fs, de.unit, de.n_samples) == (12000.0, "g", 121265)
    assert de.speed_hz == pytest.approx(1797 / 60)
    meta = rec.metadata
    assert (meta["record"], meta["fault"], meta["size_in"], meta["load_hp"]) == (
        105,
        "inner",
        0.007,
        0,
    )
    assert meta["rpm_measured"] == 1797.0
    assert meta["bearings"] == {"DE": "6205", "FE": "6203"}
    assert meta["variables"]["DE"] == "X105_DE_time"
    assert "X105_DE_time" in de.source


def test_read_demo_baseline_is_48k_with_two_channels() -> None:
    rec = read_cwru(demo_path("cwru/97.mat.xz"))
    assert rec.channel_names == ("DE", "FE")
    assert rec["DE"].fs == 48000.0
    assert rec["DE"].n_samples == 243938
    assert rec.metadata["fault"] == "normal"
    assert rec.metadata["rpm_measured"] == 1796.0


def test_channel_selection_and_option_errors() -> None:
    path = demo_path("cwru/130.mat.xz")
    assert read_cwru(path, channels=["DE"]).channel_names == ("DE",)
    with pytest.raises(ConfigError, match=r"130\.mat\.xz: unknown channel"):
        read_cwru(path, channels=["XX"])
    with pytest.raises(ConfigError, match="unknown option"):
        read_cwru(path, fs=1000.0)


def test_registry_read_returns_a_labelled_recording() -> None:
    rec = openphm.acquire.read(demo_path("cwru/130.mat.xz"))
    assert rec.metadata["dataset"] == "CWRU"
    assert rec.metadata["or_position"] == 6
    assert rec["DE"].fs == 12000.0


def test_mirror_names_and_unnamed_files(tmp_path: Path) -> None:
    xz = demo_path("cwru/105.mat.xz")
    mirror = _link(xz, "12k_Drive_End_IR007_0_105.mat.xz", tmp_path)
    assert sniff(source_for(mirror))
    assert read_cwru(mirror).metadata["record"] == 105
    # A mirror that drops the record number: the variables still name it.
    bare = _link(xz, "IR007_0.mat.xz", tmp_path)
    assert not sniff(source_for(bare))
    assert read_cwru(bare).metadata["record"] == 105
    assert read_cwru(bare, record=105).metadata["name"] == "IR007_0"


def test_name_and_variables_disagree_warns(tmp_path: Path) -> None:
    wrong = _link(demo_path("cwru/105.mat.xz"), "118.mat.xz", tmp_path)
    with pytest.warns(DataQualityWarning, match="X105_DE_time"):
        rec = read_cwru(wrong)
    assert rec.metadata["record"] == 118


def test_not_a_cwru_file(tmp_path: Path) -> None:
    junk = tmp_path / "105.mat"
    junk.write_bytes(b"MATLAB 5.0 MAT-file" + b"\0" * 200)
    assert not sniff(source_for(junk))
    with pytest.raises(DataError, match=r"105\.mat"):
        read_cwru(junk)
    mystery = tmp_path / "mystery.mat"
    scipy.io.savemat(mystery, {"X056_DE_time": np.sin(np.arange(10.0)).reshape(-1, 1)})
    with pytest.raises(DataError, match="cannot tell which CWRU record"):
        read_cwru(mystery)
    assert read_cwru(mystery, record=3001).metadata["name"] == "IR028_0"


def test_a_mat_file_without_cwru_channels(tmp_path: Path) -> None:
    path = tmp_path / "105.mat"
    scipy.io.savemat(path, {"signal": np.zeros(10)})
    assert not sniff(source_for(path))
    with pytest.raises(DataError, match="no CWRU channel"):
        read_cwru(path)


@functools.cache
def _raw_105() -> bytes:
    with lzma.open(demo_path("cwru/105.mat.xz")) as fh:
        return fh.read()


@pytest.fixture
def raw_105() -> bytes:
    return _raw_105()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cut=st.integers(min_value=0, max_value=2_910_768),
    where=st.integers(min_value=0, max_value=400),
    flip=st.integers(0, 255),
)
def test_fuzz_truncated_or_corrupt_file(tmp_path: Path, cut: int, where: int, flip: int) -> None:
    """Any truncation, or a flipped byte in the headers, gives a DataError or a valid record."""
    data = bytearray(_raw_105()[:cut])
    if where < len(data):
        data[where] ^= flip
    path = tmp_path / "105.mat"
    path.write_bytes(bytes(data))
    try:
        rec = read_cwru(path)
    except DataError:
        return
    assert rec.metadata["record"] == 105


def test_cwru_records_scans_a_folder_of_official_and_mirror_names(tmp_path: Path) -> None:
    for name in ("cwru/97.mat.xz", "cwru/130.mat.xz"):
        shutil.copy(demo_path(name), tmp_path)
    _link(demo_path("cwru/105.mat.xz"), "12k_Drive_End_IR007_0_105.mat.xz", tmp_path)
    (tmp_path / "notes_105.txt").write_text("not a record")
    found = cwru_records(tmp_path)
    assert [r.record for r in found] == [97, 105, 130]
    assert found[1].path == tmp_path / "12k_Drive_End_IR007_0_105.mat.xz"
    assert load_cwru(found[1]).metadata["record"] == 105
    _link(demo_path("cwru/105.mat.xz"), "105.mat.xz", tmp_path)
    with pytest.warns(DataQualityWarning, match="found twice"):
        cwru_records(tmp_path)


def test_load_cwru_missing_record(tmp_path: Path) -> None:
    shutil.copy(demo_path("cwru/97.mat.xz"), tmp_path)
    with pytest.raises(DataError, match="record 105 not found"):
        load_cwru(105, tmp_path)
    with pytest.raises(DataError, match="not in the table"):
        load_cwru(104, tmp_path)


# ---- download (local file:// source) ------------------------------------------------------------


def test_download_verifies_against_the_table(tmp_path: Path, raw_105: bytes) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "105.mat").write_bytes(raw_105)
    url = site.as_uri() + "/{record}.mat"
    paths = download(tmp_path / "dest", records=[105], url=url)
    assert paths == [tmp_path / "dest" / "105.mat"]
    assert [r.record for r in cwru_records(tmp_path / "dest")] == [105]
    (site / "118.mat").write_bytes(raw_105)
    with pytest.raises(DataError, match="SHA-256 mismatch"):
        download(tmp_path / "dest", records=[118], url=url)
    assert not (tmp_path / "dest" / "118.mat").exists()


def test_download_without_checksum_warns(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "98.mat").write_bytes(b"stand-in")
    with pytest.warns(DataQualityWarning, match="no known checksum"):
        download(tmp_path / "dest", records=[98], url=site.as_uri() + "/{record}.mat")


# ---- the reference data -------------------------------------------------------------------------


def test_manifest_lists_all_records(refdata: Path) -> None:
    found = cwru_records(refdata)
    assert {r.record for r in found} == SMITH_RANDALL | {97}
    assert all(r.path is not None and r.path.is_file() for r in found)


def test_original_plain_files(refdata: Path) -> None:
    rec = read_cwru(_cwru_file(refdata, 118))
    assert (rec.metadata["fault"], rec.metadata["size_in"]) == ("ball", 0.007)
    rec = load_cwru(97, refdata)
    assert rec.channel_names == ("DE", "FE")
    assert rec["FE"].fs == 48000.0


@pytest.mark.parametrize(("record", "key"), [(3001, "X056_DE_time"), (3008, "X051_DE_time")])
def test_odd_keys_of_the_0028_records(refdata: Path, record: int, key: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataQualityWarning)
        rec = load_cwru(record, refdata)
    assert rec.channel_names == ("DE",)
    assert rec.metadata["variables"] == {"DE": key}
    assert rec.metadata["rpm_measured"] is None
    assert rec["DE"].speed_hz == pytest.approx(cwru_record(record).rpm_nominal / 60)
    assert rec.metadata["bearing_makers"] == {"DE": "NTN"}


def test_mirror_names_on_the_originals(refdata: Path, tmp_path: Path) -> None:
    ball = _link(_cwru_file(refdata, 118), "12k_Drive_End_B007_0_118.mat", tmp_path)
    normal = _link(_cwru_file(refdata, 97), "normal_0_97.mat", tmp_path)
    assert openphm.acquire.read(ball).metadata["name"] == "B007_0"
    assert openphm.acquire.read(normal)["DE"].fs == 48000.0


def test_slightly_clipped_record_still_loads(refdata: Path) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rec = openphm.acquire.read(_cwru_file(refdata, 200))
    assert all(issubclass(w.category, DataQualityWarning) for w in caught)
    assert rec.metadata["name"] == "OR014@6_3"
    assert rec["DE"].speed_hz == pytest.approx(1723 / 60)
