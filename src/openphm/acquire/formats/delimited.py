"""Delimited text reader (CSV, TSV, semicolon- or space-separated): one numeric column per channel.

Layout detection, from the first lines of the file:

- **encoding**: UTF-8 (with or without BOM), UTF-16 with BOM, else Latin-1; NUL bytes or many
  control characters mean the file is not text;
- **preamble**: leading lines starting with ``#``, ``%`` or ``//`` are comments; ``key: value`` or
  ``key = value`` comments become metadata, and a rate among them (``# fs = 25600``) is used;
- **delimiter**: among ``,`` tab ``;`` ``|`` and runs of spaces, the one that splits the lines into
  the same number of fields with the most numeric columns (and the fewest text ones);
- **decimal comma**: detected when the delimiter is not a comma (``0,5;1,25``); a comma-separated
  file cannot use decimal commas, and a header/row field-count mismatch says so;
- **header**: the first line is a header when a field of a numeric column is not a number;
  labels such as ``DE (g)`` or ``acc [m/s^2]`` give the channel name ``DE`` and the unit ``g``.
  Without a header, channels are ``ch0``, ``ch1``...;
- **time column**: a column named ``t``, ``time``, ``time_s``, ``Time (ms)``... gives the rate and
  is not a channel (``time_column=`` names another one).

Text columns (timestamps, labels) are skipped. A non-numeric cell inside a numeric column is an
error naming the row. Numbers are parsed by pandas' C parser, which reads the shortest round-trip
text of a float64 back to the same value.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from openphm.acquire.formats.common import (
    TIME_UNITS,
    Array,
    Candidate,
    ChannelSelection,
    Group,
    Scalar,
    build_recording,
    candidates,
    rate_from_time,
    select,
    split_unit,
    time_scale,
)
from openphm.acquire.registry import SNIFF_BYTES, FileSource, register_reader
from openphm.core.errors import ConfigError, DataError
from openphm.core.waveform import Recording

if TYPE_CHECKING:  # pandas loads when a table is read, not when the readers register
    import pandas as pd

#: Delimiters tried, in order of preference on a tie (``" "`` means runs of white space).
DELIMITERS = (",", "\t", ";", "|", " ")
#: Lines of the head used to detect the layout.
LAYOUT_LINES = 40
_COMMENT = re.compile(r"^\s*(#|%|//)")
_KEY_VALUE = re.compile(r"^\s*(?:#|%|//)\s*([A-Za-z][\w .\-/()]*?)\s*[:=]\s*(\S.*?)\s*$")
_NUMBER_DOT = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$|^[-+]?(nan|inf|infinity)$", re.I)
_NUMBER_COMMA = re.compile(r"^[-+]?(\d+,?\d*|,\d+)([eE][-+]?\d+)?$|^[-+]?(nan|inf|infinity)$", re.I)


@dataclass(frozen=True)
class Layout:
    """The detected shape of a delimited text file.

    ``skip`` lines precede the header (or the data when ``header`` is False); ``labels`` are the
    column labels; ``numeric`` the indices of numeric columns; ``attrs`` the ``key: value``
    comments.
    """

    encoding: str
    delimiter: str
    decimal: str
    skip: int
    header: bool
    labels: tuple[str, ...]
    numeric: tuple[int, ...]
    attrs: dict[str, Scalar]


def decode_head(head: bytes) -> tuple[str, str] | None:
    """Decode the head of a text file: ``(text, encoding)``, or None when it is not text.

    Parameters
    ----------
    head : bytes
        The first bytes of the file (possibly cut inside a character).

    Returns
    -------
    tuple of (str, str) or None
        The text and the encoding name for pandas.

    Examples
    --------
    >>> decode_head(b"t,x\\n0,1\\n")
    ('t,x\\n0,1\\n', 'utf-8')
    >>> decode_head(b"\\x00\\x01\\x02binary") is None
    True
    """
    if head.startswith(codecs.BOM_UTF8):
        encoding, body = "utf-8-sig", head
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, body = "utf-16", head
    elif b"\x00" in head:
        return None
    else:
        encoding, body = "utf-8", head
    try:
        text = codecs.getincrementaldecoder(encoding)().decode(body, final=False)
    except UnicodeDecodeError:
        encoding, text = "latin-1", head.decode("latin-1")
    controls = sum(1 for c in text if (ord(c) < 32 and c not in "\t\r\n") or 0x7F <= ord(c) < 0xA0)
    if not text.strip() or controls > 0.01 * len(text):
        return None
    return text, encoding


def _split(line: str, delimiter: str) -> list[str]:
    if delimiter == " ":
        return line.split()
    return [f.strip() for f in next(csv.reader([line], delimiter=delimiter))]


def _is_number(field: str, decimal: str) -> bool:
    return bool((_NUMBER_COMMA if decimal == "," else _NUMBER_DOT).match(field))


def detect_layout(
    text: str,
    *,
    truncated: bool = True,
    delimiter: str | None = None,
    decimal: str | None = None,
    header: bool | None = None,
) -> Layout:
    """Detect encoding-independent layout (preamble, delimiter, decimal mark, header) from text.

    Parameters
    ----------
    text : str
        The decoded head of the file.
    truncated : bool
        Whether ``text`` may end inside a line (the last line is then ignored).
    delimiter : str, optional
        Force the delimiter (``","``, ``"\\t"``, ``";"``, ``" "`` for white space...).
    decimal : str, optional
        Force the decimal mark (``"."`` or ``","``).
    header : bool, optional
        Force whether the first non-comment line is a header.

    Returns
    -------
    Layout
        With ``encoding`` left empty (the caller knows it).

    Raises
    ------
    DataError
        No delimiter splits the lines into consistent numeric columns.

    Examples
    --------
    >>> lay = detect_layout("# fs: 100\\ntime;DE (g)\\n0;0,5\\n0,01;0,25\\n", truncated=False)
    >>> lay.delimiter, lay.decimal, lay.header, lay.labels, lay.attrs
    (';', ',', True, ('time', 'DE (g)'), {'fs': '100'})
    """
    lines = text.splitlines()
    if truncated and len(lines) > 1:
        lines = lines[:-1]
    skip = 0
    attrs: dict[str, Scalar] = {}
    while skip < len(lines) and (not lines[skip].strip() or _COMMENT.match(lines[skip])):
        match = _KEY_VALUE.match(lines[skip])
        if match:
            attrs[match.group(1)] = match.group(2)
        skip += 1
    body = [line for line in lines[skip : skip + LAYOUT_LINES] if line.strip()]
    if not body:
        raise DataError("no data lines after the comments")
    choices = DELIMITERS if delimiter is None else (delimiter,)
    best: tuple[tuple[int, int, int], str, str, bool, list[int]] | None = None
    for order, delim in enumerate(choices):
        for mark in (".", ",") if decimal is None else (decimal,):
            if mark == "," and delim == ",":
                continue
            found = _score(body, delim, mark, header)
            if found is None:
                continue
            n_numeric, n_text, has_header, numeric = found
            key = (n_numeric, -n_text, -order)
            if best is None or key > best[0]:
                best = (key, delim, mark, has_header, numeric)
    if best is None:
        raise DataError("no delimiter splits the lines into consistent numeric columns")
    _, delim, mark, has_header, numeric = best
    first = _split(body[0], delim)
    data_fields = len(_split(body[1 if has_header else 0], delim)) if len(body) > has_header else 0
    if has_header and data_fields and len(first) != data_fields:
        hint = (
            " (decimal commas in a comma-separated file? use another delimiter or decimal points)"
            if delim == ","
            else ""
        )
        raise DataError(
            f"the header has {len(first)} labels but the rows have {data_fields} fields{hint}"
        )
    labels = tuple(first) if has_header else tuple(f"ch{i}" for i in range(len(first)))
    return Layout("", delim, mark, skip, has_header, labels, tuple(numeric), attrs)


def _score(
    body: list[str], delim: str, mark: str, header: bool | None
) -> tuple[int, int, bool, list[int]] | None:
    """(numeric columns, text columns plus stray text cells, header?, numeric indices), or None.

    A column is numeric when its first non-empty data cell is a number; a later text cell in it is
    "stray" (reported as an error when the file is read).
    """
    rows = [_split(line, delim) for line in body]
    width = len(rows[-1])
    if width == 0 or any(len(r) != width for r in rows[1:]):
        return None

    def numeric_columns(data: list[list[str]]) -> list[int]:
        firsts = [next((r[j] for r in data if r[j]), "") for j in range(width)]
        return [j for j, cell in enumerate(firsts) if _is_number(cell, mark)]

    numeric = numeric_columns(rows[1:] or rows)
    has_header = header
    if has_header is None:
        first = rows[0]
        has_header = len(rows) > 1 and (
            len(first) != width or any(first[j] and not _is_number(first[j], mark) for j in numeric)
        )
    if not has_header:
        if len(rows[0]) != width:
            return None
        numeric = numeric_columns(rows)
    data = rows[1:] if has_header else rows
    if not numeric:
        return None
    text_cols = sum(1 for j in range(width) if j not in numeric and any(r[j] for r in data))
    stray = sum(1 for r in data for j in numeric if r[j] and not _is_number(r[j], mark))
    return len(numeric), text_cols + stray, has_header, numeric


def sniff(src: FileSource) -> bool:
    """Text whose first lines split into consistent numeric columns.

    Parameters
    ----------
    src : FileSource
        The file, of which only the head is looked at.

    Returns
    -------
    bool
        Whether this reader recognises the content.
    """
    decoded = decode_head(src.head)
    if decoded is None:
        return False
    try:
        detect_layout(decoded[0], truncated=len(src.head) >= SNIFF_BYTES)
    except DataError:
        return False
    return True


def load(
    src: FileSource,
    *,
    fs: float | None = None,
    unit: str | None = None,
    channels: ChannelSelection = None,
    speed_hz: float | None = None,
    delimiter: str | None = None,
    decimal: str | None = None,
    header: bool | None = None,
    time_column: str | int | None = None,
) -> Recording:
    """Read a delimited text file.

    Parameters
    ----------
    src : FileSource
        The file (plain or compressed).
    fs : float, optional
        Sampling rate in Hz (replaces the rate of a time column or comment).
    unit : str, optional
        Unit of the samples (replaces units parsed from the header).
    channels : str, int or sequence, optional
        Column labels (or names without their unit, ``"DE"`` for ``DE (g)``) or 0-based column
        positions in the file; default every numeric column but the time column.
    speed_hz : float, optional
        Shaft speed in Hz.
    delimiter : str, optional
        Force the delimiter (``","``, ``"\\t"``, ``";"``, ``"|"``, ``" "`` for white space).
    decimal : str, optional
        Force the decimal mark (``"."`` or ``","``).
    header : bool, optional
        Force whether the first non-comment line holds column labels.
    time_column : str or int, optional
        Column holding the time in seconds (its label or position), when its name does not say so.

    Returns
    -------
    Recording
        ``metadata`` holds the ``key: value`` comments of the preamble.

    Raises
    ------
    DataError
        Not a delimited numeric text, a non-numeric cell, a missing rate...

    Examples
    --------
    >>> from openphm.acquire import read
    >>> rec = read("signals.csv", channels=["DE"])           # doctest: +SKIP
    """
    if delimiter is not None and delimiter not in DELIMITERS:
        raise ConfigError(f"{src.path}: delimiter={delimiter!r} must be one of {DELIMITERS}")
    if decimal not in (None, ".", ","):
        raise ConfigError(f"{src.path}: decimal={decimal!r} must be '.' or ','")
    decoded = decode_head(src.head)
    if decoded is None:
        raise DataError(f"{src.path}: not a text file (binary content)")
    try:
        layout = detect_layout(
            decoded[0],
            truncated=len(src.head) >= SNIFF_BYTES,
            delimiter=delimiter,
            decimal=decimal,
            header=header,
        )
    except DataError as exc:
        raise DataError(f"{src.path}: cannot read it as delimited text: {exc}") from None
    layout = dataclasses.replace(layout, encoding=decoded[1])
    table = _read_table(src, layout)
    names = _channel_names(layout.labels)
    arrays = {}
    for j in layout.numeric:
        label = layout.labels[j]
        column = _numeric_column(table[j], src, label, layout)
        parsed_unit = split_unit(label)[1]
        arrays[names[j]] = Array(column, {"unit": parsed_unit} if parsed_unit else {})
    found = candidates(Group(layout.attrs, arrays), min_samples=0)
    found = _apply_time_column(found, time_column, layout, names, src)
    chosen = select(found, _by_label(channels, layout.labels, names), src)
    return build_recording(
        src,
        chosen,
        reader="csv",
        fs=fs,
        unit=unit,
        speed_hz=speed_hz,
        metadata=layout.attrs,
    )


def _channel_names(labels: tuple[str, ...]) -> dict[int, str]:
    """Channel name of each column: its label without a unit, or the full label on a clash."""
    stripped = [split_unit(label)[0] or f"ch{j}" for j, label in enumerate(labels)]
    full = [label.strip() or f"ch{j}" for j, label in enumerate(labels)]
    names = stripped if len(set(stripped)) == len(stripped) else full
    if len(set(names)) != len(names):
        names = [f"{name}#{j}" if names.count(name) > 1 else name for j, name in enumerate(names)]
    return dict(enumerate(names))


def _by_label(
    channels: ChannelSelection, labels: tuple[str, ...], names: dict[int, str]
) -> ChannelSelection:
    """Translate labels and file column positions into channel names."""
    if channels is None:
        return None
    wanted = [channels] if isinstance(channels, str | int) else list(channels)
    out: list[str | int] = []
    for item in wanted:
        if isinstance(item, int) and not isinstance(item, bool) and 0 <= item < len(labels):
            out.append(names[item])
        elif isinstance(item, str) and item in labels and item not in names.values():
            out.append(names[labels.index(item)])
        else:
            out.append(item)
    return out


def _read_table(src: FileSource, layout: Layout) -> pd.DataFrame:
    import pandas as pd

    sep = r"\s+" if layout.delimiter == " " else layout.delimiter
    with src.open() as fh:
        return pd.read_csv(
            fh,
            sep=sep,
            header=None,
            names=list(range(len(layout.labels))),
            skiprows=layout.skip + int(layout.header),
            usecols=list(layout.numeric),
            decimal=layout.decimal,
            encoding=layout.encoding,
            engine="c",
            skipinitialspace=True,
            skip_blank_lines=True,
            index_col=False,
            comment=None,
        )


def _numeric_column(column: pd.Series[Any], src: FileSource, label: str, layout: Layout) -> Any:
    """The column as float64; a cell that is not a number is an error naming its row."""
    import pandas as pd

    if pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column):
        return column.to_numpy(dtype=np.float64)
    numbers = pd.to_numeric(column, errors="coerce")
    bad = numbers.isna() & column.notna()
    row = int(np.flatnonzero(bad.to_numpy())[0]) if bad.any() else 0
    raise DataError(
        f"{src.path}: column {label!r}, data row {row + 1} "
        f"(line {layout.skip + int(layout.header) + row + 1}): {column.iloc[row]!r} is not a number"
    )


def _apply_time_column(
    found: list[Candidate],
    time_column: str | int | None,
    layout: Layout,
    names: dict[int, str],
    src: FileSource,
) -> list[Candidate]:
    """Make the chosen column the time vector: it gives the rate of the others."""
    if time_column is None:
        return found
    selection = _by_label(time_column, layout.labels, names)
    time = select(found, selection, src)[0]
    scale = TIME_UNITS.get(time.unit) or time_scale(time.name) or 1.0
    where = f"{src.path}: time column {time.name!r}"
    rate = functools.cache(
        lambda: rate_from_time(np.asarray(time.load(), dtype=np.float64) * scale, where)
    )
    return [
        dataclasses.replace(c, is_time=True)
        if c.name == time.name
        else dataclasses.replace(c, fs=rate, is_time=False)
        for c in found
    ]


register_reader(
    "csv",
    sniff,
    load,
    priority=110,
    suffixes=(".csv", ".tsv", ".txt", ".dat", ".asc", ".tab"),
    description="delimited text (CSV, TSV, ...; pandas)",
)
