"""The store's self-check: every row's file exists and hashes right; files no row names are orphans.

Orphans come from a crash between writing a file and committing its row, or from a temporary file a
crash left half-written. They are harmless (content-addressed, reused by the next ingest of the same
bytes) and can be collected; a temporary file younger than ``grace_s`` is spared, as an ingest may
be writing it right now.
"""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from openphm.store.blobs import TEMP_PREFIX, BlobStore, sha256_of
from openphm.store.models import DeadLetter, Measurement
from openphm.store.records import CheckReport

#: Age in seconds under which a file without a row may be an ingest in progress.
GRACE_S = 3600.0


def check_store(
    session: Session, blobs: BlobStore, collect: bool, grace_s: float = GRACE_S
) -> CheckReport:
    """Verify every measurement's file and list (and optionally remove) orphan files.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open session.
    blobs : BlobStore
        The waveform files.
    collect : bool
        Remove orphans older than ``grace_s``.
    grace_s : float
        Age in seconds under which an orphan is neither collected nor trusted to be one.

    Returns
    -------
    CheckReport
        What was found.
    """
    missing: list[int] = []
    corrupt: list[int] = []
    named: set[str] = set()
    checked = 0
    rows = session.execute(
        select(Measurement.id, Measurement.blob, Measurement.content_sha256)
        .where(Measurement.blob.is_not(None))
        .order_by(Measurement.id)
    )
    for ident, name, sha256 in rows:
        assert name is not None
        checked += 1
        named.add(name)
        path = blobs.path(name)
        if not path.is_file():
            missing.append(ident)
        elif sha256_of(path)[0] != sha256:
            corrupt.append(ident)
    named.update(
        session.scalars(select(DeadLetter.kept_blob).where(DeadLetter.kept_blob.is_not(None)))
    )
    now = time.time()
    orphans: list[Path] = []
    collected: list[Path] = []
    for path in sorted(blobs.files()):
        if blobs.relative(path) in named:
            continue
        orphans.append(path)
        young = now - path.stat().st_mtime < grace_s
        if collect and not young:
            path.unlink(missing_ok=True)
            collected.append(path)
        elif path.name.startswith(TEMP_PREFIX) and young:
            orphans.pop()
    return CheckReport(checked, tuple(missing), tuple(corrupt), tuple(orphans), tuple(collected))
