"""Strict, streaming reader for PxWeb CSV downloads (title line, blank line, header, wide period columns).

A first pass checks every row and collects the dimension values (their codes and labels only); the
cells are then read again, unpivoted to long form, by ``PxWebCsvTable.cells()``. Neither pass holds
the file: memory grows with the number of distinct labels and rows (a few bytes per row), not bytes.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import math
import re
import shutil
import tempfile
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import BinaryIO

from .common import (
    MISSING_MEANINGS,
    Cell,
    Dimension,
    DimensionValue,
    Missing,
    Table,
    TableFormatError,
    TableMetadata,
    infer_periods,
)

__all__ = ["PxWebCsvError", "PxWebCsvTable", "parse_pxweb_csv", "split_code_label"]

CHUNK_BYTES = 64 * 1024
SPOOL_IN_MEMORY_BYTES = 8 * 1024 * 1024
EMPTY_CELL = Missing("", "empty cell (no value given)")

_BOM = b"\xef\xbb\xbf"
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
_C1 = re.compile(rb"[\x80-\x9f]")
_CODE_LABEL = re.compile(r"(?P<code>\S+)  (?P<label>\S.*)", re.DOTALL)
_NUMBER = {
    ".": re.compile(r"-?\d+(?:\.\d+)?"),
    ",": re.compile(r"-?\d+(?:,\d+)?"),  # semicolon-separated downloads use a decimal comma
}
_TITLE_ID = re.compile(r"(?P<id>[0-9A-Za-z_]+) -- ")
_DELIMITERS = (",", ";", "\t")


class PxWebCsvError(TableFormatError):
    """A PxWeb CSV download is malformed; ``line`` says where when known."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        self.message = message
        self.line = line
        super().__init__(f"line {line}: {message}" if line else message)


def split_code_label(text: str) -> tuple[str, str] | None:
    """'00100  Helsinki keskusta (Helsinki)' -> ('00100', 'Helsinki keskusta (Helsinki)'), else None."""
    match = _CODE_LABEL.fullmatch(text)
    return (match.group("code"), match.group("label")) if match else None


class _Decoder:
    """Decode a byte stream chunk by chunk, detecting UTF-8 (with or without BOM) or ISO-8859-1/Windows-1252.

    While only ASCII has been seen the encoding is still open: the text so far is the same in all
    of them, so the decision can wait for the first non-ASCII byte.
    """

    def __init__(self, encoding: str | None) -> None:
        self.encoding = encoding  # None while undecided
        self.bom = False
        self._utf8 = codecs.getincrementaldecoder("utf-8")()
        self._lines = 0

    def _latin(self, raw: bytes) -> str:
        if _C1.search(raw):
            undefined = next((b for b in raw if b in _CP1252_UNDEFINED), None)
            if undefined is not None:
                raise PxWebCsvError(
                    f"byte 0x{undefined:02x} is not text in ISO-8859-1 or Windows-1252:"
                    " not a PxWeb CSV file?",
                    line=self._lines + 1,
                )
            self.encoding = "windows-1252"
            return raw.decode("cp1252")
        if self.encoding is None:
            self.encoding = "iso-8859-1"
        return raw.decode("cp1252" if self.encoding == "windows-1252" else "iso-8859-1")

    def decode(self, raw: bytes, *, final: bool) -> str:
        text = self._decode(raw, final=final)
        self._lines += text.count("\n")
        return text

    def _decode(self, raw: bytes, *, final: bool) -> str:
        if self.encoding in {"iso-8859-1", "windows-1252"}:
            return self._latin(raw)
        pending = self._utf8.getstate()[0]
        if self.encoding is None and raw.isascii() and not pending:
            return raw.decode("ascii")
        try:
            text = self._utf8.decode(raw, final)
        except UnicodeDecodeError as exc:
            if self.encoding == "utf-8":
                raise PxWebCsvError(
                    f"bytes {exc.object[exc.start : exc.start + 4]!r} are not UTF-8 although the file"
                    " started as UTF-8",
                    line=self._lines + 1,
                ) from None
            self._utf8.reset()
            return self._latin(pending + raw)
        if self.encoding is None and not text.isascii():
            self.encoding = "utf-8"
        return text

    def lines(self, stream: BinaryIO) -> Iterator[str]:
        """Lines with their line endings, decoded as they arrive."""
        carry = ""
        first = True
        while True:
            raw = stream.read(CHUNK_BYTES)
            if isinstance(raw, str):
                raise TypeError("parse_pxweb_csv needs a binary stream: open the file with 'rb'")
            if first and raw.startswith(_BOM):
                self.bom = True
                if self.encoding not in {None, "utf-8"}:
                    raise PxWebCsvError(f"the file starts with a UTF-8 byte order mark, not {self.encoding}")
                self.encoding = "utf-8"
                raw = raw[len(_BOM) :]
            first = False
            text = carry + self.decode(raw, final=not raw)
            if not raw:
                if text:
                    yield text
                return
            parts = text.split("\n")
            carry = parts.pop()
            for part in parts:
                yield part + "\n"


@dataclass
class _Layout:
    delimiter: str
    title: str | None
    header: list[str]
    header_line: int
    skip_lines: int  # physical lines before the first data row
    stub_count: int = 0


@dataclass
class PxWebCsvTable(Table):
    """A checked PxWeb CSV download; ``cells()`` reads the file again and yields long-form cells."""

    encoding: str = "ascii"
    row_count: int = 0
    footnotes: tuple[str, ...] = ()
    _stream: BinaryIO | None = field(default=None, repr=False)
    _start: int = field(default=0, repr=False)
    _layout: _Layout | None = field(default=None, repr=False)
    _split: tuple[bool, ...] = field(default=(), repr=False)

    def cells(self) -> Iterator[Cell]:
        """Cells in stub order, each wide column unpivoted into the last dimension."""
        if self._stream is None or self._layout is None:
            raise ValueError("this table has no data stream")
        return self._cells(self._stream, self._layout)

    def _cells(self, stream: BinaryIO, layout: _Layout) -> Iterator[Cell]:
        stream.seek(self._start)
        wide = self.dimensions[-1].codes
        number = _NUMBER["," if layout.delimiter == ";" else "."]
        for line, row in _data_rows(
            _Decoder(self.encoding if self.encoding != "ascii" else None), stream, layout
        ):
            key = tuple(
                (split_code_label(text) or (text, ""))[0] if split else text
                for text, split in zip(row[: layout.stub_count], self._split, strict=True)
            )
            for code, text in zip(wide, row[layout.stub_count :], strict=True):
                value, missing = _cell(text, number, line)
                yield Cell((*key, code), value, missing)


def _cell(text: str, number: re.Pattern[str], line: int) -> tuple[Decimal | None, Missing | None]:
    text = text.strip()
    if number.fullmatch(text):
        return Decimal(text.replace(",", ".")), None
    if text == "":
        return None, EMPTY_CELL
    meaning = MISSING_MEANINGS.get(text)
    if meaning is None:
        raise PxWebCsvError(f"{text[:40]!r} is neither a number nor a missing-value marker", line=line)
    return None, Missing(text, meaning)


def _read_layout(lines: Iterator[str]) -> tuple[_Layout, list[str]]:
    """Find the optional title line, the header and the delimiter (reading only up to the header)."""
    title: str | None = None
    title_line = 0
    for number, text in enumerate(lines, 1):
        if not text.strip():
            if number > 20:
                raise PxWebCsvError("no header within the first 20 lines", line=number)
            continue
        widest = max(_DELIMITERS, key=lambda d: _fields(text, d))
        if _fields(text, widest) == 1 and title is None:
            title, title_line = next(csv.reader([text])), number
            title = title[0] if title else ""
            continue
        if _fields(text, widest) < 2:
            raise PxWebCsvError("expected a header with at least two columns", line=number)
        header = next(csv.reader([text], delimiter=widest, strict=True))
        if len(set(header)) != len(header):
            raise PxWebCsvError("a column name appears twice in the header", line=number)
        return _Layout(widest, title, header, number, number), []
    if title is not None:
        raise PxWebCsvError("no header line after the title", line=title_line)
    raise PxWebCsvError("the file is empty")


def _fields(text: str, delimiter: str) -> int:
    try:
        return len(next(csv.reader([text], delimiter=delimiter, strict=True), []))
    except csv.Error:
        return 0


def _data_rows(decoder: _Decoder, stream: BinaryIO, layout: _Layout) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) of every data row; blank lines end the data, notes may follow."""
    lines = decoder.lines(stream)
    for _ in range(layout.skip_lines):
        next(lines, None)
    yield from _rows_after_header(lines, layout, [])


def _rows_after_header(
    lines: Iterator[str], layout: _Layout, footnotes: list[str]
) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(lines, delimiter=layout.delimiter, strict=True)
    width = len(layout.header)
    ended = False
    try:
        for row in reader:
            line = layout.skip_lines + reader.line_num
            if not row or not any(field.strip() for field in row):
                ended = True
                continue
            if ended:
                if len(row) != 1:
                    raise PxWebCsvError("a data row after the blank line that ends the data", line=line)
                footnotes.append(row[0])
                continue
            if len(row) != width:
                raise PxWebCsvError(f"the row has {len(row)} fields but the header has {width}", line=line)
            yield line, row
    except csv.Error as exc:
        raise PxWebCsvError(f"malformed CSV: {exc}", line=layout.skip_lines + reader.line_num) from None


def _stub_count(header: list[str], first_row: list[str] | None, number: re.Pattern[str]) -> int:
    """Leading columns that name the stub variables; the rest are the wide (usually period) columns."""
    for count in range(1, len(header)):
        if infer_periods(tuple(header[count:])) is not None:
            return count
    if first_row is None:
        raise PxWebCsvError("cannot tell the label columns from the value columns without a data row")
    count = 0
    for text in first_row:
        stripped = text.strip()
        if number.fullmatch(stripped) or stripped in MISSING_MEANINGS or stripped == "":
            break
        count += 1
    if not 1 <= count < len(header):
        raise PxWebCsvError("cannot tell the label columns from the value columns; pass stub_columns=")
    return count


def parse_pxweb_csv(
    stream: BinaryIO | bytes,
    *,
    language: str = "fi",
    encoding: str | None = None,
    stub_columns: int | None = None,
    wide_dimension: str | None = None,
) -> PxWebCsvTable:
    """Check a PxWeb CSV download and read its dimensions; cells stream from ``cells()``.

    ``language`` is the language of the labels (a CSV download does not say). ``encoding`` forces
    one instead of detecting it. ``stub_columns`` overrides how many leading columns are labels.
    ``wide_dimension`` names the dimension of the value columns ("time" or "heading" by default).
    """
    if isinstance(stream, bytes | bytearray):
        stream = io.BytesIO(stream)
    if not stream.seekable():
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY_BYTES)  # noqa: SIM115 - lives with the table
        shutil.copyfileobj(stream, spool, CHUNK_BYTES)
        spool.seek(0)
        stream = spool  # type: ignore[assignment]
    if encoding is not None:
        encoding = {
            "latin-1": "iso-8859-1",
            "latin1": "iso-8859-1",
            "cp1252": "windows-1252",
            "utf8": "utf-8",
        }.get(encoding.lower(), encoding.lower())
        if encoding not in {"utf-8", "iso-8859-1", "windows-1252"}:
            raise ValueError(f"unsupported encoding {encoding!r}")
    start = stream.tell()
    decoder = _Decoder(encoding)
    lines = decoder.lines(stream)
    layout, rest = _read_layout(lines)
    number = _NUMBER["," if layout.delimiter == ";" else "."]
    footnotes: list[str] = []
    rows = _rows_after_header(itertools.chain(rest, lines), layout, footnotes)
    first = next(rows, None)
    layout.stub_count = stub_columns or _stub_count(layout.header, first[1] if first else None, number)
    if not 1 <= layout.stub_count < len(layout.header):
        raise ValueError(f"stub_columns must be 1…{len(layout.header) - 1}")

    stub_count = layout.stub_count
    seen: list[dict[str, int]] = [{} for _ in range(stub_count)]
    splittable = [True] * stub_count
    indices = array("I")
    row_lines = array("I")
    row_count = 0
    for line, row in itertools.chain([first] if first else [], rows):
        row_count += 1
        for column, text in enumerate(row[:stub_count]):
            position = seen[column].setdefault(text, len(seen[column]))
            indices.append(position)
            if splittable[column] and split_code_label(text) is None:
                splittable[column] = False
        row_lines.append(line)
        for text in row[stub_count:]:
            _cell(text, number, line)
    if row_count == 0:
        raise PxWebCsvError("the file has a header but no data rows", line=layout.header_line)

    dimensions = _dimensions(layout, seen, splittable, language, wide_dimension)
    _check_complete(dimensions[:stub_count], indices, row_lines, row_count)
    title = layout.title
    table_id = _TITLE_ID.match(title) if title else None
    metadata = TableMetadata(
        source_format="pxweb-csv",
        table_id=table_id.group("id") if table_id else None,
        title={language: title} if title else {},
        languages=(language,),
        default_language=language,
        encoding=decoder.encoding or "ascii",
        extra={"delimiter": layout.delimiter, "bom": decoder.bom},
    )
    return PxWebCsvTable(
        metadata=metadata,
        dimensions=dimensions,
        encoding=decoder.encoding or "ascii",
        row_count=row_count,
        footnotes=tuple(footnotes),
        _stream=stream,
        _start=start,
        _layout=layout,
        _split=tuple(splittable),
    )


def _dimensions(
    layout: _Layout,
    seen: list[dict[str, int]],
    splittable: list[bool],
    language: str,
    wide_dimension: str | None,
) -> tuple[Dimension, ...]:
    dimensions = []
    for column, texts in enumerate(seen):
        values = []
        for text in texts:
            code, label = split_code_label(text) if splittable[column] else (text, text)  # type: ignore[misc]
            values.append(DimensionValue(code=code, labels={language: label}))
        name = layout.header[column]
        try:
            dimensions.append(
                Dimension(code=name, labels={language: name}, values=tuple(values), placement="stub")
            )
        except TableFormatError as exc:
            raise PxWebCsvError(f"column {name!r}: {exc} after splitting 'code  name' labels") from None
    wide = tuple(layout.header[layout.stub_count :])
    periods = infer_periods(wide)
    code = wide_dimension or ("time" if periods else "heading")
    dimensions.append(
        Dimension(
            code=code,
            labels={language: code},
            values=tuple(
                DimensionValue(code=text, labels={language: text}, period=periods[i] if periods else None)
                for i, text in enumerate(wide)
            ),
            placement="heading",
            is_time=periods is not None,
            time_unit=periods[0].unit if periods else None,
        )
    )
    return tuple(dimensions)


def _check_complete(
    stubs: tuple[Dimension, ...], indices: array[int], row_lines: array[int], rows: int
) -> None:
    """The rows must be every combination of the label columns, once, in PxWeb's order."""
    expected = math.prod(len(d) for d in stubs)
    width = len(stubs)
    combinations = itertools.product(*(range(len(d)) for d in stubs))
    for row in range(rows):
        found = tuple(indices[row * width : (row + 1) * width])
        if next(combinations, None) != found:
            labels = ", ".join(d.values[i].code for d, i in zip(stubs, found, strict=True))
            raise PxWebCsvError(
                f"the row ({labels}) is a repeat or out of order: the rows must be each combination of"
                f" {', '.join(repr(d.code) for d in stubs)} once, in order",
                line=row_lines[row],
            )
    if rows != expected:
        raise PxWebCsvError(
            f"{rows} data rows but the label columns call for {expected}"
            f" ({' × '.join(str(len(d)) for d in stubs)}): expected {expected}, found {rows}"
        )
