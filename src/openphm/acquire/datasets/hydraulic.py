"""UCI "Condition monitoring of hydraulic systems" (ZeMA rig): loader of the cycles and labels.

A hydraulic test rig repeats a 60 s load cycle; 2205 cycles were recorded while the condition of
the cooler, the valve, the pump's internal leakage and the accumulator was set in blocks of
cycles. The shared copy holds the flows FS1, FS2 (10 Hz), the temperatures TS1-TS4, the vibration
VS1 and the virtual sensors CE, CP, SE (1 Hz); the pressures PS1-PS6 and the motor power EPS1 are
absent. The Parquet files store each value times 1000 as an exact integer, in long format (one
row per cycle and sample); ``profile.txt`` holds the labels, one line per cycle.

References
----------
N. Helwig, E. Pignanelli, A. Schuetze, "Condition Monitoring of a Complex Hydraulic System Using
Multivariate Statistics", Proc. I2MTC 2015, Pisa, doi:10.1109/I2MTC.2015.7151267.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from openphm.acquire.datasets.paths import dataset_dir
from openphm.core.errors import DataError

__all__ = [
    "BEST",
    "COMPONENTS",
    "HydraulicCycles",
    "blocks_of",
    "load_hydraulic",
]

#: Label columns of ``profile.txt`` (the fifth is the stable flag).
COMPONENTS = ("cooler", "valve", "pump_leakage", "accumulator")
#: Best state of each component (cooler and valve in %, leakage level, accumulator bar).
BEST = {"cooler": 100, "valve": 100, "pump_leakage": 0, "accumulator": 130}
#: Parquet files and the rate they are sampled at (Hz).
FILES = {"sensors_1hz.parquet": 1.0, "sensors_10hz.parquet": 10.0}

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class HydraulicCycles:
    """The rig's cycles: one array per sensor, the labels and the stable flag.

    Parameters
    ----------
    sensors : dict of str to ndarray
        Per sensor, ``(n_cycles, samples_per_cycle)`` values in the sensor's unit.
    rates_hz : dict of str to float
        Sampling rate of each sensor, Hz.
    units : dict of str to str
        Unit of each sensor.
    labels : dict of str to ndarray
        Per component of :data:`COMPONENTS`, the condition of each cycle (int).
    stable : ndarray of bool
        Whether the rig had reached static conditions (flag 0 in the file).
    source : str
        Folder read.
    """

    sensors: dict[str, FloatArray]
    rates_hz: dict[str, float]
    units: dict[str, str]
    labels: dict[str, IntArray]
    stable: npt.NDArray[np.bool_]
    source: str

    @property
    def n_cycles(self) -> int:
        """Number of cycles."""
        return int(self.stable.size)

    @property
    def healthy(self) -> npt.NDArray[np.bool_]:
        """Cycles with every component in its best state (:data:`BEST`)."""
        out = np.ones(self.n_cycles, dtype=bool)
        for name, best in BEST.items():
            out &= self.labels[name] == best
        return out


def blocks_of(labels: dict[str, IntArray]) -> IntArray:
    """Number the blocks of consecutive cycles that share one condition of every component.

    Parameters
    ----------
    labels : dict of str to ndarray
        Per component, the condition of each cycle (equal lengths, time order).

    Returns
    -------
    ndarray of int
        Block index of each cycle, 0 for the first block, increasing by one at every change.

    Examples
    --------
    >>> blocks_of({"a": np.array([1, 1, 2, 2, 1]), "b": np.array([0, 0, 0, 1, 1])}).tolist()
    [0, 0, 1, 2, 3]
    """
    stacked = np.column_stack([np.asarray(v) for v in labels.values()])
    change = np.any(np.diff(stacked, axis=0) != 0, axis=1)
    return np.concatenate([[0], np.cumsum(change)]).astype(np.int64)


def _read_parquet(path: Path) -> tuple[dict[str, FloatArray], dict[str, str], int]:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except (OSError, ValueError) as exc:
        raise DataError(f"{path}: cannot read the Parquet file ({exc})") from exc
    meta = table.schema.metadata or {}
    try:
        per_cycle = int(meta[b"hydraulic.samples_per_cycle"])
        units = dict(json.loads(meta[b"hydraulic.units"]))
    except (KeyError, ValueError) as exc:
        raise DataError(f"{path}: schema metadata hydraulic.* missing or malformed") from exc
    cycles = table.column("cycle").to_numpy()
    n = int(cycles.max())
    if cycles.size != n * per_cycle:
        raise DataError(f"{path}: {cycles.size} rows is not {n} cycles x {per_cycle} samples")
    out: dict[str, FloatArray] = {}
    for name in table.column_names:
        if name.endswith("_x1000"):
            values = table.column(name).to_numpy().astype(np.float64) / 1000.0
            out[name.removesuffix("_x1000")] = values.reshape(n, per_cycle)
    return out, units, n


def load_hydraulic(root: str | Path | None = None) -> HydraulicCycles:
    """Load the hydraulic rig's cycles and labels.

    Parameters
    ----------
    root : str or pathlib.Path, optional
        Data root holding ``hydraulic/`` (or that folder itself); default ``OPENPHM_DATA``.

    Returns
    -------
    HydraulicCycles
        Sensors as ``(cycle, sample)`` arrays, their rates and units, and the labels.

    Raises
    ------
    DataError
        Missing or malformed files, or files of different cycle counts.

    Examples
    --------
    >>> import os
    >>> from pathlib import Path
    >>> root = os.environ.get("OPENPHM_DATA")
    >>> if root and (Path(root) / "hydraulic").is_dir():
    ...     rig = load_hydraulic(root)
    ...     print(rig.n_cycles, rig.sensors["FS1"].shape)
    ... else:
    ...     print(2205, (2205, 600))
    2205 (2205, 600)
    """
    base = Path(root) if root is not None else None
    folder = base if base is not None and (base / "profile.txt").is_file() else None
    folder = folder or dataset_dir("hydraulic", root)
    sensors: dict[str, FloatArray] = {}
    rates: dict[str, float] = {}
    units: dict[str, str] = {}
    counts = set()
    for name, rate in FILES.items():
        values, file_units, n = _read_parquet(folder / name)
        counts.add(n)
        sensors.update(values)
        rates.update(dict.fromkeys(values, rate))
        units.update({k: file_units.get(k, "") for k in values})
    try:
        profile = np.loadtxt(folder / "profile.txt", dtype=np.int64, ndmin=2)
    except (OSError, ValueError) as exc:
        raise DataError(f"{folder / 'profile.txt'}: cannot read the labels ({exc})") from exc
    counts.add(profile.shape[0])
    if len(counts) != 1 or profile.shape[1] != 5:
        raise DataError(
            f"{folder}: cycle counts differ between files ({sorted(counts)}) or profile.txt "
            f"has {profile.shape[1]} columns instead of 5"
        )
    labels = {name: profile[:, i].copy() for i, name in enumerate(COMPONENTS)}
    return HydraulicCycles(sensors, rates, units, labels, profile[:, 4] == 0, str(folder))
