"""The delimited-text reader: layout detection, time columns, units, selection and clear errors."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest

from openphm.acquire import read
from openphm.acquire.formats.delimited import decode_head, detect_layout
from openphm.core.errors import ConfigError, DataError


def _write(tmp_path: Path, text: str, name: str = "rec.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


X = [0.5, -0.25, 1.5e-3, 2.0]
Y = [1.0, 2.0, 3.0, 4.0]


def _table(sep: str, head: str = "x{sep}y", end: str = "\n", comma: bool = False) -> str:
    rows = "".join(f"{a}{sep}{b}{end}" for a, b in zip(X, Y, strict=True))
    return head.format(sep=sep) + end + (rows.replace(".", ",") if comma else rows)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (_table(","), "comma.csv"),
        (_table(";"), "semi.csv"),
        (_table("\t"), "tab.tsv"),
        (_table("|"), "pipe.txt"),
        (_table("   ", head="  x y"), "space.dat"),
        (_table(";", comma=True), "decimal_comma.csv"),
        (_table("\t", comma=True), "decimal_comma.tsv"),
        (_table(",", head='"x","y"', end="\r\n"), "crlf.csv"),
    ],
)
def test_delimiters_decimal_marks_and_quotes(tmp_path: Path, text: str, name: str) -> None:
    rec = read(_write(tmp_path, text, name), fs=100.0)
    assert rec.channel_names == ("x", "y")
    np.testing.assert_array_equal(rec["x"].samples, X)
    np.testing.assert_array_equal(rec["y"].samples, Y)


def test_no_header_names_channels_by_position(tmp_path: Path) -> None:
    rec = read(_write(tmp_path, "1,2\n3,4\n5,6\n"), fs=1.0)
    assert rec.channel_names == ("ch0", "ch1")
    np.testing.assert_array_equal(rec["ch1"].samples, [2, 4, 6])


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "latin-1"])
def test_encodings(tmp_path: Path, encoding: str) -> None:
    rec = read(_write(tmp_path, "accél (g),b\n1,2\n3,4\n", encoding=encoding), fs=1.0)
    assert rec.channel_names == ("accél", "b")
    assert rec["accél"].unit == "g"


def test_time_column_in_ms_gives_rate_and_is_not_a_channel(tmp_path: Path) -> None:
    rows = "".join(f"{i * 0.5},{i},{-i}\n" for i in range(50))
    rec = read(_write(tmp_path, "Time (ms),DE [m/s^2],FE [m/s^2]\n" + rows))
    assert rec.channel_names == ("DE", "FE")
    assert rec["DE"].fs == pytest.approx(2000.0)
    assert rec["FE"].unit == "m/s^2"


def test_explicit_time_column(tmp_path: Path) -> None:
    rows = "".join(f"{i},{i / 100},{i * 2}\n" for i in range(10))
    rec = read(_write(tmp_path, "n,clock,x\n" + rows), time_column="clock")
    assert rec.channel_names == ("n", "x")
    assert rec["x"].fs == pytest.approx(100.0)


def test_non_uniform_time_column_is_an_error(tmp_path: Path) -> None:
    times = [0.0, 0.1, 0.2, 0.5, 0.6]
    text = "t,x\n" + "".join(f"{t},{i}\n" for i, t in enumerate(times))
    with pytest.raises(DataError, match="not uniformly sampled"):
        read(_write(tmp_path, text))
    assert read(_write(tmp_path, text), fs=10.0).channel_names == ("x",)


def test_comment_preamble_gives_rate_and_metadata(tmp_path: Path) -> None:
    text = "# Sample rate: 25600 Hz\n# sensor = DE\n% exported\n0.1\n0.2\n0.3\n"
    rec = read(_write(tmp_path, text, "pre.txt"))
    assert rec["ch0"].fs == 25600.0
    assert rec.metadata["sensor"] == "DE"


def test_text_columns_are_skipped(tmp_path: Path) -> None:
    text = "stamp,label,v\n2024-01-01 00:00:00,ok,1.5\n2024-01-01 00:00:01,ok,2.5\n"
    assert read(_write(tmp_path, text), fs=1.0).channel_names == ("v",)


def test_selection_by_label_name_and_file_position(tmp_path: Path) -> None:
    text = "t,DE (g),FE (g)\n" + "".join(f"{i / 10},{i},{2 * i}\n" for i in range(5))
    path = _write(tmp_path, text)
    assert read(path, channels=["FE (g)"]).channel_names == ("FE",)
    assert read(path, channels="DE").channel_names == ("DE",)
    assert read(path, channels=[2, 1]).channel_names == ("FE", "DE")


def test_compressed_csv(tmp_path: Path) -> None:
    path = tmp_path / "rec.csv.gz"
    path.write_bytes(gzip.compress(b"x\n1\n2\n3\n"))
    np.testing.assert_array_equal(read(path, fs=1.0)["x"].samples, [1, 2, 3])


def test_bad_cell_names_row_and_text(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"column 'b', data row 2 \(line 3\): 'oops' is not a"):
        read(_write(tmp_path, "a,b\n1,2\n3,oops\n4,5\n"), fs=1.0)


def test_decimal_comma_in_comma_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="decimal commas"):
        read(_write(tmp_path, "a,b\n0,5,1,5\n0,7,1,7\n"), fs=1.0)


def test_forced_options(tmp_path: Path) -> None:
    path = _write(tmp_path, "1;2\n3;4\n")
    rec = read(path, delimiter=";", decimal=".", header=True, fs=1.0)
    assert rec.channel_names == ("1", "2")
    with pytest.raises(ConfigError, match="delimiter"):
        read(path, delimiter="x")
    with pytest.raises(ConfigError, match="decimal"):
        read(path, decimal=";")


def test_prose_is_not_claimed() -> None:
    decoded = decode_head(b"Dear reader,\nthis is not a table.\n")
    assert decoded is not None
    with pytest.raises(DataError):
        detect_layout(decoded[0], truncated=False)


def test_header_without_rows_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"rec\.csv"):
        read(_write(tmp_path, "a,b\n"), fs=1.0)
