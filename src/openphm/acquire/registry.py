"""Plug-in registry of file readers, and :func:`read`, the one entry point that picks one.

A reader registers a *sniffer* (does this file look like mine, by its content?), the file-name
suffixes it takes when no sniffer recognises the content, and a *loader*. :func:`read` opens the
file once, hands its first bytes to every sniffer in priority order (dataset-specific readers before
generic ones), then, if none claims it, tries the suffixes in the same order, then the permissive
sniffers (priority above :data:`PERMISSIVE_PRIORITY`), and calls the chosen loader, or the one named
by ``format``. Compressed files (``.xz``, ``.gz``, ``.bz2``) are read as
they lie, through a decompressing stream.

Whatever goes wrong inside a loader reaches the caller as an
:class:`~openphm.core.errors.OpenPHMError` naming the file: a library's own exception (a truncated
HDF5 file, a malformed CSV line...) is wrapped in a :class:`~openphm.core.errors.DataError`, and an
option the loader does not take is a :class:`~openphm.core.errors.ConfigError` listing those it
does.
"""

from __future__ import annotations

import bz2
import gzip
import inspect
import lzma
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

from openphm.core.errors import ConfigError, DataError, OpenPHMError, UnknownFormatError
from openphm.core.waveform import Recording

#: Number of leading (decompressed) bytes handed to sniffers.
SNIFF_BYTES = 4096
#: First bytes of a zip archive (local file header).
_ZIP_MAGIC = b"PK\x03\x04"
#: Readers with a higher priority value have permissive sniffers (delimited text claims any table
#: of numbers): they are tried only after the file-name suffixes.
PERMISSIVE_PRIORITY = 100

_DECOMPRESSORS: dict[str, Callable[[Path], IO[bytes]]] = {
    ".xz": lambda p: lzma.open(p, "rb"),
    ".gz": lambda p: cast(IO[bytes], gzip.open(p, "rb")),
    ".bz2": lambda p: bz2.open(p, "rb"),
}


#: Signature of a registered loader: ``loader(source, **options) -> Recording``. A loader names its
#: options as keyword parameters (``fs``, ``unit``, ``channels``, ``speed_hz``...), which
#: :func:`read` checks, or takes ``**options`` to accept anything.
Loader = Callable[..., Recording]


@dataclass(frozen=True)
class FileSource:
    """A file to read: its path, its logical suffix and a way to open its decompressed bytes.

    Parameters
    ----------
    path : pathlib.Path
        The file as it lies on disk.
    suffix : str
        Lower-case suffix of the uncompressed name (``".mat"`` for ``105.mat.xz``).
    head : bytes
        The first :data:`SNIFF_BYTES` decompressed bytes.
    """

    path: Path
    suffix: str
    head: bytes

    @property
    def compressed(self) -> bool:
        """Whether the file is compressed on disk."""
        return self.path.suffix.lower() in _DECOMPRESSORS

    def open(self) -> IO[bytes]:
        """Open the decompressed byte stream (the caller closes it)."""
        opener = _DECOMPRESSORS.get(self.path.suffix.lower())
        return opener(self.path) if opener else self.path.open("rb")

    @property
    def stem(self) -> str:
        """File name without its suffixes (``"105"`` for ``105.mat.xz``)."""
        name = self.path.name
        if self.compressed:
            name = name[: -len(self.path.suffix)]
        return name[: -len(self.suffix)] if self.suffix else name


@dataclass(frozen=True)
class ReaderEntry:
    """One registered reader."""

    name: str
    sniff: Callable[[FileSource], bool]
    load: Loader
    priority: int
    description: str
    suffixes: tuple[str, ...] = ()

    def claims(self, src: FileSource) -> bool:
        """Whether the sniffer recognises the content (a sniffer that fails does not)."""
        try:
            return bool(self.sniff(src))
        except Exception:
            return False

    def options(self) -> tuple[str, ...] | None:
        """Keyword options the loader takes, or None when it takes any (``**options``)."""
        params = list(inspect.signature(self.load).parameters.values())[1:]
        if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
            return None
        return tuple(p.name for p in params)

    def read(self, src: FileSource, options: dict[str, Any]) -> Recording:
        """Run the loader; an unknown option or a library's exception becomes an openphm error."""
        known = self.options()
        if known is not None:
            unknown = sorted(set(options) - set(known))
            if unknown:
                raise ConfigError(
                    f"{src.path}: the {self.name} reader takes no option "
                    f"{', '.join(unknown)}; its options are {', '.join(known)}"
                )
        try:
            rec = self.load(src, **options)
        except OpenPHMError:
            raise
        except Exception as exc:
            raise DataError(
                f"{src.path}: the {self.name} reader cannot read it; the file looks truncated or "
                f"corrupt ({type(exc).__name__}: {exc})"
            ) from exc
        if "format" in rec.metadata:
            return rec
        return Recording(rec.channels, rec.source, {**rec.metadata, "format": self.name})


_READERS: dict[str, ReaderEntry] = {}


def register_reader(
    name: str,
    sniff: Callable[[FileSource], bool],
    load: Loader,
    *,
    priority: int = 100,
    description: str = "",
    suffixes: Sequence[str] = (),
) -> None:
    """Register a reader; lower ``priority`` values are tried first (datasets < 50 < generic).

    Re-registering a name replaces the earlier entry, so users can override a built-in reader.

    Parameters
    ----------
    name : str
        Reader name, usable as ``read(path, format=name)``.
    sniff : callable
        ``sniff(source) -> bool``: whether the file's *content* looks like this reader's format. It
        sees only ``source.head`` and ``source.suffix`` unless it must open the file; keep it cheap.
        A sniffer that raises counts as a "no".
    load : Loader
        ``load(source, **options) -> Recording``. Its keyword parameters are the options
        :func:`read` accepts for it (anything else is a ``ConfigError``), unless it takes
        ``**options``.
    priority : int
        Order in which sniffers are tried, lowest first: below 50 for dataset-specific readers, 100
        for generic formats, above 100 for permissive sniffers that must not override a suffix.
    description : str
        One line for listings (``openphm info --formats``).
    suffixes : sequence of str
        Lower-case file suffixes with the dot (``".mat"``) this reader takes when no sniffer
        recognises the content (a corrupt file still reaches the reader that can explain why).
    """
    _READERS[name] = ReaderEntry(
        name, sniff, load, priority, description, tuple(s.lower() for s in suffixes)
    )


def readers() -> list[ReaderEntry]:
    """Registered readers in the order :func:`read` tries them."""
    _load_builtin_readers()
    return sorted(_READERS.values(), key=lambda r: (r.priority, r.name))


def source_for(path: str | Path) -> FileSource:
    """Describe ``path`` for the sniffers, checking that it exists and is a readable file.

    Parameters
    ----------
    path : str or pathlib.Path
        The file, possibly compressed.

    Returns
    -------
    FileSource
        The path, its logical suffix and its first decompressed bytes.

    Raises
    ------
    DataError
        The file is missing, a folder, not a regular file (a FIFO, a device such as
        ``/dev/zero``), empty or unreadable.
    """
    p = Path(path)
    if not p.exists():
        raise DataError(f"{p}: no such file")
    if p.is_dir():
        raise DataError(f"{p}: is a folder; give a file (dataset folders have their own loaders)")
    if not p.is_file():
        raise DataError(
            f"{p}: not a regular file (a FIFO, device or socket, whose reading may never end); "
            "give a file on disk"
        )
    suffixes = [s.lower() for s in p.suffixes]
    if suffixes and suffixes[-1] in _DECOMPRESSORS:
        suffixes = suffixes[:-1]
    suffix = suffixes[-1] if suffixes else ""
    src = FileSource(p, suffix, b"")
    try:
        with src.open() as fh:
            head = fh.read(SNIFF_BYTES)
    except (OSError, EOFError, lzma.LZMAError) as exc:
        raise DataError(f"{p}: cannot read the file ({exc})") from exc
    if not head:
        raise DataError(f"{p}: the file is empty")
    return FileSource(p, suffix, head)


def read(path: str | Path, *, format: str | None = None, **options: Any) -> Recording:
    """Read a recording from any supported file.

    Parameters
    ----------
    path : str or pathlib.Path
        The file. Compressed files (``.xz``, ``.gz``, ``.bz2``) are decompressed on the fly.
    format : str, optional
        Name of the reader to use (see :func:`readers`); sniffed from the content when omitted.
    **options
        Passed to the reader: typically ``fs`` (Hz), ``unit``, ``channels``, ``speed_hz``.

    Returns
    -------
    Recording
        The channels with their metadata; ``metadata["format"]`` names the reader that made it.

    Raises
    ------
    UnknownFormatError
        No reader recognises the file.
    DataError
        The file is missing, truncated, corrupt or its content is unusable.
    ConfigError
        An option the reader does not take, or an invalid option value.

    Examples
    --------
    >>> from openphm.acquire import read
    >>> rec = read("105.mat")                                  # doctest: +SKIP
    >>> rec["DE"].fs                                           # doctest: +SKIP
    12000.0
    """
    src = source_for(path)
    entries = readers()
    if format is not None:
        chosen = [e for e in entries if e.name == format]
        if not chosen:
            names = ", ".join(e.name for e in entries)
            raise UnknownFormatError(f"{src.path}: unknown format {format!r}; known: {names}")
        return chosen[0].read(src, options)
    strict = [e for e in entries if e.priority <= PERMISSIVE_PRIORITY]
    for entry in strict:
        if entry.claims(src):
            return entry.read(src, options)
    for entry in entries:
        if src.suffix and src.suffix in entry.suffixes:
            return entry.read(src, options)
    for entry in entries[len(strict) :]:
        if entry.claims(src):
            return entry.read(src, options)
    names = ", ".join(e.name for e in entries)
    if src.head.startswith(_ZIP_MAGIC):
        raise UnknownFormatError(
            f"{src.path}: a zip archive, not one record; extract the record to read, or open a "
            "dataset archive with its loader (a FEMTO/PRONOSTIA bearing zip: "
            "openphm.acquire.datasets.femto.read_femto(path); a C-MAPSS zip: "
            "openphm.acquire.datasets.cmapss.load_cmapss(subset, path))"
        )
    raise UnknownFormatError(
        f"{src.path}: no reader recognises this file (tried {names}); if you know what it is, "
        "name the reader with format=... (CLI: openphm info --format; --formats lists them)"
    )


def _load_builtin_readers() -> None:
    """Import the built-in reader modules so that they register themselves."""
    import openphm.acquire.datasets
    import openphm.acquire.formats  # noqa: F401
