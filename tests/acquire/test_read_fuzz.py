"""Fuzzing read() and the diagnosis: whatever the bytes, the result is a valid Recording (and
a diagnosis) or an OpenPHMError, never another exception, a hang or a MemoryError.

Inputs: random bytes under every suffix, valid files of every format cut at random points or with
random bytes overwritten, format magic followed by garbage, and random CSV-like text; and valid
records long enough to diagnose, damaged the same ways, run through read() and the diagnosis.
"""

from __future__ import annotations

import itertools
import math
import os
import warnings
from pathlib import Path

import numpy as np
import pytest
from acquire_writers import WRITERS, known_signals, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openphm.acquire import read
from openphm.acquire.channels import pick_channel
from openphm.core import OpenPHMError, Recording
from openphm.diagnose import diagnose_bearing

SUFFIXES = ["", ".mat", ".csv", ".txt", ".wav", ".tdms", ".uff", ".h5", ".parquet", ".mat.gz"]
MAGICS = [
    b"MATLAB 5.0 MAT-file".ljust(124) + b"\x00\x01IM",
    b"\x89HDF\r\n\x1a\n",
    b"PAR1",
    b"TDSm",
    b"RIFF\x24\x08\x00\x00WAVEfmt ",
    b"fLaC",
    b"    -1\n    58\n",
]
#: Examples per fuzz test; raise ``OPENPHM_FUZZ_EXAMPLES`` for a deeper run outside CI.
FUZZ = settings(
    max_examples=int(os.environ.get("OPENPHM_FUZZ_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_counter = itertools.count()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module")
def valid_files(workdir: Path) -> dict[str, tuple[bytes, str]]:
    """Bytes and file name of one small valid file per format."""
    out = {}
    for fmt in WRITERS:
        folder = workdir / f"valid_{fmt}"
        folder.mkdir()
        path, _ = write(folder, fmt, known_signals(n=64, fs=1000.0), 1000.0)
        out[fmt] = (path.read_bytes(), path.name)
    return out


def _check(workdir: Path, name: str, content: bytes) -> None:
    path = workdir / f"{next(_counter)}_{name}"
    path.write_bytes(content)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rec = read(path)
    except OpenPHMError as exc:
        assert str(path) in str(exc), f"the message must name the file: {exc}"
        return
    finally:
        path.unlink()
    assert isinstance(rec, Recording)
    for wave in rec:
        assert wave.n_samples > 0
        assert np.isfinite(wave.samples).all()
        assert math.isfinite(wave.fs) and wave.fs > 0


@FUZZ
@given(content=st.binary(min_size=1, max_size=3000), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes(workdir: Path, content: bytes, suffix: str) -> None:
    _check(workdir, f"random{suffix}", content)


@FUZZ
@given(magic=st.sampled_from(MAGICS), tail=st.binary(max_size=2000))
def test_magic_then_garbage(workdir: Path, magic: bytes, tail: bytes) -> None:
    _check(workdir, "magic", magic + tail)


@FUZZ
@given(fmt=st.sampled_from(list(WRITERS)), cut=st.floats(0.0, 1.0, exclude_max=True))
def test_truncated_valid_files(
    workdir: Path, valid_files: dict[str, tuple[bytes, str]], fmt: str, cut: float
) -> None:
    content, name = valid_files[fmt]
    _check(workdir, name, content[: max(1, int(cut * len(content)))])


@FUZZ
@given(
    fmt=st.sampled_from(list(WRITERS)),
    edits=st.lists(
        st.tuples(st.floats(0.0, 1.0, exclude_max=True), st.binary(min_size=1, max_size=8)),
        min_size=1,
        max_size=6,
    ),
)
def test_corrupted_valid_files(
    workdir: Path,
    valid_files: dict[str, tuple[bytes, str]],
    fmt: str,
    edits: list[tuple[float, bytes]],
) -> None:
    content, name = valid_files[fmt]
    data = bytearray(content)
    for where, patch in edits:
        at = int(where * len(data))
        data[at : at + len(patch)] = patch
    _check(workdir, name, bytes(data))


CSV_ALPHABET = '0123456789.,;\t -+eEnaif\n\r"#:=xy()'


@FUZZ
@given(text=st.text(alphabet=CSV_ALPHABET, min_size=1, max_size=400))
def test_random_csv_text(workdir: Path, text: str) -> None:
    _check(workdir, "fuzz.csv", text.encode())


@FUZZ
@given(
    rows=st.lists(
        st.lists(
            st.floats(allow_nan=False, allow_infinity=False, width=64), min_size=2, max_size=2
        ),
        min_size=1,
        max_size=30,
    ),
    sep=st.sampled_from([",", ";", "\t", " "]),
)
def test_numeric_tables_round_trip(workdir: Path, rows: list[list[float]], sep: str) -> None:
    text = f"a{sep}b\n" + "".join(sep.join(map(repr, r)) + "\n" for r in rows)
    path = workdir / f"{next(_counter)}_table.csv"
    path.write_text(text)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rec = read(path, fs=1.0)
    path.unlink()
    np.testing.assert_array_equal(rec["a"].samples, [r[0] for r in rows])
    np.testing.assert_array_equal(rec["b"].samples, [r[1] for r in rows])


@pytest.fixture(scope="module")
def diagnosable_files(workdir: Path) -> dict[str, tuple[bytes, str]]:
    """Bytes and file name of a 1 s record at 12 kHz per format, long enough to diagnose."""
    out = {}
    for fmt in WRITERS:
        folder = workdir / f"long_{fmt}"
        folder.mkdir()
        path, _ = write(folder, fmt, known_signals(n=12000, fs=12000.0), 12000.0)
        out[fmt] = (path.read_bytes(), path.name)
    return out


def _diagnose(workdir: Path, name: str, content: bytes, speed_hz: float | None) -> None:
    path = workdir / f"{next(_counter)}_{name}"
    path.write_bytes(content)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wave = pick_channel(
                read(path, fs=12000.0) if name.endswith(".csv") else read(path), None
            )
            found = diagnose_bearing(wave, "6205", speed_hz)
    except OpenPHMError:
        return
    finally:
        path.unlink()
    assert found.verdict in ("healthy", "undetermined", "outer", "inner", "ball", "cage")
    assert 0.0 <= found.confidence <= 1.0


#: Fewer examples: each runs a diagnosis (about 0.1 s).
DIAGNOSE_FUZZ = settings(
    max_examples=int(os.environ.get("OPENPHM_FUZZ_EXAMPLES", "12")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@DIAGNOSE_FUZZ
@given(
    fmt=st.sampled_from(list(WRITERS)),
    cut=st.floats(0.05, 1.0),
    edits=st.lists(
        st.tuples(st.floats(0.0, 1.0, exclude_max=True), st.binary(min_size=1, max_size=8)),
        max_size=4,
    ),
    speed_hz=st.sampled_from([None, 29.95, 1e-3, 5999.0, 1.6e7]),
)
def test_damaged_records_diagnose_or_refuse(
    workdir: Path,
    diagnosable_files: dict[str, tuple[bytes, str]],
    fmt: str,
    cut: float,
    edits: list[tuple[float, bytes]],
    speed_hz: float | None,
) -> None:
    content, name = diagnosable_files[fmt]
    data = bytearray(content[: max(1, int(cut * len(content)))])
    for where, patch in edits:
        at = int(where * len(data))
        data[at : at + len(patch)] = patch
    _diagnose(workdir, name, bytes(data), speed_hz)
