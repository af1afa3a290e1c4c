"""Dead letters: input refused with its reason (unknown point, corrupt file...), never stored.

A refused file's bytes may be kept (content-addressed, like waveforms) for someone to look at.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from openphm.core.errors import DataError
from openphm.store.blobs import BlobStore, blob_suffix, sha256_of
from openphm.store.models import DeadLetter
from openphm.store.records import DeadLetterInfo


def _info(row: DeadLetter) -> DeadLetterInfo:
    return DeadLetterInfo(
        row.id,
        row.received_at,
        row.source_name,
        row.point_ref,
        row.reason,
        row.sha256,
        row.size_bytes,
        row.kept_blob,
    )


def add_dead_letter(
    session: Session,
    blobs: BlobStore,
    *,
    source_name: str,
    reason: str,
    point_ref: str | None,
    data: bytes | Path | None,
    keep: bool,
    received_at: datetime,
) -> DeadLetterInfo:
    """Record a refused input.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open write session.
    blobs : BlobStore
        Where kept bytes go.
    source_name : str
        File name or topic it came from.
    reason : str
        Why it was refused, for people.
    point_ref : str or None
        The point it claimed to belong to.
    data : bytes, pathlib.Path or None
        Its content, to hash (and keep when ``keep``); None when unreadable or too big to touch.
    keep : bool
        Whether to keep the bytes as a file.
    received_at : datetime.datetime
        When it arrived (UTC).

    Returns
    -------
    DeadLetterInfo
        The record.
    """
    sha256 = size = kept = None
    if data is not None:
        try:
            sha256, size = sha256_of(data)
        except DataError:
            sha256 = None
        if keep and sha256 is not None:
            kept = blobs.put(data, sha256, blob_suffix(source_name))
    row = DeadLetter(
        received_at=received_at,
        source_name=source_name,
        point_ref=point_ref,
        reason=reason,
        sha256=sha256,
        size_bytes=size,
        kept_blob=kept,
    )
    session.add(row)
    session.flush()
    return _info(row)


def list_dead_letters(session: Session, limit: int | None) -> list[DeadLetterInfo]:
    """Refused inputs, newest first.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open session.
    limit : int or None
        At most this many.

    Returns
    -------
    list of DeadLetterInfo
        The records.
    """
    query = select(DeadLetter).order_by(DeadLetter.id.desc())
    if limit is not None:
        query = query.limit(limit)
    return [_info(r) for r in session.scalars(query)]
