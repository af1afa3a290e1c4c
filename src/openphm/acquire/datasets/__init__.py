"""Loaders of reference data sets in their public layouts, with labels and verified downloads.

- CWRU bearing records (:mod:`~openphm.acquire.datasets.cwru`): importing this package registers
  the labelled ``cwru`` reader, so ``openphm.acquire.read("105.mat")`` returns a 12 kHz recording
  with fault, size, load and speed.
- FEMTO-ST PRONOSTIA run-to-failure bearings (:mod:`~openphm.acquire.datasets.femto`), which also
  registers a reader for single ``acc_NNNNN.csv`` snapshots.
- NASA C-MAPSS turbofan degradation (:mod:`~openphm.acquire.datasets.cmapss`).

The data are found through ``OPENPHM_DATA`` (:func:`data_root`) unless a folder is passed; a small
excerpt for demos and examples ships in the repository's ``data/demo`` (:func:`demo_path`).
"""

from openphm.acquire.datasets import cmapss, cwru, femto
from openphm.acquire.datasets.cmapss import CmapssSubset, load_cmapss, rul_labels
from openphm.acquire.datasets.cwru import (
    CwruRecord,
    cwru_record,
    cwru_records,
    load_cwru,
    read_cwru,
)
from openphm.acquire.datasets.femto import (
    FemtoBearing,
    femto_bearing_info,
    femto_conditions,
    load_femto,
    read_femto,
    read_femto_snapshot,
)
from openphm.acquire.datasets.paths import data_root, dataset_dir, demo_path

__all__ = [
    "CmapssSubset",
    "CwruRecord",
    "FemtoBearing",
    "cmapss",
    "cwru",
    "cwru_record",
    "cwru_records",
    "data_root",
    "dataset_dir",
    "demo_path",
    "femto",
    "femto_bearing_info",
    "femto_conditions",
    "load_cmapss",
    "load_cwru",
    "load_femto",
    "read_cwru",
    "read_femto",
    "read_femto_snapshot",
    "rul_labels",
]
