"""Where the reference data and the committed demo excerpt lie.

The reference data sets are found through the environment variable ``OPENPHM_DATA``: a folder laid
out like the project's shared data (``cwru/``, ``femto/``, ``cmapss/`` ...). Every loader also takes
an explicit ``root`` so that nothing depends on the environment when the caller knows the path.
"""

from __future__ import annotations

import os
from pathlib import Path

from openphm.core.errors import ConfigError, DataError

#: Environment variable naming the reference-data folder.
DATA_ENV = "OPENPHM_DATA"

#: ``data/demo`` of a source checkout: this file is ``src/openphm/acquire/datasets/paths.py``.
_DEMO_DIR = Path(__file__).resolve().parents[4] / "data" / "demo"


def data_root() -> Path:
    """Return the reference-data folder named by the ``OPENPHM_DATA`` environment variable.

    Returns
    -------
    pathlib.Path
        The folder (its sub-folders ``cwru/``, ``femto/``, ``cmapss/`` hold the data sets).

    Raises
    ------
    ConfigError
        ``OPENPHM_DATA`` is unset, empty, or does not name an existing folder.

    Examples
    --------
    >>> import os
    >>> os.environ.get("OPENPHM_DATA") is None or data_root().is_dir()
    True
    """
    value = os.environ.get(DATA_ENV, "").strip()
    if not value:
        raise ConfigError(
            f"{DATA_ENV} is not set: set it to the folder holding the reference data "
            "(with cwru/, femto/, cmapss/ ...), or give the folder with root=... (Python) or "
            "--root (openphm bench)"
        )
    root = Path(value).expanduser()
    if not root.is_dir():
        raise ConfigError(f"{DATA_ENV}={value!r} is not an existing folder")
    return root


def dataset_dir(name: str, root: str | Path | None = None) -> Path:
    """Return the folder of one data set.

    Parameters
    ----------
    name : str
        Folder name of the data set inside the data root (``"cwru"``, ``"femto"``, ``"cmapss"``).
    root : str or pathlib.Path, optional
        Either the data root (then ``root/name`` is used when it exists) or the data set's own
        folder. Defaults to :func:`data_root`.

    Returns
    -------
    pathlib.Path
        ``root/name`` if that folder exists, else ``root``.

    Raises
    ------
    DataError
        ``root`` is given but is not an existing folder.
    ConfigError
        ``root`` is omitted and ``OPENPHM_DATA`` is unusable.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     (pathlib.Path(tmp) / "cwru").mkdir()
    ...     dataset_dir("cwru", tmp).name
    'cwru'
    """
    base = data_root() if root is None else Path(root).expanduser()
    if not base.is_dir():
        raise DataError(f"{base}: no such folder (expected the data root or the {name} folder)")
    sub = base / name
    return sub if sub.is_dir() else base


def demo_path(name: str = "") -> Path:
    """Return the demo excerpt folder ``data/demo`` of a source checkout, or a file inside it.

    The excerpt (a few real CWRU and FEMTO files, see ``data/demo/ATTRIBUTION.md``) ships with the
    repository for ``make demo`` and the quick start; it is not part of the installed wheel.

    Parameters
    ----------
    name : str, optional
        Path relative to ``data/demo`` (``"cwru/105.mat.xz"``); empty for the folder itself.

    Returns
    -------
    pathlib.Path
        The existing folder or file.

    Raises
    ------
    ConfigError
        openphm is not running from a source checkout, so there is no ``data/demo``.
    DataError
        ``name`` does not exist in the excerpt.

    Examples
    --------
    >>> demo_path("cwru/105.mat.xz").name
    '105.mat.xz'
    """
    if not _DEMO_DIR.is_dir():
        raise ConfigError(
            f"{_DEMO_DIR}: the demo excerpt is missing; it ships with a source checkout of openphm "
            "(data/demo), not with the installed package"
        )
    target = _DEMO_DIR / name
    if not target.exists():
        available = sorted(
            str(p.relative_to(_DEMO_DIR)) for p in _DEMO_DIR.rglob("*") if p.is_file()
        )
        raise DataError(f"{target}: not in the demo excerpt; it holds {', '.join(available)}")
    return target
