"""The shared downloader: checksum verification, atomic writes, safe (nested) zip extraction.

No test touches the network: sources are ``file://`` URLs or in-memory openers.
"""

from __future__ import annotations

import hashlib
import io
import urllib.error
import zipfile
from pathlib import Path
from typing import IO

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openphm.acquire.datasets.download import (
    digest_of_listing,
    extract_zip,
    fetch,
    sha256_file,
    verify_files,
)
from openphm.core.errors import DataError

PAYLOAD = b"openphm" * 1000
DIGEST = hashlib.sha256(PAYLOAD).hexdigest()


def _never(url: str) -> IO[bytes]:
    raise AssertionError(f"unexpected download of {url}")


def test_sha256_file_matches_hashlib(tmp_path: Path) -> None:
    path = tmp_path / "x.bin"
    path.write_bytes(PAYLOAD)
    assert sha256_file(path) == DIGEST


def test_fetch_file_url_verified(tmp_path: Path) -> None:
    src = tmp_path / "src.bin"
    src.write_bytes(PAYLOAD)
    seen: list[tuple[int, int | None]] = []
    out = fetch(
        src.as_uri(),
        tmp_path / "sub" / "dst.bin",
        sha256=DIGEST.upper(),
        progress=lambda done, total: seen.append((done, total)),
    )
    assert out.read_bytes() == PAYLOAD
    assert seen[-1][0] == len(PAYLOAD)
    assert not (tmp_path / "sub" / "dst.bin.part").exists()


def test_fetch_checksum_mismatch_leaves_nothing(tmp_path: Path) -> None:
    dest = tmp_path / "dst.bin"
    with pytest.raises(DataError, match="SHA-256 mismatch"):
        fetch("mem://x", dest, sha256="0" * 64, opener=lambda url: io.BytesIO(PAYLOAD))
    assert list(tmp_path.iterdir()) == []


def test_fetch_keeps_a_valid_file_unless_forced(tmp_path: Path) -> None:
    dest = tmp_path / "dst.bin"
    dest.write_bytes(PAYLOAD)
    assert fetch("mem://x", dest, sha256=DIGEST, opener=_never) == dest
    fetch("mem://x", dest, sha256=DIGEST, force=True, opener=lambda url: io.BytesIO(PAYLOAD))
    assert dest.read_bytes() == PAYLOAD


def test_fetch_replaces_a_corrupt_file(tmp_path: Path) -> None:
    dest = tmp_path / "dst.bin"
    dest.write_bytes(b"partial")
    fetch("mem://x", dest, sha256=DIGEST, opener=lambda url: io.BytesIO(PAYLOAD))
    assert dest.read_bytes() == PAYLOAD


def test_fetch_network_failure_is_a_data_error(tmp_path: Path) -> None:
    def refuse(url: str) -> IO[bytes]:
        raise urllib.error.URLError("no route to host")

    with pytest.raises(DataError, match="download failed"):
        fetch("https://example.invalid/x", tmp_path / "x", opener=refuse)
    with pytest.raises(DataError, match="download failed"):
        fetch((tmp_path / "missing").as_uri(), tmp_path / "y")


def test_extract_zip_refuses_members_outside_the_destination(tmp_path: Path) -> None:
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("../escaped.txt", "x")
    with pytest.raises(DataError, match="escape"):
        extract_zip(archive, tmp_path / "out")
    assert not (tmp_path / "escaped.txt").exists()


def test_extract_zip_unpacks_nested_archives(tmp_path: Path) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("Learning_set/a.csv", "1\n")
    outer = tmp_path / "outer.zip"
    with zipfile.ZipFile(outer, "w") as zf:
        zf.writestr("top/inner.zip", inner.getvalue())
        zf.writestr("top/readme.txt", "hi")
    files = extract_zip(outer, tmp_path / "out")
    assert sorted(p.relative_to(tmp_path / "out").as_posix() for p in files) == [
        "top/inner/Learning_set/a.csv",
        "top/readme.txt",
    ]
    assert not (tmp_path / "out" / "top" / "inner.zip").exists()


def test_extract_zip_rejects_a_non_zip(tmp_path: Path) -> None:
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip")
    with pytest.raises(DataError, match="cannot extract"):
        extract_zip(bad, tmp_path / "out")


def test_verify_files_reports_missing_and_different(tmp_path: Path) -> None:
    (tmp_path / "a").write_bytes(PAYLOAD)
    (tmp_path / "b").write_bytes(b"other")
    verify_files(tmp_path, {"a": DIGEST})
    with pytest.raises(DataError, match=r"b differs .*c missing"):
        verify_files(tmp_path, {"a": DIGEST, "b": DIGEST, "c": DIGEST})


@settings(max_examples=30, deadline=None)
@given(
    st.dictionaries(
        st.text(alphabet="abc_0123456789.", min_size=1, max_size=12),
        st.text(alphabet="0123456789abcdef", min_size=64, max_size=64),
        max_size=8,
    ),
    st.randoms(use_true_random=False),
)
def test_digest_of_listing_ignores_order(entries: dict[str, str], rnd: object) -> None:
    pairs = list(entries.items())
    shuffled = pairs[:]
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert digest_of_listing(pairs) == digest_of_listing(shuffled)
