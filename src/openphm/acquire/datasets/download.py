"""Checksum-verified downloads and safe archive extraction, shared by the data-set loaders.

Every download is streamed to a ``.part`` file next to its destination while its SHA-256 is
computed, compared with the expected digest when one is known, and only then renamed into place, so
a broken or tampered transfer never leaves a file that looks complete. Archives are extracted
member by member with a check that no member escapes the destination folder (the "zip slip" attack).
"""

from __future__ import annotations

import hashlib
import shutil
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import IO, cast

from openphm.core.errors import DataError

#: Opens a URL and returns a readable binary stream (``urllib.request.urlopen`` by default).
Opener = Callable[[str], IO[bytes]]
#: Called with ``(bytes_done, bytes_total or None)`` while a download runs.
Progress = Callable[[int, int | None], None]

_CHUNK = 1 << 20
_TIMEOUT_S = 60.0


def sha256_file(path: str | Path) -> str:
    """Return the SHA-256 of a file as 64 lower-case hex digits.

    Parameters
    ----------
    path : str or pathlib.Path
        The file, read in 1 MiB chunks.

    Returns
    -------
    str
        The hex digest.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = pathlib.Path(tmp) / "x"
    ...     _ = p.write_bytes(b"abc")
    ...     sha256_file(p)[:16]
    'ba7816bf8f01cfea'
    """
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _urlopen(url: str) -> IO[bytes]:
    return cast(IO[bytes], urllib.request.urlopen(url, timeout=_TIMEOUT_S))


def fetch(
    url: str,
    dest: str | Path,
    *,
    sha256: str | None = None,
    force: bool = False,
    opener: Opener | None = None,
    progress: Progress | None = None,
) -> Path:
    """Download ``url`` to the file ``dest``, verifying its SHA-256 when it is known.

    Parameters
    ----------
    url : str
        Source URL (``https://``, or ``file://`` for a local copy).
    dest : str or pathlib.Path
        Destination file; its folder is created if needed.
    sha256 : str, optional
        Expected SHA-256 (hex). Without it the file is downloaded but not verified.
    force : bool, default False
        Download again even if ``dest`` already exists (and matches ``sha256``).
    opener : callable, optional
        ``opener(url)`` returning a readable binary stream; ``urllib.request.urlopen`` by default.
        Tests pass a local one.
    progress : callable, optional
        Called as ``progress(bytes_done, bytes_total)`` after every chunk (total None if unknown).

    Returns
    -------
    pathlib.Path
        ``dest``, complete and verified.

    Raises
    ------
    DataError
        The transfer fails, or the content does not match ``sha256`` (the partial file is removed).

    Examples
    --------
    >>> import io, tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = fetch("mem://abc", pathlib.Path(tmp) / "abc.bin",
    ...                 sha256="ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    ...                 opener=lambda url: io.BytesIO(b"abc"))
    ...     out.read_bytes()
    b'abc'
    """
    target = Path(dest)
    expected = sha256.lower() if sha256 else None
    if target.exists() and not force and (expected is None or sha256_file(target) == expected):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    digest = hashlib.sha256()
    try:
        with (opener or _urlopen)(url) as response, part.open("wb") as out:
            length = getattr(response, "headers", {}).get("Content-Length")
            total = int(length) if length else None
            done = 0
            while chunk := response.read(_CHUNK):
                out.write(chunk)
                digest.update(chunk)
                done += len(chunk)
                if progress is not None:
                    progress(done, total)
    except (OSError, urllib.error.URLError, ValueError) as exc:
        part.unlink(missing_ok=True)
        raise DataError(f"{url}: download failed ({exc})") from exc
    got = digest.hexdigest()
    if expected is not None and got != expected:
        part.unlink(missing_ok=True)
        raise DataError(
            f"{url}: SHA-256 mismatch (expected {expected}, got {got}); the transfer is corrupt "
            "or the file changed at the source"
        )
    part.replace(target)
    return target


def extract_zip(archive: str | Path, dest: str | Path, *, nested: bool = True) -> list[Path]:
    """Extract a zip archive into ``dest``, refusing members that would land outside it.

    Parameters
    ----------
    archive : str or pathlib.Path
        The zip file.
    dest : str or pathlib.Path
        Destination folder (created if needed).
    nested : bool, default True
        Also extract zip files found inside the archive, each into a folder named after it (without
        ``.zip``) beside it, and delete the inner zip afterwards. Public data sets are often shipped
        as a zip of zips.

    Returns
    -------
    list of pathlib.Path
        The extracted regular files (inner zips replaced by their content).

    Raises
    ------
    DataError
        The archive is not a valid zip file, or a member's path escapes ``dest``.

    Examples
    --------
    >>> import tempfile, pathlib, zipfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     z = pathlib.Path(tmp) / "a.zip"
    ...     with zipfile.ZipFile(z, "w") as zf:
    ...         zf.writestr("d/x.txt", "1")
    ...     [p.name for p in extract_zip(z, pathlib.Path(tmp) / "out")]
    ['x.txt']
    """
    root = Path(dest).resolve()
    root.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    try:
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                target = (root / info.filename).resolve()
                if not target.is_relative_to(root):
                    raise DataError(f"{archive}: member {info.filename!r} would escape {root}")
                if info.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, target.open("wb") as out:
                    shutil.copyfileobj(src, out, _CHUNK)
                files.append(target)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise DataError(f"{archive}: cannot extract ({exc})") from exc
    if not nested:
        return files
    result: list[Path] = []
    for path in files:
        if path.suffix.lower() == ".zip" and zipfile.is_zipfile(path):
            result.extend(extract_zip(path, path.with_suffix(""), nested=True))
            path.unlink()
        else:
            result.append(path)
    return result


def verify_files(folder: str | Path, expected: Mapping[str, str]) -> None:
    """Check files against expected SHA-256 digests.

    Parameters
    ----------
    folder : str or pathlib.Path
        Folder the relative paths in ``expected`` start from.
    expected : Mapping of str to str
        Relative path to SHA-256 (hex).

    Raises
    ------
    DataError
        A file is missing or differs; the message lists every one.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = (pathlib.Path(tmp) / "x").write_bytes(b"abc")
    ...     verify_files(tmp, {"x": sha256_file(pathlib.Path(tmp) / "x")})
    """
    base = Path(folder)
    problems = []
    for rel, digest in sorted(expected.items()):
        path = base / rel
        if not path.is_file():
            problems.append(f"{rel} missing")
        elif sha256_file(path) != digest.lower():
            problems.append(f"{rel} differs from SHA-256 {digest}")
    if problems:
        raise DataError(f"{base}: verification failed: {'; '.join(problems)}")


def digest_of_listing(entries: Iterable[tuple[str, str]]) -> str:
    """Return one SHA-256 standing for a set of files: the digest of their sorted listing.

    The listing is one line ``"<name> <sha256>\\n"`` per file, sorted by name, encoded as UTF-8. It
    lets a package carry a single checksum for a folder of thousands of files.

    Parameters
    ----------
    entries : iterable of (str, str)
        ``(file name, SHA-256 hex of the file)`` pairs.

    Returns
    -------
    str
        The SHA-256 (hex) of the listing.

    Examples
    --------
    >>> pairs = [("b", "00"), ("a", "11")]
    >>> digest_of_listing(pairs) == digest_of_listing(reversed(pairs))
    True
    """
    listing = "".join(f"{name} {sha.lower()}\n" for name, sha in sorted(entries))
    return hashlib.sha256(listing.encode("utf-8")).hexdigest()
