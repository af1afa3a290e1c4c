"""Rebuild the demo excerpt in this folder from the reference data (``OPENPHM_DATA``).

Run from the repository root:
``OPENPHM_DATA=../shared/data .venv/bin/python data/demo/build_demo.py``.

- ``cwru/<record>.mat.xz``: the original CWRU files, xz-compressed (preset 9); their decompressed
  SHA-256 is checked against the reference manifest.
- ``femto/Bearing1_1.zip``: a few original PRONOSTIA CSV files of Bearing1_1, rebuilt byte for byte
  from the lossless Parquet copy with the rule of the reference data's README and checked against
  the SHA-256 of the original files.
- ``femto/learning_set/Bearing3_1_acc.parquet``: the reference data's lossless Parquet file of
  Bearing3_1's whole life, copied unchanged (checked against the reference ``SHA256SUMS``).
- ``SHA256SUMS``: digests of the files committed here.
"""

from __future__ import annotations

import csv
import hashlib
import lzma
import os
import zipfile
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
DATA = Path(os.environ["OPENPHM_DATA"])
CWRU_RECORDS = (97, 105, 130)
BEARING = "Bearing1_1"
#: Early life, the two snapshots with the clock glitch, and the last ones before failure.
ACC = (1, 2, 3, 4, 5, 2121, 2122, 2799, 2800, 2801, 2802, 2803)
TEMP = (1, 466)
#: The bearing whose whole life ``openphm demo`` replays, in the reference data's Parquet layout.
LIFE = "femto/learning_set/Bearing3_1_acc.parquet"
ZIP_TIME = (2012, 1, 1, 0, 0, 0)


def g5(value: float, exponent_digits: int) -> str:
    """C ``%.5g`` with the exponent padded to ``exponent_digits`` digits (Windows printf style)."""
    text = f"{value:.5g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{exponent[0]}{exponent[1:].zfill(exponent_digits)}"
    return text


def build_cwru() -> list[Path]:
    manifest = {int(r["record"]): r for r in csv.DictReader((DATA / "cwru/manifest.csv").open())}
    out = []
    for record in CWRU_RECORDS:
        row = manifest[record]
        src = DATA / "cwru" / row["file"]
        raw = lzma.open(src).read() if src.suffix == ".xz" else src.read_bytes()
        assert hashlib.sha256(raw).hexdigest() == row["mat_sha256"], record
        target = HERE / "cwru" / f"{record}.mat.xz"
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(lzma.compress(raw, preset=9))
        out.append(target)
    return out


def femto_originals() -> dict[str, bytes]:
    learning = DATA / "femto" / "learning_set"
    sums = {
        r["file"]: r["sha256"]
        for r in csv.DictReader((learning / "original_files.csv").open())
        if r["bearing"] == BEARING
    }
    acc = pd.read_parquet(learning / f"{BEARING}_acc.parquet", filters=[("snapshot", "in", ACC)])
    neg = pd.read_parquet(learning / "acc_negative_zero.parquet")
    neg = neg[(neg["bearing"] == BEARING) & neg["snapshot"].isin(ACC)]
    negative = {(int(s), int(r), str(c)) for s, r, c in neg[["snapshot", "row", "column"]].values}
    files = {}
    for k, snap in acc.groupby("snapshot"):
        lines = []
        for row, rec in enumerate(snap.itertuples(index=False)):
            h = "-0" if (k, row, "horiz") in negative else g5(rec.horiz_milli_g / 1000, 3)
            v = "-0" if (k, row, "vert") in negative else g5(rec.vert_milli_g / 1000, 3)
            us = g5(rec.microsecond, 3)
            lines.append(f"{rec.hour},{rec.minute},{rec.second},{us},{h},{v}\n")
        files[f"acc_{k:05d}.csv"] = "".join(lines).encode()
    temp = pd.read_parquet(learning / f"{BEARING}_temp.parquet")
    for k in TEMP:
        rows = temp[temp["file_index"] == k]
        text = "".join(
            f"{r.hour},{r.minute},{r.second},{r.tenth},{g5(r.temp_milli_c / 1000, 3)}\n"
            for r in rows.itertuples(index=False)
        )
        files[f"temp_{k:05d}.csv"] = text.encode()
    for name, data in files.items():
        assert hashlib.sha256(data).hexdigest() == sums[name], name
    return files


def build_femto() -> Path:
    target = HERE / "femto" / f"{BEARING}.zip"
    target.parent.mkdir(exist_ok=True)
    with zipfile.ZipFile(target, "w") as zf:
        for name, data in sorted(femto_originals().items()):
            info = zipfile.ZipInfo(f"{BEARING}/{name}", ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data, compresslevel=9)
    return target


def copy_life() -> Path:
    lines = (DATA / "SHA256SUMS").read_text().splitlines()
    sums = {name: digest for digest, name in (line.split(maxsplit=1) for line in lines)}
    data = (DATA / LIFE).read_bytes()
    assert hashlib.sha256(data).hexdigest() == sums[LIFE], LIFE
    target = HERE / LIFE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target


def main() -> None:
    files = [*build_cwru(), build_femto(), copy_life()]
    lines = [
        f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(HERE)}\n" for p in files
    ]
    (HERE / "SHA256SUMS").write_text("".join(lines))
    for p in files:
        print(f"{p.relative_to(HERE)}: {p.stat().st_size} bytes")


if __name__ == "__main__":
    main()
