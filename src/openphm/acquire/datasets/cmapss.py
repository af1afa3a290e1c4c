"""NASA C-MAPSS turbofan engine degradation data: loader, RUL labels and download.

Each subset FD001-FD004 has a training file (engines run to failure), a test file (series cut some
cycles before failure) and the true RUL after the last test cycle, one line per test engine. The
text files have 26 whitespace-separated columns: unit, cycle, three operational settings and 21
sensors (names and units are in Saxena et al. 2008, not in the files). The original
``CMAPSSData.zip``, NASA's outer archive that holds it, or a folder of the extracted files are read
as they are (zip members in place, nothing unpacked).

Note: the data set's ``readme.txt`` swaps the FD004 unit counts; the files hold 249 training and
248 test engines, and ``RUL_FD004.txt`` has 248 lines.

References
----------
A. Saxena, K. Goebel, D. Simon, N. Eklund, "Damage Propagation Modeling for Aircraft Engine
Run-to-Failure Simulation", Proc. 1st International Conference on Prognostics and Health Management
(PHM08), Denver, CO, 2008.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from openphm.acquire.datasets.download import Opener, Progress, extract_zip, fetch, verify_files
from openphm.acquire.datasets.paths import dataset_dir
from openphm.core.errors import ConfigError, DataError

if TYPE_CHECKING:  # pandas loads only when a table is read (start-up of every command)
    import pandas as pd

#: NASA Prognostics Data Repository archive holding ``CMAPSSData.zip``.
CMAPSS_URL = "https://phm-datasets.s3.amazonaws.com/NASA/6.+Turbofan+Engine+Degradation+Simulation+Data+Set.zip"
#: The four subsets.
SUBSETS = ("FD001", "FD002", "FD003", "FD004")
#: Column names of the train and test tables.
COLUMNS = (
    "unit",
    "cycle",
    "setting_1",
    "setting_2",
    "setting_3",
    *(f"s_{i}" for i in range(1, 22)),
)

IntArray = npt.NDArray[np.int64]

_TRAIN_NAMES = frozenset(f"train_{s}.txt" for s in SUBSETS)


@cache
def _checksums() -> dict[str, str]:
    text = resources.files(__package__).joinpath("cmapss.sha256").read_text(encoding="utf-8")
    return {name: digest for digest, name in (line.split() for line in text.splitlines() if line)}


def rul_labels(
    frame: pd.DataFrame, final_rul: npt.ArrayLike | None = None, *, cap: float | None = None
) -> pd.Series:
    """Remaining useful life (cycles) of every row of a C-MAPSS table.

    ``RUL = last cycle of the unit - cycle + final RUL of the unit``: the final RUL is 0 for
    training units (run to failure) and the ``RUL_FD00x.txt`` value for test units. With ``cap``,
    the label is ``min(RUL, cap)``, the piecewise-linear target of Heimes (2008) (constant in early
    life).

    Parameters
    ----------
    frame : pandas.DataFrame
        Table with ``unit`` and ``cycle`` columns.
    final_rul : array_like, optional
        RUL after each unit's last row, in the order of the sorted unit numbers; zeros by default.
    cap : float, optional
        Upper limit of the label in cycles (125 or 130 are common choices).

    Returns
    -------
    pandas.Series
        RUL in cycles, aligned with ``frame``'s index, named ``"rul"``.

    Raises
    ------
    DataError
        ``final_rul`` does not have one value per unit.

    References
    ----------
    F. O. Heimes, "Recurrent neural networks for remaining useful life estimation", Proc. PHM08,
    Denver, CO, 2008.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"unit": [1, 1, 1, 2, 2], "cycle": [1, 2, 3, 1, 2]})
    >>> rul_labels(df).tolist()
    [2, 1, 0, 1, 0]
    >>> rul_labels(df, [10, 5], cap=11).tolist()
    [11, 11, 10, 6, 5]
    """
    units = np.sort(frame["unit"].unique())
    extra = np.zeros(units.size) if final_rul is None else np.asarray(final_rul, dtype=np.float64)
    if extra.shape != units.shape:
        raise DataError(f"final_rul has {extra.size} values for {units.size} units")
    last = frame.groupby("unit")["cycle"].transform("max")
    offset = frame["unit"].map(dict(zip(units.tolist(), extra.tolist(), strict=True)))
    rul = last - frame["cycle"] + offset
    if cap is not None:
        rul = rul.clip(upper=cap)
    out = rul.rename("rul")
    if final_rul is None or np.all(np.mod(extra, 1) == 0):
        out = out.astype(np.int64)
    return out


@dataclass(frozen=True)
class CmapssSubset:
    """One C-MAPSS subset.

    Parameters
    ----------
    name : str
        ``"FD001"`` ... ``"FD004"``.
    train : pandas.DataFrame
        Training series (run to failure), columns :data:`COLUMNS`.
    test : pandas.DataFrame
        Test series (cut before failure), same columns.
    rul : numpy.ndarray
        True RUL in cycles after the last test row, one per test unit in unit order.
    source : str
        Where the data were read from.
    """

    name: str
    train: pd.DataFrame
    test: pd.DataFrame
    rul: IntArray
    source: str

    @property
    def n_train_units(self) -> int:
        """Number of training engines."""
        return int(self.train["unit"].nunique())

    @property
    def n_test_units(self) -> int:
        """Number of test engines."""
        return int(self.test["unit"].nunique())

    def train_rul(self, cap: float | None = None) -> pd.Series:
        """RUL label (cycles) of every training row; see :func:`rul_labels`.

        Parameters
        ----------
        cap : float, optional
            Upper limit of the label in cycles.

        Returns
        -------
        pandas.Series
            The labels, aligned with :attr:`train`.
        """
        return rul_labels(self.train, cap=cap)

    def test_rul(self, cap: float | None = None) -> pd.Series:
        """RUL label (cycles) of every test row, from :attr:`rul`; see :func:`rul_labels`.

        Parameters
        ----------
        cap : float, optional
            Upper limit of the label in cycles.

        Returns
        -------
        pandas.Series
            The labels, aligned with :attr:`test`.
        """
        return rul_labels(self.test, self.rul, cap=cap)


def _parse_table(data: bytes, where: str) -> pd.DataFrame:
    import pandas as pd

    try:
        frame = pd.read_csv(io.BytesIO(data), sep=r"\s+", header=None, dtype=np.float64)
    except (ValueError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataError(f"{where}: not a C-MAPSS table ({exc})") from exc
    if frame.shape[1] != len(COLUMNS) or frame.isna().any().any():
        raise DataError(
            f"{where}: expected {len(COLUMNS)} numeric columns (unit, cycle, 3 settings, "
            f"21 sensors), got {frame.shape[1]}"
        )
    frame.columns = list(COLUMNS)
    return frame.astype({"unit": np.int64, "cycle": np.int64})


def _zip_reader(path: Path) -> tuple[zipfile.ZipFile, str]:
    """Open the zip that holds the C-MAPSS text files: ``path`` itself or a zip inside it."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise DataError(f"{path}: not a readable zip file ({exc})") from exc
    names = zf.namelist()
    if any(n.rpartition("/")[2] in _TRAIN_NAMES for n in names):
        return zf, str(path)
    inner = [n for n in names if n.rpartition("/")[2].lower() == "cmapssdata.zip"]
    if not inner:
        zf.close()
        raise DataError(f"{path}: holds neither train_FD00x.txt files nor CMAPSSData.zip")
    data = zf.read(inner[0])
    zf.close()
    return zipfile.ZipFile(io.BytesIO(data)), f"{path}!{inner[0]}"


def _read_zip_members(path: Path, names: list[str]) -> tuple[list[bytes], str]:
    zf, where = _zip_reader(path)
    with zf:
        by_name = {n.rpartition("/")[2]: n for n in zf.namelist()}
        missing = [n for n in names if n not in by_name]
        if missing:
            raise DataError(f"{where}: missing {', '.join(missing)}")
        return [zf.read(by_name[n]) for n in names], where


def _locate(root_or_zip: str | Path | None) -> Path:
    base = dataset_dir("cmapss", root_or_zip) if root_or_zip is None else Path(root_or_zip)
    if base.is_file():
        return base
    if not base.is_dir():
        raise DataError(f"{base}: no such file or folder")
    for folder in (base, base / "cmapss", base / "CMAPSSData"):
        if any((folder / n).is_file() for n in _TRAIN_NAMES):
            return folder
    for archive in (base / "CMAPSSData.zip", base / "cmapss" / "CMAPSSData.zip"):
        if archive.is_file():
            return archive
    raise DataError(f"{base}: no C-MAPSS files (train_FD001.txt ... or CMAPSSData.zip) found")


def load_cmapss(subset: str = "FD001", root_or_zip: str | Path | None = None) -> CmapssSubset:
    """Load one C-MAPSS subset from its folder or zip.

    Parameters
    ----------
    subset : str, default "FD001"
        ``"FD001"`` ... ``"FD004"`` (case-insensitive).
    root_or_zip : str or pathlib.Path, optional
        A folder with ``train_FD00x.txt`` (or with a ``cmapss/`` sub-folder or ``CMAPSSData.zip``),
        ``CMAPSSData.zip`` itself, or NASA's outer archive that holds it. Defaults to
        ``OPENPHM_DATA``.

    Returns
    -------
    CmapssSubset
        Train and test tables and the true test RUL.

    Raises
    ------
    ConfigError
        Unknown subset name.
    DataError
        Missing or malformed files, or an RUL file whose length differs from the test unit count.

    Examples
    --------
    >>> import io, zipfile, tempfile, pathlib
    >>> row = " ".join(["1", "1"] + ["0.5"] * 24) + "  \\n"
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     z = pathlib.Path(tmp) / "CMAPSSData.zip"
    ...     with zipfile.ZipFile(z, "w") as zf:
    ...         for part in ("train", "test"):
    ...             zf.writestr(f"{part}_FD001.txt", row)
    ...         zf.writestr("RUL_FD001.txt", "112 \\n")
    ...     ds = load_cmapss("FD001", z)
    >>> ds.train.shape, ds.rul.tolist()
    ((1, 26), [112])
    """
    name = subset.upper()
    if name not in SUBSETS:
        raise ConfigError(f"unknown C-MAPSS subset {subset!r}; choose one of {', '.join(SUBSETS)}")
    location = _locate(root_or_zip)
    names = [f"train_{name}.txt", f"test_{name}.txt", f"RUL_{name}.txt"]
    if location.is_file():
        blobs, where = _read_zip_members(location, names)
    else:
        missing = [n for n in names if not (location / n).is_file()]
        if missing:
            raise DataError(f"{location}: missing {', '.join(missing)}")
        blobs, where = [(location / n).read_bytes() for n in names], str(location)
    train = _parse_table(blobs[0], f"{where}/{names[0]}")
    test = _parse_table(blobs[1], f"{where}/{names[1]}")
    try:
        rul = np.array(blobs[2].split(), dtype=np.int64)
    except ValueError as exc:
        raise DataError(f"{where}/{names[2]}: not a list of integers ({exc})") from exc
    n_test = int(test["unit"].nunique())
    if rul.size != n_test:
        raise DataError(f"{where}/{names[2]}: {rul.size} RUL values for {n_test} test units")
    return CmapssSubset(name, train, test, rul, where)


def download(
    dest: str | Path,
    *,
    force: bool = False,
    url: str = CMAPSS_URL,
    opener: Opener | None = None,
    progress: Progress | None = None,
) -> list[Path]:
    """Download C-MAPSS from NASA's repository and extract its 12 text files into ``dest``.

    NASA publishes no checksum of its archive (a zip holding ``CMAPSSData.zip``), so the archive is
    not verified; each extracted ``train``/``test``/``RUL`` file is checked against the package's
    SHA-256 list (those of the project's reference copy, which two independent mirrors agree on).
    ``readme.txt`` is extracted too but not verified.

    Parameters
    ----------
    dest : str or pathlib.Path
        Destination folder; :func:`load_cmapss` reads it afterwards.
    force : bool, default False
        Download again even if verified files are already there.
    url : str, default CMAPSS_URL
        Archive URL (a mirror, or ``file://`` in tests).
    opener : callable, optional
        ``opener(url)`` returning a binary stream, instead of ``urllib.request.urlopen``.
    progress : callable, optional
        ``progress(bytes_done, bytes_total)`` during the download.

    Returns
    -------
    list of pathlib.Path
        The verified text files.

    Raises
    ------
    DataError
        The transfer or extraction fails, or a file does not match its checksum.

    Examples
    --------
    >>> download("cmapss")                                     # doctest: +SKIP
    [PosixPath('cmapss/RUL_FD001.txt'), ...]
    """
    folder = Path(dest)
    expected = _checksums()
    paths = [folder / n for n in sorted(expected)]
    if not force:
        try:
            verify_files(folder, expected)
            return paths
        except DataError:
            pass
    staging = folder / "_cmapss_download"
    archive = fetch(url, staging / "archive.zip", force=True, opener=opener, progress=progress)
    try:
        extracted = {p.name: p for p in extract_zip(archive, staging / "x", nested=True)}
        for name in [*expected, "readme.txt"]:
            if name in extracted:
                shutil.move(extracted[name], folder / name)
        verify_files(folder, expected)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return paths
