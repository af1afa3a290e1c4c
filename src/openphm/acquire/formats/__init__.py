"""Generic file-format readers; importing this package registers them.

=========  ===================================================  ======================
reader     formats                                              library
=========  ===================================================  ======================
matlab     MAT-file v4, v5, v7 and v7.3                         scipy.io, h5py
csv        CSV, TSV and other delimited text (``delimited``)    pandas
wav        WAV, RF64, Wave64, FLAC and AIFF sound files         soundfile
tdms       NI TDMS                                              npTDMS
uff        Universal File Format, data set 58 (time response)   pyuff
hdf5       HDF5                                                 h5py
parquet    Apache Parquet                                       pyarrow
=========  ===================================================  ======================

Every reader takes the options ``fs`` (Hz), ``unit``, ``channels`` (names or 0-based positions) and
``speed_hz`` (Hz); the ``csv`` reader takes a few more (see
:mod:`openphm.acquire.formats.delimited`). How each one finds rates, units and speeds is in
:mod:`openphm.acquire.formats.common`; what it refuses or warns about is in
:mod:`openphm.acquire.quality`.
"""

from openphm.acquire.formats import delimited, hdf5, matlab, parquet, tdms, uff, wav

__all__ = ["delimited", "hdf5", "matlab", "parquet", "tdms", "uff", "wav"]
