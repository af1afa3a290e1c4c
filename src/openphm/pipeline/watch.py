"""The folder watcher: hand each settled file of a drop folder to the ingestion handler, once.

A data-acquisition unit drops its files into a folder, often slowly or over a network share. The
watcher polls (portable, no inotify): a file is handed over once its size and modification time
have stayed the same for ``settle_s`` seconds and its name is not a temporary one (``*.tmp``,
``*.part``, dot-files, ``~`` suffix...). What was handed over is remembered by path, size and
modification time in an append-only ledger (``.openphm-watch.jsonl`` in the folder, or a given
path), so that a restart does not resubmit; ingestion is idempotent anyway, so a file handed over
twice (a crash between the handler's answer and the ledger's line) is stored once. The watcher
never deletes, moves or writes the user's files, never stops on a bad file or a handler that
raises, and takes files that vanish mid-poll in its stride. See ``docs/ingestion.md``.
"""

from __future__ import annotations

import fnmatch
import json
import logging
import os
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType

from openphm.core.errors import ConfigError
from openphm.pipeline.transport import (
    Handler,
    HandlerOutcome,
    IncomingFile,
    OutcomeCallback,
    call_handler,
)

__all__ = [
    "LEDGER_NAME",
    "TEMPORARY_SUFFIXES",
    "ScanResult",
    "Sighting",
    "WatchLedger",
    "WatchSummary",
    "is_temporary_name",
    "scan_once",
    "watch_folder",
]

_log = logging.getLogger(__name__)

#: The ledger's file name inside the watched folder (a dot-file, so never taken for data).
LEDGER_NAME = ".openphm-watch.jsonl"
#: Name endings of files still being written (compared case-insensitively).
TEMPORARY_SUFFIXES = (".tmp", ".temp", ".part", ".partial", ".filepart", ".crdownload", "~")


def is_temporary_name(name: str) -> bool:
    """Whether a file name marks a file still being written or not meant for ingestion.

    Dot-files (``.x.csv``, editors' and rsync's temporaries, the watcher's own ledger) and names
    ending in one of :data:`TEMPORARY_SUFFIXES` are temporary.

    Parameters
    ----------
    name : str
        The file's name (without folder).

    Returns
    -------
    bool
        True when the file must be left alone.

    Examples
    --------
    >>> [is_temporary_name(n) for n in ("a.csv", "a.csv.part", ".a.csv", "a.csv~", "A.TMP")]
    [False, True, True, True, True]
    """
    lowered = name.lower()
    return name.startswith(".") or lowered.endswith(TEMPORARY_SUFFIXES)


@dataclass(frozen=True)
class Sighting:
    """A file seen but not handed over yet: its size and time, and since when they are unchanged.

    Parameters
    ----------
    size : int
        Size in bytes when last seen.
    mtime_ns : int
        Modification time in nanoseconds when last seen.
    since : float
        Monotonic clock reading (s) when this size and time were first seen.
    failures : int
        How many times the handler raised on this version of the file.
    """

    size: int
    mtime_ns: int
    since: float
    failures: int = 0


class WatchLedger:
    """Append-only record of the files handed over: one JSON line per (path, size, mtime).

    A line is appended (and flushed to disk) after the handler answers. A torn last line, left by
    a crash, is skipped on loading; lines of files that no longer exist, or have changed since, are
    dropped when the ledger is opened (the file is rewritten atomically).

    Parameters
    ----------
    path : pathlib.Path
        The ledger file (created when missing).
    root : pathlib.Path
        The watched folder; the ledger stores paths relative to it.

    Raises
    ------
    ConfigError
        The ledger cannot be written (a read-only folder: give another ``state_path``).
    """

    def __init__(self, path: Path, root: Path) -> None:
        self.path = Path(path)
        self.root = Path(root)
        self._seen: set[tuple[str, int, int]] = set()
        lines = self._load()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self._compact(lines):
                self._rewrite()
            with self.path.open("a", encoding="utf-8"):
                pass
        except OSError as exc:
            raise ConfigError(
                f"watch ledger {self.path}: cannot write it ({exc.strerror or exc}); "
                "give a writable state path"
            ) from exc

    def _load(self) -> list[tuple[str, int, int]]:
        if not self.path.exists():
            return []
        keys: list[tuple[str, int, int]] = []
        with self.path.open(encoding="utf-8", errors="replace") as f:
            for number, line in enumerate(f, start=1):
                try:
                    entry = json.loads(line)
                    keys.append((str(entry["path"]), int(entry["size"]), int(entry["mtime_ns"])))
                except (ValueError, KeyError, TypeError):
                    if line.strip():
                        _log.warning("%s line %d is unreadable; skipped", self.path, number)
        return keys

    def _compact(self, keys: list[tuple[str, int, int]]) -> bool:
        for key in keys:
            try:
                st = (self.root / key[0]).stat()
            except OSError:
                continue
            if (st.st_size, st.st_mtime_ns) == key[1:]:
                self._seen.add(key)
        return len(self._seen) != len(keys)

    def _rewrite(self) -> None:
        tmp = self.path.with_name(self.path.name + ".tmp")
        with tmp.open("w", encoding="utf-8") as f:
            for rel, size, mtime_ns in sorted(self._seen):
                f.write(json.dumps({"path": rel, "size": size, "mtime_ns": mtime_ns}) + "\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)

    def __contains__(self, key: object) -> bool:
        """Whether ``(relative path, size, mtime_ns)`` was handed over already."""
        return key in self._seen

    def __len__(self) -> int:
        """Number of files remembered."""
        return len(self._seen)

    def record(self, key: tuple[str, int, int], outcome: HandlerOutcome) -> None:
        """Remember a handed-over file; a write failure is logged (a restart then resubmits it).

        Parameters
        ----------
        key : tuple of (str, int, int)
            Relative path (POSIX), size in bytes, modification time in ns.
        outcome : HandlerOutcome
            The handler's answer, kept on the line for people reading the ledger.
        """
        self._seen.add(key)
        entry = {
            "path": key[0],
            "size": key[1],
            "mtime_ns": key[2],
            "status": outcome.status,
            "measurement_id": outcome.measurement_id,
            "at": datetime.now(UTC).isoformat(),
        }
        try:
            with self.path.open("a", encoding="utf-8") as f:
                f.write(json.dumps(entry) + "\n")
                f.flush()
                os.fsync(f.fileno())
        except OSError:
            _log.exception("cannot append to watch ledger %s", self.path)


@dataclass(frozen=True)
class ScanResult:
    """What one scan of the folder did.

    Parameters
    ----------
    pending : Mapping
        Files seen but not handed over yet, by relative path: pass it to the next scan.
    outcomes : tuple of (pathlib.Path, HandlerOutcome)
        The files handed over in this scan and the handler's answers.
    failed : tuple of pathlib.Path
        Files on which the handler raised (retried on later scans, up to ``max_attempts``).
    vanished : tuple of pathlib.Path
        Files seen before (or listed in this scan) that were gone when looked at.
    unassigned : tuple of pathlib.Path
        Files lying directly in the folder while the point comes from sub-folders (ignored).
    """

    pending: Mapping[str, Sighting]
    outcomes: tuple[tuple[Path, HandlerOutcome], ...] = ()
    failed: tuple[Path, ...] = ()
    vanished: tuple[Path, ...] = ()
    unassigned: tuple[Path, ...] = ()


@dataclass(frozen=True)
class WatchSummary:
    """Counts of a watcher's run, returned when it stops.

    Parameters
    ----------
    cycles : int
        Scans done.
    stored, duplicate, refused : int
        Files the handler stored, found already stored, refused.
    failed : int
        Handler calls that raised.
    vanished : int
        Files that disappeared before they could be handed over.
    """

    cycles: int
    stored: int = 0
    duplicate: int = 0
    refused: int = 0
    failed: int = 0
    vanished: int = 0


def _candidates(folder: Path, point: str | None) -> Iterator[tuple[str, Path, str | None]]:
    """(relative POSIX path, path, point) of every non-temporary file under ``folder``.

    The point is ``point`` when given, else the first sub-folder's name (None for a file lying
    directly in the folder). Hidden folders are skipped; folder links are not followed.
    """

    def _warn(exc: OSError) -> None:
        _log.warning("cannot list %s: %s", exc.filename, exc.strerror or exc)

    for dirpath, dirnames, filenames in os.walk(folder, onerror=_warn):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        rel_dir = Path(dirpath).relative_to(folder)
        here = point if point is not None else (rel_dir.parts[0] if rel_dir.parts else None)
        for name in sorted(filenames):
            if not is_temporary_name(name):
                yield (rel_dir / name).as_posix(), Path(dirpath) / name, here


def scan_once(
    folder: str | os.PathLike[str],
    point: str | None,
    handler: Handler,
    *,
    ledger: WatchLedger,
    pending: Mapping[str, Sighting] | None = None,
    now: float | None = None,
    settle_s: float = 2.0,
    patterns: Sequence[str] | None = None,
    on_outcome: OutcomeCallback | None = None,
    max_attempts: int = 3,
) -> ScanResult:
    """Look at the folder once and hand over every file that has settled.

    A file is handed over when its size (non-zero) and modification time are the same as when
    first seen at least ``settle_s`` seconds ago, it is not in the ledger with that size and time,
    its name is not temporary (:func:`is_temporary_name`) and it matches ``patterns``. A file
    whose size or time changes starts settling again, so a file rewritten after ingestion is
    handed over again as a new version.

    Parameters
    ----------
    folder : str or os.PathLike
        The watched folder.
    point : str or None
        The measurement point of every file, or None to take it from the first sub-folder's name
        (``folder/<point>/...``; files directly in ``folder`` are then ignored).
    handler : Handler
        The ingestion function.
    ledger : WatchLedger
        What was handed over already; updated with this scan's answers.
    pending : Mapping, optional
        The previous scan's :attr:`ScanResult.pending` (None on the first scan).
    now : float, optional
        Monotonic clock reading in seconds (default ``time.monotonic()``), given by tests.
    settle_s : float
        Seconds a file's size and time must stay unchanged; 0 hands a file over when first seen.
    patterns : sequence of str, optional
        Shell patterns on the file name (``"*.csv"``), case-insensitive; None takes every file.
    on_outcome : callable, optional
        Told ``(item, outcome)`` for each answer of the handler.
    max_attempts : int
        Handler calls that may raise on one version of a file before it is left alone (until it
        changes or the watcher restarts).

    Returns
    -------
    ScanResult
        What was handed over, failed, vanished, and the files still settling.

    Examples
    --------
    >>> import tempfile
    >>> from openphm.pipeline.transport import HandlerOutcome
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "r1.csv").write_text("0.1\\n0.2\\n")
    >>> ledger = WatchLedger(d / LEDGER_NAME, d)
    >>> handler = lambda item: HandlerOutcome("stored", "", 1)
    >>> first = scan_once(d, "s/m/p", handler, ledger=ledger, now=0.0)
    >>> first.outcomes, sorted(first.pending)
    ((), ['r1.csv'])
    >>> later = scan_once(d, "s/m/p", handler, ledger=ledger, pending=first.pending, now=5.0)
    >>> [(p.name, o.status) for p, o in later.outcomes]
    [('r1.csv', 'stored')]
    """
    root = Path(folder)
    clock = time.monotonic() if now is None else now
    previous = dict(pending or {})
    lowered = [p.lower() for p in patterns] if patterns is not None else None
    kept: dict[str, Sighting] = {}
    outcomes: list[tuple[Path, HandlerOutcome]] = []
    failed: list[Path] = []
    vanished: list[Path] = []
    unassigned: list[Path] = []
    listed: set[str] = set()
    ledger_path = ledger.path.resolve()
    for rel, path, file_point in _candidates(root, point):
        if lowered is not None and not any(
            fnmatch.fnmatchcase(path.name.lower(), p) for p in lowered
        ):
            continue
        listed.add(rel)
        if file_point is None:
            unassigned.append(path)
            continue
        try:
            st = path.stat()
        except FileNotFoundError:
            vanished.append(path)
            continue
        except OSError as exc:
            _log.warning("cannot look at %s: %s", path, exc.strerror or exc)
            continue
        key = (rel, st.st_size, st.st_mtime_ns)
        if key in ledger or st.st_size == 0 or path.resolve() == ledger_path:
            continue
        seen = previous.get(rel)
        if seen is None or (seen.size, seen.mtime_ns) != key[1:]:
            seen = Sighting(st.st_size, st.st_mtime_ns, clock)
        if seen.failures >= max_attempts or clock - seen.since < settle_s:
            kept[rel] = seen
            continue
        item = IncomingFile(path=path, point=file_point, received_at=datetime.now(UTC))
        answer = call_handler(handler, item, on_outcome)
        if isinstance(answer, HandlerOutcome):
            ledger.record(key, answer)
            outcomes.append((path, answer))
            continue
        failed.append(path)
        kept[rel] = replace(seen, failures=seen.failures + 1)
        if seen.failures + 1 >= max_attempts:
            _log.error(
                "%s: the handler raised %d times; left alone until it changes or the watcher "
                "restarts",
                path,
                max_attempts,
            )
    vanished.extend(root / rel for rel in sorted(previous.keys() - listed))
    return ScanResult(
        pending=MappingProxyType(kept),
        outcomes=tuple(outcomes),
        failed=tuple(failed),
        vanished=tuple(vanished),
        unassigned=tuple(unassigned),
    )


def watch_folder(
    folder: str | os.PathLike[str],
    point: str | None,
    handler: Handler,
    *,
    poll_s: float = 1.0,
    settle_s: float = 2.0,
    patterns: Sequence[str] | None = None,
    stop: threading.Event | None = None,
    on_outcome: OutcomeCallback | None = None,
    max_cycles: int | None = None,
    state_path: str | os.PathLike[str] | None = None,
    max_attempts: int = 3,
) -> WatchSummary:
    """Watch a drop folder and hand each settled file to the handler once, until stopped.

    Each cycle is one :func:`scan_once`; between cycles the watcher sleeps ``poll_s`` seconds
    (waking at once when ``stop`` is set). A scan that fails as a whole (the folder unmounted) is
    logged and retried on the next cycle.

    Parameters
    ----------
    folder : str or os.PathLike
        The folder the acquisition unit writes into.
    point : str or None
        The measurement point of every file, or None to read it from the sub-folder layout
        ``folder/<point>/...`` (the first sub-folder's name is the point).
    handler : Handler
        The ingestion function.
    poll_s : float
        Seconds between scans (> 0).
    settle_s : float
        Seconds a file's size and modification time must stay unchanged before it is handed over.
    patterns : sequence of str, optional
        Shell patterns on file names (``["*.csv", "*.tdms"]``); None takes every file.
    stop : threading.Event, optional
        Set it to stop the watcher after the current scan; None runs until ``max_cycles``.
    on_outcome : callable, optional
        Told ``(item, outcome)`` for each answer of the handler.
    max_cycles : int, optional
        Stop after this many scans (None: until ``stop`` is set).
    state_path : str or os.PathLike, optional
        The ledger's path; default ``folder/.openphm-watch.jsonl``.
    max_attempts : int
        Handler failures on one version of a file before it is left alone.

    Returns
    -------
    WatchSummary
        Counts of the run.

    Raises
    ------
    ConfigError
        The folder does not exist, a period is out of range, or the ledger cannot be written.

    Examples
    --------
    >>> import tempfile
    >>> from openphm.pipeline.transport import HandlerOutcome
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "r1.csv").write_text("0.1\\n")
    >>> watch_folder(d, "s/m/p", lambda i: HandlerOutcome("stored", "", 1),
    ...              poll_s=0.01, settle_s=0.0, max_cycles=2)
    WatchSummary(cycles=2, stored=1, duplicate=0, refused=0, failed=0, vanished=0)
    """
    root = Path(folder)
    if not root.is_dir():
        raise ConfigError(f"watch folder {root}: not an existing folder")
    if not poll_s > 0:
        raise ConfigError(f"watch_folder poll_s must be > 0 s, got {poll_s!r}")
    if not settle_s >= 0:
        raise ConfigError(f"watch_folder settle_s must be >= 0 s, got {settle_s!r}")
    if max_attempts < 1:
        raise ConfigError(f"watch_folder max_attempts must be >= 1, got {max_attempts!r}")
    ledger = WatchLedger(Path(state_path) if state_path else root / LEDGER_NAME, root)
    stop = stop or threading.Event()
    pending: Mapping[str, Sighting] = {}
    warned: set[Path] = set()
    counts = {"stored": 0, "duplicate": 0, "refused": 0, "failed": 0, "vanished": 0}
    cycles = 0
    _log.info("watching %s (point %s, %d files known)", root, point or "per folder", len(ledger))
    while not stop.is_set() and (max_cycles is None or cycles < max_cycles):
        try:
            result = scan_once(
                root,
                point,
                handler,
                ledger=ledger,
                pending=pending,
                settle_s=settle_s,
                patterns=patterns,
                on_outcome=on_outcome,
                max_attempts=max_attempts,
            )
        except Exception:
            _log.exception("scan of %s failed; retrying in %g s", root, poll_s)
        else:
            pending = result.pending
            for _, outcome in result.outcomes:
                counts[outcome.status] += 1
            counts["failed"] += len(result.failed)
            counts["vanished"] += len(result.vanished)
            for path in set(result.unassigned) - warned:
                _log.warning("%s lies outside any point's sub-folder; ignored", path)
            warned |= set(result.unassigned)
        cycles += 1
        if max_cycles is None or cycles < max_cycles:
            stop.wait(poll_s)
    return WatchSummary(cycles=cycles, **counts)
