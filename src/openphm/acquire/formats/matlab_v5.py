"""Structural check of a MATLAB level-5 MAT-file before scipy parses it.

scipy's v5 reader trusts the element tags of the file: a corrupt data-type code makes it index past
a C table and crash the interpreter (scipy documents ``loadmat`` as not hardened against untrusted
input; see scipy issue 25349). This module walks the element tree first, with the layout of the
MathWorks "MAT-File Format" document (level 5: 128-byte header, then tagged data elements,
compressed ones holding one zlib-deflated element), and refuses any element whose type code, size or
array header is impossible. It also tells which top-level variables scipy may read: sparse matrices,
function handles and opaque objects (string, table, datetime classes), which cannot be channels, are
left out rather than parsed.
"""

from __future__ import annotations

import math
import struct
import zlib
from dataclasses import dataclass

from openphm.core.errors import DataError

#: Bytes of the text-and-version header that precedes the data elements.
HEADER_BYTES = 128
#: Element type codes and the size of one item (0 for containers).
ITEM_BYTES = {1: 1, 2: 1, 3: 2, 4: 2, 5: 4, 6: 4, 7: 4, 9: 8, 12: 8, 13: 8, 16: 1, 17: 2, 18: 4}
MATRIX, COMPRESSED = 14, 15
#: Type codes of plain numbers (not text).
NUMERIC_TYPES = frozenset({1, 2, 3, 4, 5, 6, 7, 9, 12, 13})
#: Array classes: cell, struct, object, char, sparse, numeric (6-15), function, opaque.
CELL, STRUCT, OBJECT, CHAR, SPARSE, FUNCTION, OPAQUE = 1, 2, 3, 4, 5, 16, 17
NUMERIC_CLASSES = frozenset(range(6, 16))
#: Classes scipy is not asked to read (they cannot hold a channel).
SKIPPED_CLASSES = frozenset({SPARSE, FUNCTION, OPAQUE})
#: Deepest nesting of cells and structs followed.
MAX_DEPTH = 32


@dataclass(frozen=True)
class _Element:
    kind: int
    start: int
    end: int


class _Skip(Exception):
    """A variable holds a class that is not read (sparse, function, opaque)."""


def readable_variables(data: bytes) -> list[str]:
    """Check the element tree of a level-5 MAT-file and list the variables safe to read.

    Parameters
    ----------
    data : bytes
        The whole file.

    Returns
    -------
    list of str
        Names of the top-level variables, in file order, without those holding sparse matrices,
        function handles or opaque objects.

    Raises
    ------
    DataError
        An element has an impossible type code, size or array header (the message says which,
        without the file name).

    Examples
    --------
    >>> import io, numpy as np, scipy.io
    >>> buf = io.BytesIO()
    >>> scipy.io.savemat(buf, {"x": np.arange(4.0), "fs": 100.0})
    >>> readable_variables(buf.getvalue())
    ['x', 'fs']
    """
    if len(data) < HEADER_BYTES:
        raise DataError("shorter than the 128-byte MAT-file header")
    mark = data[126:128]
    if mark not in (b"IM", b"MI"):
        raise DataError("no endian indicator in the MAT-file header")
    order = "<" if mark == b"IM" else ">"
    names = []
    for element in _elements(data, HEADER_BYTES, len(data), order, top=True):
        body, kind = data, element.kind
        start, end = element.start, element.end
        if kind == COMPRESSED:
            body = _inflate(data[start:end])
            inner = next(iter(_elements(body, 0, len(body), order, top=True, single=True)), None)
            if inner is None or inner.kind != MATRIX:
                raise DataError(f"a compressed element at byte {start - 8} holds no matrix")
            start, end = inner.start, inner.end
        elif kind != MATRIX:
            raise DataError(f"top-level element of type {kind} at byte {start - 8}, not a matrix")
        try:
            name = _matrix(body, start, end, order, 0)
        except _Skip:
            continue
        names.append(name)
    return names


def _inflate(blob: bytes) -> bytes:
    try:
        return zlib.decompressobj().decompress(blob)
    except zlib.error as exc:
        raise DataError(f"a compressed element is corrupt ({exc})") from None


def _elements(
    data: bytes, pos: int, end: int, order: str, *, top: bool = False, single: bool = False
) -> list[_Element]:
    """Split ``data[pos:end]`` into tagged elements (8-byte tags or 4-byte small-element tags)."""
    out = []
    while pos < end:
        if end - pos < 8:
            if top and not any(data[pos:end]):
                break
            raise DataError(f"{end - pos} stray bytes at byte {pos}")
        kind, size = struct.unpack_from(order + "II", data, pos)
        if kind >> 16:
            size, kind = kind >> 16, kind & 0xFFFF
            if size > 4:
                raise DataError(f"a small element at byte {pos} claims {size} bytes")
            start, stop, pos = pos + 4, pos + 4 + size, pos + 8
        else:
            start, stop = pos + 8, pos + 8 + size
            pos = stop if kind == COMPRESSED else stop + (-size % 8)
        if stop > end:
            raise DataError(f"an element at byte {start} runs past the end of its container")
        if kind not in ITEM_BYTES and kind not in (MATRIX, COMPRESSED):
            raise DataError(f"unknown element type code {kind} at byte {start}")
        if kind == COMPRESSED and not top:
            raise DataError(f"a compressed element nested inside a matrix at byte {start}")
        out.append(_Element(kind, start, stop))
        if single:
            break
    return out


def _matrix(data: bytes, start: int, end: int, order: str, depth: int) -> str:
    """Check one matrix element; return its name (raise ``_Skip`` for classes not read)."""
    if depth > MAX_DEPTH:
        raise DataError(f"cells or structs nested deeper than {MAX_DEPTH} levels")
    if start == end:
        return ""
    parts = _elements(data, start, end, order)
    if len(parts) < 3:
        raise DataError(f"a matrix at byte {start} lacks its flags, dimensions or name")
    flags, dims_el, name_el = parts[:3]
    if flags.kind != 6 or flags.end - flags.start != 8:
        raise DataError(f"a matrix at byte {start} has malformed array flags")
    word = struct.unpack_from(order + "I", data, flags.start)[0]
    cls, is_complex = word & 0xFF, bool(word & 0x0800)
    count, odd = divmod(dims_el.end - dims_el.start, 4)
    if dims_el.kind not in (5, 6) or odd or count == 0:
        raise DataError(f"a matrix at byte {start} has malformed dimensions")
    dims = struct.unpack_from(f"{order}{count}i", data, dims_el.start)
    if any(d < 0 for d in dims):
        raise DataError(f"a matrix at byte {start} has negative dimensions {dims}")
    if name_el.kind not in (1, 2, 16):
        raise DataError(f"a matrix at byte {start} has a malformed name")
    name = data[name_el.start : name_el.end].decode("latin-1")
    if cls in SKIPPED_CLASSES:
        raise _Skip
    n = math.prod(dims)
    rest = parts[3:]
    if cls in NUMERIC_CLASSES or cls == CHAR:
        _check_values(rest, n, 2 if is_complex else 1, cls, start)
    elif cls == CELL:
        _check_children(data, rest, n, order, depth, start)
    elif cls in (STRUCT, OBJECT):
        if cls == OBJECT:
            rest = rest[1:]
        if len(rest) < 2 or rest[0].kind != 5 or rest[1].kind not in (1, 2, 16):
            raise DataError(f"a struct at byte {start} has malformed field names")
        width = struct.unpack_from(order + "i", data, rest[0].start)[0]
        if width <= 0 or (rest[1].end - rest[1].start) % width:
            raise DataError(f"a struct at byte {start} has malformed field names")
        fields = (rest[1].end - rest[1].start) // width
        _check_children(data, rest[2:], n * fields, order, depth, start)
    else:
        raise DataError(f"a matrix at byte {start} has unknown class {cls}")
    return name


def _check_values(parts: list[_Element], n: int, expected: int, cls: int, start: int) -> None:
    if len(parts) != expected:
        raise DataError(f"a matrix at byte {start} has {len(parts)} data parts, not {expected}")
    for part in parts:
        size = ITEM_BYTES.get(part.kind, 0)
        text = cls == CHAR and part.kind in (16, 17, 18)
        if part.kind not in NUMERIC_TYPES and not text:
            raise DataError(f"a matrix at byte {start} stores its values as type {part.kind}")
        if not text and (part.end - part.start) != n * size:
            raise DataError(
                f"a matrix at byte {start} holds {(part.end - part.start) // size} values "
                f"for {n} elements"
            )


def _check_children(
    data: bytes, parts: list[_Element], n: int, order: str, depth: int, start: int
) -> None:
    if len(parts) != n or any(p.kind != MATRIX for p in parts):
        raise DataError(f"a cell or struct at byte {start} does not hold its {n} matrices")
    for part in parts:
        _matrix(data, part.start, part.end, order, depth + 1)
