"""The committed demo excerpt (data/demo): intact, within its size budget, original bytes."""

from __future__ import annotations

import hashlib
import lzma

from openphm.acquire.datasets import cwru_record, cwru_records, demo_path
from openphm.acquire.datasets.download import verify_files

#: Budget for the excerpt committed to the repository (bytes): the CWRU records and one whole
#: FEMTO bearing life (Bearing3_1, 3.8 MB), which the served demo replays.
MAX_BYTES = 7_000_000


def test_excerpt_matches_its_checksums_and_budget() -> None:
    root = demo_path()
    sums = dict(
        reversed(line.split("  ", 1))
        for line in (root / "SHA256SUMS").read_text().splitlines()
        if line
    )
    verify_files(root, sums)
    total = sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
    assert total < MAX_BYTES
    assert (root / "ATTRIBUTION.md").is_file()


def test_cwru_files_decompress_to_the_original_bytes() -> None:
    for info in cwru_records(demo_path()):
        assert info.path is not None
        with lzma.open(info.path) as fh:
            digest = hashlib.sha256(fh.read()).hexdigest()
        assert digest == cwru_record(info.record).mat_sha256
