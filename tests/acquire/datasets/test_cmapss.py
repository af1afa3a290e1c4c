"""C-MAPSS loader: folder, CMAPSSData.zip, NASA's outer zip; RUL labels; FD004 counts; download."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openphm.acquire.datasets import cmapss, load_cmapss, rul_labels
from openphm.core.errors import ConfigError, DataError

SENSORS = " ".join(["1.0"] * 24)


def _lines(units: dict[int, int]) -> str:
    """Rows ``unit cycle settings... sensors...`` with the files' trailing double space."""
    return "".join(
        f"{u} {c} {SENSORS}  \n" for u, n in sorted(units.items()) for c in range(1, n + 1)
    )


def _files(subset: str = "FD001") -> dict[str, str]:
    return {
        f"train_{subset}.txt": _lines({1: 4, 2: 3}),
        f"test_{subset}.txt": _lines({1: 2, 2: 1, 3: 2}),
        f"RUL_{subset}.txt": "10 \n7 \n1 \n",
    }


def _zip(files: dict[str, str], prefix: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, text in files.items():
            zf.writestr(prefix + name, text)
    return buffer.getvalue()


def test_load_from_a_small_zip(tmp_path: Path) -> None:
    archive = tmp_path / "CMAPSSData.zip"
    archive.write_bytes(_zip(_files()))
    ds = load_cmapss("fd001", archive)
    assert ds.name == "FD001"
    assert list(ds.train.columns[:6]) == [
        "unit",
        "cycle",
        "setting_1",
        "setting_2",
        "setting_3",
        "s_1",
    ]
    assert ds.train.columns[-1] == "s_21"
    assert ds.train.shape == (7, 26)
    assert ds.train["unit"].dtype == np.int64
    assert (ds.n_train_units, ds.n_test_units) == (2, 3)
    assert ds.rul.tolist() == [10, 7, 1]
    assert ds.train_rul().tolist() == [3, 2, 1, 0, 2, 1, 0]
    assert ds.test_rul().tolist() == [11, 10, 7, 2, 1]


def test_nasa_outer_zip_and_folder_layouts(tmp_path: Path) -> None:
    outer = tmp_path / "outer.zip"
    with zipfile.ZipFile(outer, "w") as zf:
        zf.writestr(
            "6. Turbofan Engine Degradation Simulation Data Set/CMAPSSData.zip", _zip(_files())
        )
    assert load_cmapss("FD001", outer).source.endswith("CMAPSSData.zip")
    folder = tmp_path / "data" / "cmapss"
    folder.mkdir(parents=True)
    for name, text in _files("FD002").items():
        (folder / name).write_text(text)
    assert load_cmapss("FD002", tmp_path / "data").n_train_units == 2
    assert load_cmapss("FD002", folder).n_test_units == 3


def test_zip_in_a_folder_is_found(tmp_path: Path) -> None:
    (tmp_path / "CMAPSSData.zip").write_bytes(_zip(_files("FD003"), prefix="CMAPSSData/"))
    assert load_cmapss("FD003", tmp_path).rul.size == 3


def test_errors_name_the_problem(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="FD005"):
        load_cmapss("FD005", tmp_path)
    with pytest.raises(DataError, match="no C-MAPSS files"):
        load_cmapss("FD001", tmp_path)
    files = _files()
    files["RUL_FD001.txt"] = "10\n7\n"
    bad_rul = tmp_path / "a.zip"
    bad_rul.write_bytes(_zip(files))
    with pytest.raises(DataError, match="2 RUL values for 3 test units"):
        load_cmapss("FD001", bad_rul)
    files = _files()
    files["train_FD001.txt"] = "1 1 0.5 0.5\n"
    bad_cols = tmp_path / "b.zip"
    bad_cols.write_bytes(_zip(files))
    with pytest.raises(DataError, match="expected 26 numeric columns"):
        load_cmapss("FD001", bad_cols)
    files = _files()
    del files["test_FD001.txt"]
    missing = tmp_path / "c.zip"
    missing.write_bytes(_zip(files))
    with pytest.raises(DataError, match=r"missing test_FD001\.txt"):
        load_cmapss("FD001", missing)
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"PK not really")
    with pytest.raises(DataError, match="not a readable zip"):
        load_cmapss("FD001", junk)


def test_rul_labels_cap_and_validation() -> None:
    df = pd.DataFrame({"unit": [2, 2, 1, 1, 1], "cycle": [1, 2, 1, 2, 3]})
    assert rul_labels(df).tolist() == [1, 0, 2, 1, 0]
    assert rul_labels(df, [5, 100], cap=100).tolist() == [100, 100, 7, 6, 5]
    with pytest.raises(DataError, match="1 values for 2 units"):
        rul_labels(df, [3])


@settings(max_examples=30, deadline=None)
@given(
    lengths=st.lists(st.integers(min_value=1, max_value=30), min_size=1, max_size=6),
    finals=st.lists(st.integers(min_value=0, max_value=200), min_size=6, max_size=6),
)
def test_rul_labels_fall_by_one_per_cycle(lengths: list[int], finals: list[int]) -> None:
    df = pd.DataFrame(
        [(u + 1, c) for u, n in enumerate(lengths) for c in range(1, n + 1)],
        columns=["unit", "cycle"],
    )
    final = finals[: len(lengths)]
    rul = rul_labels(df, final)
    for unit, group in rul.groupby(df["unit"]):
        values = group.to_numpy()
        assert np.all(np.diff(values) == -1)
        assert values[-1] == final[unit - 1]


def test_download_verifies_the_extracted_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _files()
    digests = {n: hashlib.sha256(t.encode()).hexdigest() for n, t in files.items()}
    monkeypatch.setattr(cmapss, "_checksums", lambda: digests)
    outer = tmp_path / "site.zip"
    with zipfile.ZipFile(outer, "w") as zf:
        zf.writestr("6. Turbofan/CMAPSSData.zip", _zip({**files, "readme.txt": "hello"}))
    dest = tmp_path / "dest"
    paths = cmapss.download(dest, url=outer.as_uri())
    assert sorted(p.name for p in paths) == sorted(files)
    assert (dest / "readme.txt").read_text() == "hello"
    assert not (dest / "_cmapss_download").exists()
    assert load_cmapss("FD001", dest).rul.tolist() == [10, 7, 1]
    # Already there and valid: nothing is fetched.
    assert cmapss.download(dest, url=(tmp_path / "gone.zip").as_uri()) == paths
    digests["RUL_FD001.txt"] = "0" * 64
    with pytest.raises(DataError, match=r"RUL_FD001\.txt differs"):
        cmapss.download(dest, url=outer.as_uri(), force=True)


def test_reference_subsets(refdata: Path) -> None:
    expected = {
        "FD001": (100, 20631, 100, 13096),
        "FD002": (260, 53759, 259, 33991),
        "FD003": (100, 24720, 100, 16596),
        "FD004": (249, 61249, 248, 41214),
    }
    for name, (n_train, rows_train, n_test, rows_test) in expected.items():
        ds = load_cmapss(name, refdata)
        assert (ds.n_train_units, len(ds.train), ds.n_test_units, len(ds.test)) == (
            n_train,
            rows_train,
            n_test,
            rows_test,
        )
        assert ds.rul.size == n_test
        assert not ds.train.isna().any().any()
    fd001 = load_cmapss("FD001", refdata)
    assert fd001.rul[:2].tolist() == [112, 98]
    assert fd001.train_rul().iloc[0] == fd001.train.loc[fd001.train["unit"] == 1, "cycle"].max() - 1


def test_reference_checksums_match_the_package_list(refdata: Path) -> None:
    cmapss.verify_files(refdata / "cmapss", cmapss._checksums())
