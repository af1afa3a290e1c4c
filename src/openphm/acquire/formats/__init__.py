"""Generic file-format readers; importing this package registers them.

=========  ==================================================  ===============================
reader     formats                                             library
=========  ==================================================  ===============================
matlab     MAT-file v4, v5, v7 and v7.3                        scipy.io, h5py
csv        CSV, TSV and other delimited text (``delimited``)   pandas
hdf5       HDF5                                                h5py
=========  ==================================================  ===============================

Every reader takes the options ``fs`` (Hz), ``unit``, ``channels`` (names or 0-based positions) and
``speed_hz`` (Hz); some take more (see each module).
"""

from openphm.acquire.formats import delimited, hdf5, matlab

__all__ = ["delimited", "hdf5", "matlab"]
