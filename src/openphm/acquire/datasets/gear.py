"""Loader of the SpectraQuest gearbox set (NREL "Gearbox Fault Diagnosis Data", OpenEI 2018).

Twenty records of a SpectraQuest Gearbox Fault Diagnostics Simulator, healthy and with a broken
tooth, at loads 0 to 90 %, four vibration channels ``a1``..``a4``, stored as lossless Parquet
(exact decimal significand and exponent per value; see the data's README). The set states no
sampling rate, unit, speed or tooth counts: the waveforms come back with ``fs = 1.0``, so every
frequency is in cycles per sample, and with no unit.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pyarrow.parquet as pq

from openphm.acquire.datasets.paths import dataset_dir
from openphm.core.errors import DataError
from openphm.core.waveform import FloatArray, Waveform

__all__ = ["CHANNELS", "GearRecord", "gear_records", "load_gear_record"]

#: The four vibration channels of every record.
CHANNELS = ("a1", "a2", "a3", "a4")
#: Exact powers of ten: dividing a significand by one is a single correctly rounded operation.
_P10 = np.array([float(10**k) for k in range(13)])


@dataclass(frozen=True)
class GearRecord:
    """One record of the set, as ``manifest.csv`` lists it.

    Parameters
    ----------
    file : str
        Parquet file relative to the set's folder (``"Healthy/h30hz0.parquet"``).
    condition : {"healthy", "broken_tooth"}
        The gear's condition.
    load_pct : int
        Load, per cent (0 .. 90).
    n_rows : int
        Samples per channel.
    """

    file: str
    condition: Literal["healthy", "broken_tooth"]
    load_pct: int
    n_rows: int


def gear_records(root: str | Path | None = None) -> tuple[GearRecord, ...]:
    """The records of the set, from its ``manifest.csv``.

    Parameters
    ----------
    root : str or pathlib.Path, optional
        Data root or the ``gear`` folder itself (default ``$OPENPHM_DATA``).

    Returns
    -------
    tuple of GearRecord
        In manifest order.

    Raises
    ------
    DataError
        No manifest, or a row that cannot be read.
    """
    folder = dataset_dir("gear", root)
    path = folder / "manifest.csv"
    if not path.is_file():
        raise DataError(f"{path}: no manifest (is this the gear folder of the reference data?)")
    out = []
    with path.open(newline="") as fh:
        for i, row in enumerate(csv.DictReader(fh), start=2):
            try:
                cond = row["condition"]
                if cond not in ("healthy", "broken_tooth"):
                    raise ValueError(f"condition {cond!r}")
                out.append(
                    GearRecord(row["file"], cond, int(row["load_pct"]), int(row["n_rows"]))  # type: ignore[arg-type]
                )
            except (KeyError, ValueError) as exc:
                raise DataError(f"{path}:{i}: unreadable row ({exc})") from None
    return tuple(out)


def load_gear_record(record: GearRecord, root: str | Path | None = None) -> tuple[Waveform, ...]:
    """The four channels of one record, exact to the CSV's decimal values.

    Parameters
    ----------
    record : GearRecord
        A record of :func:`gear_records`.
    root : str or pathlib.Path, optional
        Data root or the ``gear`` folder itself (default ``$OPENPHM_DATA``).

    Returns
    -------
    tuple of Waveform
        Channels ``a1``..``a4`` with ``fs = 1.0`` (the set gives no sampling rate: frequencies
        are in cycles per sample), no unit and no speed; ``source`` is the file path.

    Raises
    ------
    DataError
        A missing file, or one whose columns or length differ from the manifest.
    """
    path = dataset_dir("gear", root) / record.file
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    table = pq.read_table(path)
    out = []
    for ch in CHANNELS:
        try:
            mant = table.column(f"{ch}_m").to_numpy()
            expo = table.column(f"{ch}_e").to_numpy()
        except KeyError:
            raise DataError(f"{path}: no columns {ch}_m / {ch}_e") from None
        values: FloatArray = mant / _P10[-expo.astype(np.int64)]
        if values.size != record.n_rows:
            raise DataError(f"{path}: {values.size} rows, the manifest says {record.n_rows}")
        out.append(Waveform(values, fs=1.0, channel=ch, source=str(path)))
    return tuple(out)
