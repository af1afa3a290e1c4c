"""Writers of small files in every supported format, made with each format's own library.

Each writer takes ``(path, signals, fs)`` (channel name -> 1-D float64 samples, rate in Hz),
writes the file and returns the channel names the reader should report. They are plain functions in
:data:`WRITERS` so that hypothesis tests can use them without function-scoped fixtures.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
from collections.abc import Callable
from pathlib import Path

import h5py
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.parquet as pq
import scipy.io
import soundfile
from nptdms import ChannelObject, GroupObject, RootObject, TdmsWriter

Signals = dict[str, npt.NDArray[np.float64]]
Writer = Callable[[Path, Signals, float], list[str]]

MAT73_HEADER = b"MATLAB 7.3 MAT-file, Platform: GLNXA64, Created on: Mon Jan  1 00:00:00 2024 HDF5"


def write_mat5(path: Path, signals: Signals, fs: float) -> list[str]:
    variables: dict[str, object] = {name: x.reshape(-1, 1) for name, x in signals.items()}
    variables["fs"] = fs
    variables["X001RPM"] = 1800.0
    scipy.io.savemat(path, variables)
    return list(signals)


def write_mat73(path: Path, signals: Signals, fs: float) -> list[str]:
    """MATLAB v7.3 layout: HDF5 after a 512-byte header, column vectors stored as (1, n)."""
    with h5py.File(path, "w", userblock_size=512, track_order=True) as f:
        for name, x in signals.items():
            ds = f.create_dataset(name, data=x.reshape(1, -1))
            ds.attrs["MATLAB_class"] = np.bytes_("double")
        ds = f.create_dataset("fs", data=np.array([[fs]]))
        ds.attrs["MATLAB_class"] = np.bytes_("double")
        text = f.create_dataset("note", data=np.array([[ord(c)] for c in "rig A"], np.uint16))
        text.attrs["MATLAB_class"] = np.bytes_("char")
    with path.open("r+b") as fh:
        fh.write(MAT73_HEADER.ljust(116) + bytes(8) + b"\x00\x02IM")
    return list(signals)


def write_csv(path: Path, signals: Signals, fs: float) -> list[str]:
    names = list(signals)
    n = len(next(iter(signals.values())))
    lines = ["time (s)," + ",".join(f"{name} (g)" for name in names)]
    lines += [
        ",".join([repr(i / fs)] + [repr(float(signals[name][i])) for name in names])
        for i in range(n)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return names


def write_wav(path: Path, signals: Signals, fs: float) -> list[str]:
    data = np.column_stack(list(signals.values()))
    soundfile.write(path, data, samplerate=round(fs), subtype="DOUBLE", format="WAV")
    return [f"ch{i}" for i in range(len(signals))]


def write_tdms(path: Path, signals: Signals, fs: float) -> list[str]:
    channels = [
        ChannelObject("rig", name, x, properties={"wf_increment": 1.0 / fs, "unit_string": "g"})
        for name, x in signals.items()
    ]
    with TdmsWriter(path) as writer:
        writer.write_segment([RootObject({"title": "test"}), GroupObject("rig"), *channels])
    return [f"rig/{name}" for name in signals]


def write_uff(path: Path, signals: Signals, fs: float) -> list[str]:
    import pyuff

    sets = [
        pyuff.prepare_58(
            binary=0,
            id1=name,
            func_type=1,
            rsp_node=i + 1,
            rsp_dir=3,
            ref_node=0,
            ref_dir=0,
            ord_data_type=4,
            abscissa_spacing=1,
            abscissa_min=0.0,
            abscissa_inc=1.0 / fs,
            abscissa_spec_data_type=17,
            ordinate_spec_data_type=12,
            ordinate_axis_units_lab="g",
            orddenom_spec_data_type=0,
            z_axis_spec_data_type=0,
            data=x,
            x=np.arange(x.size) / fs,
        )
        for i, (name, x) in enumerate(signals.items())
    ]
    pyuff.UFF(str(path)).write_sets(sets, mode="overwrite")
    return list(signals)


def write_hdf5(path: Path, signals: Signals, fs: float) -> list[str]:
    with h5py.File(path, "w", track_order=True) as f:
        group = f.create_group("rig", track_order=True)
        group.attrs["sampling_rate"] = fs
        for name, x in signals.items():
            group.create_dataset(name, data=x).attrs["unit"] = "g"
        f.attrs["machine"] = "test rig"
    return [f"rig/{name}" for name in signals]


def write_parquet(path: Path, signals: Signals, fs: float) -> list[str]:
    table = pa.table({name: pa.array(x) for name, x in signals.items()})
    table = table.replace_schema_metadata({"fs_hz": str(fs), "machine": "test rig"})
    pq.write_table(table, path)
    return list(signals)


#: Format name -> (file suffix, writer).
WRITERS: dict[str, tuple[str, Writer]] = {
    "matlab": (".mat", write_mat5),
    "matlab73": (".mat", write_mat73),
    "csv": (".csv", write_csv),
    "wav": (".wav", write_wav),
    "tdms": (".tdms", write_tdms),
    "uff": (".uff", write_uff),
    "hdf5": (".h5", write_hdf5),
    "parquet": (".parquet", write_parquet),
}

COMPRESSORS: dict[str, Callable[[bytes], bytes]] = {
    ".xz": lzma.compress,
    ".gz": gzip.compress,
    ".bz2": bz2.compress,
}


def known_signals(n: int = 600, fs: float = 2560.0) -> Signals:
    """Three channels with distinct, exactly representable-in-text content."""
    t = np.arange(n) / fs
    rng = np.random.default_rng(7)
    return {
        "DE": np.sin(2 * np.pi * 160.0 * t) + 0.1 * rng.standard_normal(n),
        "FE": 0.5 * np.cos(2 * np.pi * 107.0 * t) + 0.05 * rng.standard_normal(n),
        "BA": 0.01 * rng.standard_normal(n),
    }


def write(
    tmp: Path, fmt: str, signals: Signals, fs: float, compress: str = ""
) -> tuple[Path, list[str]]:
    """Write ``signals`` in format ``fmt`` under ``tmp``; optionally compress the file."""
    suffix, writer = WRITERS[fmt]
    path = tmp / f"{fmt}{suffix}"
    names = writer(path, signals, fs)
    if compress:
        packed = path.with_name(path.name + compress)
        packed.write_bytes(COMPRESSORS[compress](path.read_bytes()))
        path.unlink()
        path = packed
    return path, names
