"""Strict, streaming PC-Axis (.px) reader for AXIS-VERSION 2006, 2010 and 2013 files.

The keywords before ``DATA=`` (and any after the data block, such as Statistics Finland's trailing
VALUENOTEs) are read into memory; the data block is never held whole: ``PxTable.cells()`` reads it
64 KiB at a time, so memory stays flat however large the file is.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import itertools
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import BinaryIO
from zoneinfo import ZoneInfo

from .common import (
    MISSING_MEANINGS,
    Cell,
    Dimension,
    DimensionValue,
    Missing,
    Table,
    TableFormatError,
    TableMetadata,
    TimePeriod,
    infer_periods,
    labels_from,
    parse_period,
    shape_text,
)

__all__ = ["PxFormatError", "PxKeyword", "PxTable", "open_px", "parse_px"]

DATA_CHUNK_BYTES = 64 * 1024
MAX_LINE_BYTES = 16 * 1024 * 1024
MAX_DATA_TOKEN_BYTES = 4096
SPOOL_IN_MEMORY_BYTES = 8 * 1024 * 1024
STATISTICS_FINLAND_TZ = ZoneInfo("Europe/Helsinki")

# CODEPAGE spellings seen in PX files -> (canonical name, Python codec).
_CODEPAGES: dict[str, tuple[str, str]] = {
    "iso-8859-1": ("iso-8859-1", "iso-8859-1"),
    "iso8859-1": ("iso-8859-1", "iso-8859-1"),
    "latin1": ("iso-8859-1", "iso-8859-1"),
    "latin-1": ("iso-8859-1", "iso-8859-1"),
    "iso-8859-15": ("iso-8859-15", "iso-8859-15"),
    "iso8859-15": ("iso-8859-15", "iso-8859-15"),
    "latin-9": ("iso-8859-15", "iso-8859-15"),
    "latin9": ("iso-8859-15", "iso-8859-15"),
    "utf-8": ("utf-8", "utf-8"),
    "utf8": ("utf-8", "utf-8"),
    "windows-1252": ("windows-1252", "cp1252"),
    "cp1252": ("windows-1252", "cp1252"),
}
_DEFAULT_CODEPAGE = "iso-8859-1"  # the PX specification's default when CODEPAGE is absent
_BOM = b"\xef\xbb\xbf"

# Keywords the PX specification makes mandatory (STUB/HEADING and TITLE/DESCRIPTION are checked as pairs).
_REQUIRED = ("CONTENTS", "DECIMALS", "MATRIX", "SUBJECT-AREA", "SUBJECT-CODE", "UNITS")
# Keywords whose first sub-key names a variable (in that keyword's language).
_VARIABLE_KEYWORDS = frozenset(
    {"VALUES", "CODES", "TIMEVAL", "VARIABLECODE", "VARIABLE-TYPE", "ELIMINATION", "PRECISION", "VALUENOTE",
     "VALUENOTEX", "DOMAIN", "MAP", "HIERARCHIES", "KEYS"}
)  # fmt: skip
# Keywords whose sub-key names a value of the content variable (CONTVARIABLE).
_CONTENT_KEYWORDS = frozenset(
    {
        "UNITS",
        "LAST-UPDATED",
        "CONTACT",
        "REFPERIOD",
        "BASEPERIOD",
        "STOCKFA",
        "CFPRICES",
        "DAYADJ",
        "SEASADJ",
    }
)
_DATA_SYMBOL_SLOTS = {
    "DATASYMBOL1": ".",
    "DATASYMBOL2": "..",
    "DATASYMBOL3": "...",
    "DATASYMBOL4": "....",
    "DATASYMBOL5": ".....",
    "DATASYMBOL6": "......",
    "DATASYMBOLNIL": "-",
}

_SPACE = re.compile(rb"[ \t\r\n]*")
_TOKEN = re.compile(
    rb'(?P<str>"(?:[^"\r\n]|"")*")'  # a quoted string on one line; "" inside is a literal quote
    rb'|(?P<punct>[\[\]()=,;]|-(?="))'  # "-" only as the range sign in TLIST(A1, "1994"-"1996")
    rb'|(?P<word>[^ \t\r\n"\[\]()=,;]+)'
)
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_KEYWORD = re.compile(rb"[A-Za-z][A-Za-z0-9_-]*")
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})?")
_NON_ASCII_SPACE = re.compile(r"[ \t\r\n,]+")


class PxFormatError(TableFormatError):
    """A PX file is malformed; ``line`` and ``keyword`` say where, when known."""

    def __init__(self, message: str, *, line: int | None = None, keyword: str | None = None) -> None:
        self.message = message
        self.line = line
        self.keyword = keyword
        where = ", ".join(part for part in (f"line {line}" if line else "", keyword or "") if part)
        super().__init__(f"{where}: {message}" if where else message)


@dataclass(frozen=True, slots=True)
class PxKeyword:
    """One keyword of the file as written: ``NAME[language]("sub", "keys")=values``."""

    name: str
    language: str | None
    subkeys: tuple[str, ...]
    values: tuple[str, ...]
    line: int
    time_unit: str | None = None


# --- Lexing and keyword parsing -------------------------------------------------------------------


@dataclass(slots=True)
class _Item:
    kind: str  # "s" string, "w" bare word, "t" TLIST(...)
    raw: bytes
    line: int
    range: tuple[bytes, bytes] | None = None


@dataclass(slots=True)
class _RawEntry:
    name: str
    language: bytes | None
    subkeys: list[_Item]
    items: list[_Item]
    line: int


class _Lexer:
    """Tokens of the keyword part, one line at a time; strings never span lines."""

    def __init__(self, stream: BinaryIO, *, offset: int, line: int, at_start: bool = True) -> None:
        self.stream = stream
        self.at_start = at_start  # a UTF-8 byte order mark is allowed on the first line only
        self.line = line
        self.offset = offset  # stream offset of the current line's first byte
        self.buf = b""
        self.pos = 0
        self.keyword: str | None = None
        self.bom = False
        self._pushed: tuple[str, bytes, int] | None = None

    def error(self, message: str, line: int | None = None) -> PxFormatError:
        return PxFormatError(message, line=line or self.line, keyword=self.keyword)

    def _read_line(self) -> bool:
        self.offset += len(self.buf)
        line = self.stream.readline(MAX_LINE_BYTES + 1)
        if not line:
            self.buf = b""
            self.pos = 0
            return False
        if isinstance(line, str):
            raise TypeError("parse_px needs a binary stream: open the file with 'rb'")
        if len(line) > MAX_LINE_BYTES:
            raise self.error(
                f"a line is longer than {MAX_LINE_BYTES} bytes: not a PC-Axis file", self.line + 1
            )
        self.line += 1
        self.buf = line
        self.pos = 0
        if self.at_start and self.line == 1 and line.startswith(_BOM):
            self.bom = True
            self.pos = len(_BOM)
        control = _CONTROL.search(line, self.pos)
        if control is not None:
            raise self.error(
                f"control byte 0x{line[control.start()]:02x} in the keyword part: not a PC-Axis text file"
                " (or a corrupted one)"
            )
        return True

    def next(self) -> tuple[str, bytes, int] | None:
        if self._pushed is not None:
            token, self._pushed = self._pushed, None
            return token
        while True:
            self.pos = _SPACE.match(self.buf, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buf):
                break
            if not self._read_line():
                return None
        match = _TOKEN.match(self.buf, self.pos)
        if match is None:  # only an opening quote without its closing quote on the same line gets here
            raise self.error("unterminated string: the closing quote is missing on this line")
        self.pos = match.end()
        return match.lastgroup or "", match.group(), self.line

    def push(self, token: tuple[str, bytes, int]) -> None:
        self._pushed = token

    def need(self, started: int) -> tuple[str, bytes, int]:
        token = self.next()
        if token is None:
            raise self.error(
                f"the file ends inside the keyword {self.keyword} that starts at line {started}"
                " (truncated file?)"
            )
        return token

    def expect(self, punct: bytes, started: int, what: str) -> None:
        kind, text, line = self.need(started)
        if kind != "punct" or text != punct:
            raise self.error(f"expected {what}, found {_show(text)}", line)

    @property
    def position(self) -> int:
        """Stream offset of the next unread byte."""
        return self.offset + self.pos


def _show(raw: bytes) -> str:
    text = raw[:60].decode("ascii", "backslashreplace")
    return repr(text + ("…" if len(raw) > 60 else ""))


def _parse_entries(lexer: _Lexer) -> tuple[list[_RawEntry], bool]:
    """Read keywords until ``DATA=`` (True) or the end of the stream (False)."""
    entries: list[_RawEntry] = []
    while True:
        lexer.keyword = None
        token = lexer.next()
        if token is None:
            return entries, False
        kind, text, started = token
        if kind != "word" or not _KEYWORD.fullmatch(text):
            raise lexer.error(f"expected a keyword, found {_show(text)}", started)
        name = text.decode("ascii").upper()
        lexer.keyword = name
        language: bytes | None = None
        subkeys: list[_Item] = []
        kind, text, line = lexer.need(started)
        if kind == "punct" and text == b"[":
            kind, text, line = lexer.need(started)
            if kind != "word":
                raise lexer.error(f"expected a language code in [...], found {_show(text)}", line)
            language = text
            lexer.expect(b"]", started, "']' after the language code")
            kind, text, line = lexer.need(started)
        if kind == "punct" and text == b"(":
            while True:
                kind, text, line = lexer.need(started)
                if kind != "str":
                    raise lexer.error(f"expected a quoted name in (...), found {_show(text)}", line)
                subkeys.append(_Item("s", text[1:-1].replace(b'""', b'"'), line))
                kind, text, line = lexer.need(started)
                if kind == "punct" and text == b")":
                    break
                if kind != "punct" or text != b",":
                    raise lexer.error(
                        f"expected ',' or ')' in the keyword's names, found {_show(text)}", line
                    )
            kind, text, line = lexer.need(started)
        if kind != "punct" or text != b"=":
            raise lexer.error(f"expected '=' after the keyword, found {_show(text)}", line)
        if name == "DATA":
            if language is not None or subkeys:
                raise lexer.error("DATA takes no language or names", started)
            return entries, True
        if name == "KEYS":
            raise lexer.error(
                "KEYS (sparse data blocks) is not supported; export the table without KEYS", started
            )
        entries.append(_RawEntry(name, language, subkeys, _parse_value(lexer, started), started))


def _parse_value(lexer: _Lexer, started: int) -> list[_Item]:
    items: list[_Item] = []
    while True:
        kind, text, line = lexer.need(started)
        if kind == "str":
            parts = [text[1:-1]]
            while True:  # "…"<newline>"…" is one string split over lines
                follow = lexer.need(started)
                if follow[0] != "str":
                    lexer.push(follow)
                    break
                parts.append(follow[1][1:-1])
            items.append(_Item("s", b"".join(parts).replace(b'""', b'"'), line))
        elif kind == "word" and text.upper() == b"TLIST":
            items.append(_parse_tlist(lexer, started, line))
        elif kind == "word":
            items.append(_Item("w", text, line))
        else:
            raise lexer.error(f"expected a value, found {_show(text)}", line)
        kind, text, line = lexer.need(started)
        if kind == "punct" and text == b";":
            return items
        if kind != "punct" or text != b",":
            raise lexer.error(f"expected ',' or ';' after a value, found {_show(text)}", line)


def _parse_tlist(lexer: _Lexer, started: int, line: int) -> _Item:
    lexer.expect(b"(", started, "'(' after TLIST")
    kind, unit, unit_line = lexer.need(started)
    if kind != "word":
        raise lexer.error(f"expected a time unit such as A1 in TLIST(...), found {_show(unit)}", unit_line)
    kind, text, _ = lexer.need(started)
    if kind == "punct" and text == b")":
        return _Item("t", unit, line)
    if kind != "punct" or text != b",":
        raise lexer.error(f"expected ')' or a range in TLIST(...), found {_show(text)}", line)
    kind, first, _ = lexer.need(started)
    lexer.expect(b"-", started, "'-' in the TLIST range")
    kind_last, last, _ = lexer.need(started)
    if kind != "str" or kind_last != "str":
        raise lexer.error('a TLIST range is written as "first"-"last"', line)
    lexer.expect(b")", started, "')' after the TLIST range")
    return _Item("t", unit, line, (first[1:-1], last[1:-1]))


# --- Encoding -------------------------------------------------------------------------------------


_C1_BYTES = re.compile(rb"[\x80-\x9f]")
_C1_TEXT = re.compile("[\x80-\x9f]")
_CP1252_UNDEFINED = frozenset({0x81, 0x8D, 0x8F, 0x90, 0x9D})
# Bytes 0x80–0x9F are control characters in ISO-8859-1/15 and never text; PX files declared
# ISO-8859-15 by Statistics Finland do contain Windows-1252 punctuation there (0x92 "’" in
# statfin_tyonv_eckero.px), so those bytes are read as Windows-1252, as browsers do.
_C1_AS_WINDOWS_1252 = {
    code: bytes([code]).decode("cp1252") for code in range(0x80, 0xA0) if code not in _CP1252_UNDEFINED
}


@dataclass(frozen=True, slots=True)
class _Codec:
    """The file's code page, with ISO-8859's unused 0x80–0x9F read as Windows-1252."""

    name: str
    python: str

    def decode(self, raw: bytes) -> str:
        """Decode strictly; ValueError (UnicodeDecodeError) names the offending byte's offset."""
        if raw.isascii():
            return raw.decode("ascii")
        text = raw.decode(self.python)
        if self.name.startswith("iso-8859") and _C1_TEXT.search(text):
            for offset, char in enumerate(text):
                if ord(char) in _CP1252_UNDEFINED:
                    raise UnicodeDecodeError(
                        self.name, raw, offset, offset + 1, "byte undefined in Windows-1252"
                    )
            text = text.translate(_C1_AS_WINDOWS_1252)
        return text


def _choose_codec(entries: list[_RawEntry], *, bom: bool) -> _Codec:
    declared = next((e for e in entries if e.name == "CODEPAGE" and e.language is None), None)
    if declared is None:
        name = "utf-8" if bom else _DEFAULT_CODEPAGE
        return _Codec(name, _CODEPAGES[name][1])
    if len(declared.items) != 1 or declared.items[0].kind != "s":
        raise PxFormatError("CODEPAGE must be one quoted name", line=declared.line, keyword="CODEPAGE")
    spelled = declared.items[0].raw.decode("ascii", "replace").strip().lower()
    if spelled not in _CODEPAGES:
        raise PxFormatError(
            f"unsupported CODEPAGE {spelled!r} (supported: iso-8859-1, iso-8859-15, utf-8, windows-1252)",
            line=declared.line,
            keyword="CODEPAGE",
        )
    name, python = _CODEPAGES[spelled]
    if bom and name != "utf-8":
        raise PxFormatError(
            f"the file starts with a UTF-8 byte order mark but CODEPAGE says {spelled!r}",
            line=declared.line,
            keyword="CODEPAGE",
        )
    return _Codec(name, python)


def _check_encoding(entries: list[_RawEntry], codec: _Codec) -> int:
    """Refuse text that is not in the declared code page, naming the first line at fault.

    Returns how many strings had bytes 0x80–0x9F read as Windows-1252 in an ISO-8859 file.
    """
    non_ascii = [
        (item, entry)
        for entry in entries
        for item in itertools.chain(entry.subkeys, entry.items)
        if not item.raw.isascii()
    ]
    if codec.name != "utf-8" and non_ascii and all(_is_utf8(item.raw) for item, _ in non_ascii):
        item, entry = non_ascii[0]
        raise PxFormatError(
            f"CODEPAGE says {codec.name!r} but the text is UTF-8 (e.g. {item.raw.decode('utf-8')!r});"
            ' fix CODEPAGE to "utf-8" or re-encode the file',
            line=item.line,
            keyword=entry.name,
        )
    repaired = 0
    for item, entry in non_ascii:
        try:
            codec.decode(item.raw)
        except UnicodeDecodeError as exc:
            hint = ": the file is probably ISO-8859-1/15 or Windows-1252" if codec.name == "utf-8" else ""
            raise PxFormatError(
                f"bytes {item.raw[exc.start : exc.start + 4]!r} are not valid {codec.name} text"
                f" (the CODEPAGE keyword says {codec.name!r}){hint}",
                line=item.line,
                keyword=entry.name,
            ) from None
        if codec.name.startswith("iso-8859") and _C1_BYTES.search(item.raw):
            repaired += 1
    return repaired


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# --- Keyword lookup -------------------------------------------------------------------------------


@dataclass(slots=True)
class _Keywords:
    """Decoded keywords by (name, language or None for the default, sub-keys)."""

    default_language: str
    by_key: dict[tuple[str, str | None, tuple[str, ...]], PxKeyword] = field(default_factory=dict)
    tlists: dict[tuple[str | None, tuple[str, ...]], tuple[str, list[str]]] = field(default_factory=dict)

    def get(self, name: str, language: str | None = None, *subkeys: str) -> PxKeyword | None:
        return self.by_key.get((name, None if language == self.default_language else language, subkeys))

    def strings(self, name: str, language: str | None = None, *subkeys: str) -> list[str] | None:
        keyword = self.get(name, language, *subkeys)
        return None if keyword is None else list(keyword.values)

    def text(self, name: str, language: str | None = None, *subkeys: str) -> str | None:
        keyword = self.get(name, language, *subkeys)
        if keyword is None:
            return None
        if len(keyword.values) != 1:
            raise PxFormatError(
                f"expected one value, found {len(keyword.values)}", line=keyword.line, keyword=keyword.name
            )
        return keyword.values[0]

    def integer(self, name: str, *subkeys: str, low: int = 0, high: int = 15) -> int | None:
        keyword = self.get(name, None, *subkeys)
        text = self.text(name, None, *subkeys)
        if keyword is None or text is None:
            return None
        if not text.isdigit() or not low <= int(text) <= high:
            raise PxFormatError(
                f"expected a whole number {low}–{high}, found {text!r}", line=keyword.line, keyword=name
            )
        return int(text)

    def yes_no(self, name: str) -> bool | None:
        text = self.text(name)
        if text is None:
            return None
        if text.upper() not in {"YES", "NO"}:
            keyword = self.get(name)
            raise PxFormatError(
                f"expected YES or NO, found {text!r}", line=keyword and keyword.line, keyword=name
            )
        return text.upper() == "YES"

    def per_language(self, name: str, languages: tuple[str, ...]) -> dict[str, str]:
        return labels_from({language: self.text(name, language) for language in languages})

    def timestamp(
        self, name: str, tz: datetime.tzinfo, *subkeys: str, language: str | None = None
    ) -> datetime.datetime | None:
        text = self.text(name, language, *subkeys)
        if text is None or not text.strip():
            return None
        for pattern in ("%Y%m%d %H:%M", "%Y%m%d %H:%M:%S", "%Y%m%d"):
            try:
                return datetime.datetime.strptime(text.strip(), pattern).replace(tzinfo=tz)
            except ValueError:
                continue
        keyword = self.get(name, language, *subkeys)
        raise PxFormatError(
            f"expected a date like '20240426 08:00', found {text!r}",
            line=keyword and keyword.line,
            keyword=name,
        )


def _decode_keywords(entries: list[_RawEntry], codec: _Codec, default_language: str) -> _Keywords:
    keywords = _Keywords(default_language)
    for entry in entries:
        language = None
        if entry.language is not None:
            language = entry.language.decode("ascii", "replace")
            if not _LANGUAGE.fullmatch(language):
                raise PxFormatError(
                    f"{language!r} is not a language code", line=entry.line, keyword=entry.name
                )
            if language == default_language:
                language = None
        subkeys = tuple(codec.decode(item.raw) for item in entry.subkeys)
        values: list[str] = []
        time_unit = None
        for item in entry.items:
            if item.kind == "t":
                if time_unit is not None or values:
                    raise PxFormatError(
                        "TLIST(...) must come first, once", line=item.line, keyword=entry.name
                    )
                time_unit = item.raw.decode("ascii", "replace").upper()
                if item.range is not None:
                    values.extend(
                        _time_range(
                            time_unit, codec.decode(item.range[0]), codec.decode(item.range[1]), item.line
                        )
                    )
                continue
            values.append(codec.decode(item.raw))
        key = (entry.name, language, subkeys)
        if key in keywords.by_key:
            first = keywords.by_key[key]
            raise PxFormatError(
                f"the keyword is given twice (first at line {first.line})",
                line=entry.line,
                keyword=entry.name,
            )
        keywords.by_key[key] = PxKeyword(entry.name, language, subkeys, tuple(values), entry.line, time_unit)
    return keywords


def _time_range(unit: str, first: str, last: str, line: int) -> list[str]:
    """Expand TLIST(A1, "1994"-"1996") into the list of periods, written like the first one."""
    try:
        start = parse_period(first, unit)
        end = parse_period(last, unit)
    except ValueError as exc:
        raise PxFormatError(str(exc), line=line, keyword="TIMEVAL") from None
    per_year = {"A": 1, "H": 2, "Q": 4, "M": 12}.get(start.unit)
    if per_year is None:
        raise PxFormatError("a TLIST range of weeks is not supported", line=line, keyword="TIMEVAL")
    letter = next((c for c in first[4:] if c.isalpha()), "")
    width = 2 if start.unit == "M" else 1
    periods: list[str] = []
    year, number = start.year, start.number
    while (year, number) <= (end.year, end.number):
        periods.append(str(year) if start.unit == "A" else f"{year}{letter}{number:0{width}d}")
        number += 1
        if number > per_year:
            year, number = year + 1, 1
    if not periods:
        raise PxFormatError(f"the TLIST range {first}-{last} is empty", line=line, keyword="TIMEVAL")
    return periods


# --- The table ------------------------------------------------------------------------------------


@dataclass
class PxTable(Table):
    """A parsed PX file: metadata and dimensions in memory, cells streamed from the file by ``cells()``."""

    keywords: tuple[PxKeyword, ...] = ()
    _stream: BinaryIO | None = field(default=None, repr=False)
    _codec: _Codec = field(default=_Codec("iso-8859-1", "iso-8859-1"), repr=False)
    _data_offset: int = field(default=0, repr=False)
    _data_end: int = field(default=0, repr=False)
    _data_line: int = field(default=0, repr=False)
    _end_line: int = field(default=0, repr=False)
    _markers: dict[str, Missing] = field(default_factory=dict, repr=False)

    def keyword(self, name: str, language: str | None = None, *subkeys: str) -> PxKeyword | None:
        """A keyword as written in the file (language None is the file's default language)."""
        if language == self.metadata.default_language:
            language = None
        return next(
            (k for k in self.keywords if k.name == name and k.language == language and k.subkeys == subkeys),
            None,
        )

    def cells(self) -> Iterator[Cell]:
        """Stream every cell in STUB-then-HEADING order; raises PxFormatError on the first fault."""
        if self._stream is None:
            raise ValueError("this table has no data stream")
        return self._read_cells(self._stream)

    def _read_cells(self, stream: BinaryIO) -> Iterator[Cell]:
        expected = self.size
        keys = itertools.product(*(dimension.codes for dimension in self.dimensions))
        markers = self._markers
        new_cell = tuple.__new__
        decimal = Decimal
        codec = self._codec
        count = 0
        line = self._data_line
        offset = self._data_offset
        remaining = self._data_end - self._data_offset
        carry = b""
        while remaining > 0 or carry:
            if remaining > 0:
                stream.seek(offset)  # per chunk, so two iterations over one table do not disturb each other
                chunk = stream.read(min(DATA_CHUNK_BYTES, remaining))
                if not chunk:
                    raise PxFormatError("the file ended while reading DATA", line=line, keyword="DATA")
                offset += len(chunk)
                remaining -= len(chunk)
                buf = carry + chunk
                carry = b""
                if remaining > 0:
                    cut = max(
                        buf.rfind(b" "), buf.rfind(b"\n"), buf.rfind(b"\r"), buf.rfind(b"\t"), buf.rfind(b",")
                    )
                    if cut < 0:
                        if len(buf) > MAX_DATA_TOKEN_BYTES:
                            raise PxFormatError(
                                f"a data cell longer than {MAX_DATA_TOKEN_BYTES} bytes",
                                line=line,
                                keyword="DATA",
                            )
                        carry = buf
                        continue
                    buf, carry = buf[: cut + 1], buf[cut + 1 :]
            else:
                buf, carry = carry, b""
            control = _CONTROL.search(buf)
            if control is not None:
                raise PxFormatError(
                    f"control byte 0x{buf[control.start()]:02x} in the data block",
                    line=line + buf.count(b"\n", 0, control.start()),
                    keyword="DATA",
                )
            try:
                text = codec.decode(buf)
            except UnicodeDecodeError as exc:
                raise PxFormatError(
                    f"bytes that are not {self.metadata.encoding} in the data block",
                    line=line + buf.count(b"\n", 0, exc.start),
                    keyword="DATA",
                ) from None
            if text.isascii():
                tokens = text.replace(",", " ").split()
                strict = "_" in text
            else:  # str.split() would also split on no-break and other Unicode spaces
                tokens = [token for token in _NON_ASCII_SPACE.split(text) if token]
                strict = True
            for token in tokens:
                count += 1
                if count > expected:
                    continue  # keep counting so the error can say how many cells there are
                missing = markers.get(token)
                if missing is None:
                    try:
                        value = decimal(token)
                    except InvalidOperation:
                        raise self._bad_cell(token, text, line, count) from None
                    if not value.is_finite() or (strict and (not token.isascii() or "_" in token)):
                        raise self._bad_cell(token, text, line, count)
                    yield new_cell(Cell, (next(keys), value, None))  # type: ignore[misc]
                else:
                    yield new_cell(Cell, (next(keys), None, missing))  # type: ignore[misc]
            line += buf.count(b"\n")
        if count != expected:
            raise PxFormatError(
                f"the data block has {count} cells but the dimensions call for {expected}"
                f" ({shape_text(self.dimensions)}): expected {expected}, found {count}",
                line=self._end_line,
                keyword="DATA",
            )

    def _bad_cell(self, token: str, text: str, line: int, number: int) -> PxFormatError:
        match = re.search(r"(?<![^\s,])" + re.escape(token) + r"(?![^\s,])", text)
        at = line + (text.count("\n", 0, match.start()) if match else 0)
        shown = token if len(token) <= 40 else token[:40] + "…"
        return PxFormatError(
            f"cell {number} is neither a number nor a missing-value marker: {shown!r}",
            line=at,
            keyword="DATA",
        )


# --- Building the table from the keywords ---------------------------------------------------------


def _required(keywords: _Keywords, name: str, language: str | None = None, *subkeys: str) -> list[str]:
    values = keywords.strings(name, language, *subkeys)
    if values is None:
        where = f"[{language}]" if language and language != keywords.default_language else ""
        names = "(" + ",".join(f'"{s}"' for s in subkeys) + ")" if subkeys else ""
        raise PxFormatError(f"the required keyword {name}{where}{names} is missing", keyword=name)
    return values


def _languages(keywords: _Keywords, fallback: str) -> tuple[str, tuple[str, ...]]:
    default = keywords.text("LANGUAGE") or fallback
    declared = keywords.strings("LANGUAGES")
    languages = tuple(declared) if declared else (default,)
    if default not in languages:
        keyword = keywords.get("LANGUAGES")
        raise PxFormatError(
            f"LANGUAGE {default!r} is not one of LANGUAGES {', '.join(languages)}",
            line=keyword and keyword.line,
            keyword="LANGUAGES",
        )
    for keyword in keywords.by_key.values():
        if keyword.language is not None and keyword.language not in languages:
            raise PxFormatError(
                f"language {keyword.language!r} is not declared in LANGUAGES ({', '.join(languages)})",
                line=keyword.line,
                keyword=keyword.name,
            )
    return default, languages


def _variable_names(
    keywords: _Keywords, languages: tuple[str, ...]
) -> dict[str, tuple[list[str], list[str]]]:
    """STUB and HEADING variable names per language, checked against the default language's."""
    default = keywords.default_language
    stub, heading = keywords.strings("STUB"), keywords.strings("HEADING")
    for name, own in (("STUB", stub), ("HEADING", heading)):
        if own is None:
            other = next((k for k in keywords.by_key.values() if k.name == name and k.language), None)
            if other is not None:
                raise PxFormatError(
                    f"{name}[{other.language}] is present but {name} (the default language's) is missing",
                    line=other.line,
                    keyword=name,
                )
    if stub is None and heading is None:
        raise PxFormatError("the required keyword STUB or HEADING is missing", keyword="STUB")
    names = {default: (stub or [], heading or [])}
    all_names = names[default][0] + names[default][1]
    if len(set(all_names)) != len(all_names):
        raise PxFormatError("a variable is named twice in STUB and HEADING", keyword="STUB")
    for language in languages:
        if language == default:
            continue
        own = (keywords.strings("STUB", language) or [], keywords.strings("HEADING", language) or [])
        for index, name in enumerate(("STUB", "HEADING")):
            if len(own[index]) != len(names[default][index]):
                keyword = keywords.get(name, language)
                raise PxFormatError(
                    f"{name}[{language}] lists {len(own[index])} variables but {name} lists"
                    f" {len(names[default][index])}",
                    line=keyword and keyword.line,
                    keyword=f"{name}[{language}]",
                )
        names[language] = own
    return names


def _check_orphans(keywords: _Keywords, names: dict[str, tuple[list[str], list[str]]]) -> None:
    """Every VALUES("x"), CODES("x")… must name a variable of STUB or HEADING in its language."""
    default = keywords.default_language
    known = {language: set(stub + heading) for language, (stub, heading) in names.items()}
    for keyword in keywords.by_key.values():
        if keyword.name not in _VARIABLE_KEYWORDS or not keyword.subkeys:
            continue
        language = keyword.language or default
        if keyword.subkeys[0] in known.get(language, set()):
            continue
        missing = [name for name in ("STUB", "HEADING") if keywords.get(name, language) is None]
        hint = f"; is the {missing[0]} keyword missing?" if missing else ""
        raise PxFormatError(
            f'{keyword.name}("{keyword.subkeys[0]}") names a variable that is in neither STUB'
            f" nor HEADING{hint}",
            line=keyword.line,
            keyword=missing[0] if missing else keyword.name,
        )


def _build_dimensions(
    keywords: _Keywords,
    languages: tuple[str, ...],
    names: dict[str, tuple[list[str], list[str]]],
    tz: datetime.tzinfo,
) -> tuple[tuple[Dimension, ...], str | None]:
    default = keywords.default_language
    placements = ["stub"] * len(names[default][0]) + ["heading"] * len(names[default][1])
    flat = {language: stub + heading for language, (stub, heading) in names.items()}
    content_name = keywords.text("CONTVARIABLE")
    if content_name is not None and content_name not in flat[default]:
        keyword = keywords.get("CONTVARIABLE")
        raise PxFormatError(
            f"CONTVARIABLE {content_name!r} is not a variable of STUB or HEADING",
            line=keyword and keyword.line,
            keyword="CONTVARIABLE",
        )
    dimensions: list[Dimension] = []
    content_code: str | None = None
    for index, name in enumerate(flat[default]):
        local = {language: flat[language][index] for language in languages}
        labels = {default: _required(keywords, "VALUES", None, name)}
        size = len(labels[default])
        if size == 0:
            raise PxFormatError(f'VALUES("{name}") is empty', keyword="VALUES")
        for language in languages:
            if language == default:
                continue
            labels[language] = _required(keywords, "VALUES", language, local[language])
            if len(labels[language]) != size:
                keyword = keywords.get("VALUES", language, local[language])
                raise PxFormatError(
                    f'VALUES[{language}]("{local[language]}") has {len(labels[language])} values but'
                    f' VALUES("{name}") has {size}',
                    line=keyword and keyword.line,
                    keyword="VALUES",
                )
        codes = keywords.strings("CODES", None, name) or labels[default]
        codes_keyword = keywords.get("CODES", None, name)
        if len(codes) != size:
            raise PxFormatError(
                f'CODES("{name}") has {len(codes)} codes but VALUES has {size} values',
                line=codes_keyword and codes_keyword.line,
                keyword="CODES",
            )
        if len(set(codes)) != size:
            duplicate = next(code for code in codes if codes.count(code) > 1)
            raise PxFormatError(
                f'CODES("{name}") has the code {duplicate!r} twice',
                line=codes_keyword and codes_keyword.line,
                keyword="CODES" if codes_keyword else "VALUES",
            )
        for language in languages:
            other = keywords.get("CODES", language, local[language])
            if language != default and other is not None and list(other.values) != codes:
                raise PxFormatError(
                    f'CODES[{language}]("{local[language]}") differ from CODES("{name}")',
                    line=other.line,
                    keyword="CODES",
                )
        periods, time_unit = _periods(keywords, name, tuple(codes), labels[default])
        variable_type = keywords.text("VARIABLE-TYPE", None, name)
        is_time = time_unit is not None or (variable_type or "").lower() == "time"
        if is_time and periods is None:
            periods = infer_periods(tuple(codes))
        is_content = name == content_name
        values = tuple(
            _dimension_value(
                keywords, languages, local, labels, codes, position, periods, is_content=is_content, tz=tz
            )
            for position in range(size)
        )
        code = keywords.text("VARIABLECODE", None, name) or name
        if is_content:
            content_code = code
        dimensions.append(
            Dimension(
                code=code,
                labels=dict(local),
                values=values,
                placement=placements[index],
                is_time=is_time,
                time_unit=time_unit,
                is_content=is_content,
                variable_type=variable_type,
                elimination=keywords.text("ELIMINATION", None, name),
                is_geo=keywords.get("MAP", None, name) is not None,
                map=keywords.text("MAP", None, name),
                notes=labels_from({lang: keywords.text("NOTE", lang, local[lang]) for lang in languages}),
            )
        )
    codes_seen = [d.code for d in dimensions]
    if len(set(codes_seen)) != len(codes_seen):
        raise PxFormatError("two variables have the same VARIABLECODE", keyword="VARIABLECODE")
    _check_content_keywords(keywords, languages, flat, content_name, dimensions)
    return tuple(dimensions), content_code


def _periods(
    keywords: _Keywords, name: str, codes: tuple[str, ...], labels: list[str]
) -> tuple[tuple[TimePeriod, ...] | None, str | None]:
    keyword = keywords.get("TIMEVAL", None, name)
    if keyword is None:
        return None, None
    unit = keyword.time_unit or ""
    if not re.fullmatch(r"[AHQMW]1", unit):
        raise PxFormatError(
            f"unknown time scale TLIST({unit}) (expected A1, H1, Q1, M1 or W1)",
            line=keyword.line,
            keyword="TIMEVAL",
        )
    texts = list(keyword.values) or list(codes)
    if len(texts) != len(codes):
        raise PxFormatError(
            f'TIMEVAL("{name}") lists {len(texts)} periods but the variable has {len(codes)} values',
            line=keyword.line,
            keyword="TIMEVAL",
        )
    try:
        periods = tuple(parse_period(text, unit[0]) for text in texts)
    except ValueError as exc:
        raise PxFormatError(str(exc), line=keyword.line, keyword="TIMEVAL") from None
    return periods, unit[0]


def _dimension_value(
    keywords: _Keywords,
    languages: tuple[str, ...],
    local: dict[str, str],
    labels: dict[str, list[str]],
    codes: list[str],
    position: int,
    periods: tuple[TimePeriod, ...] | None,
    *,
    is_content: bool,
    tz: datetime.tzinfo,
) -> DimensionValue:
    default = keywords.default_language
    own = {language: labels[language][position] for language in languages}
    precision = keywords.integer("PRECISION", local[default], own[default], low=0, high=6)
    notes = labels_from(
        {
            language: keywords.text("VALUENOTE", language, local[language], own[language])
            or keywords.text("VALUENOTEX", language, local[language], own[language])
            for language in languages
        }
    )
    units: dict[str, str] = {}
    last_updated = None
    if is_content:
        units = labels_from(
            {language: keywords.text("UNITS", language, own[language]) for language in languages}
        )
        last_updated = keywords.timestamp("LAST-UPDATED", tz, own[default])
    return DimensionValue(
        code=codes[position],
        labels=own,
        period=periods[position] if periods is not None else None,
        units=units,
        precision=precision,
        last_updated=last_updated,
        notes=notes,
    )


def _check_content_keywords(
    keywords: _Keywords,
    languages: tuple[str, ...],
    flat: dict[str, list[str]],
    content_name: str | None,
    dimensions: list[Dimension],
) -> None:
    """UNITS("x"), LAST-UPDATED("x")… must name a value of the content variable."""
    default = keywords.default_language
    content = next((d for d in dimensions if d.is_content), None)
    for keyword in keywords.by_key.values():
        if keyword.name not in _CONTENT_KEYWORDS or not keyword.subkeys:
            continue
        language = keyword.language or default
        if content is None:
            raise PxFormatError(
                f'{keyword.name}("{keyword.subkeys[0]}") needs CONTVARIABLE, which is missing',
                line=keyword.line,
                keyword="CONTVARIABLE",
            )
        if keyword.subkeys[0] not in {value.labels.get(language) for value in content.values}:
            raise PxFormatError(
                f'{keyword.name}("{keyword.subkeys[0]}") names no value of the content variable'
                f" {content_name!r}",
                line=keyword.line,
                keyword=keyword.name,
            )


def _markers(keywords: _Keywords) -> dict[str, Missing]:
    """Data-block tokens that mean "no number", quoted or not, with their meaning."""
    markers: dict[str, Missing] = {}
    for marker, meaning in MISSING_MEANINGS.items():
        markers[f'"{marker}"'] = markers[marker] = Missing(marker, meaning)
    for name, slot in _DATA_SYMBOL_SLOTS.items():
        shown = keywords.text(name)
        if shown and shown != slot:
            if '"' in shown or not shown.strip() or any(c.isspace() for c in shown):
                keyword = keywords.get(name)
                raise PxFormatError(
                    f"{name} {shown!r} cannot be used as a data-cell marker",
                    line=keyword and keyword.line,
                    keyword=name,
                )
            markers[f'"{shown}"'] = Missing(shown, MISSING_MEANINGS[slot])
    return markers


def _metadata(
    keywords: _Keywords,
    languages: tuple[str, ...],
    encoding: str,
    content_code: str | None,
    dimensions: tuple[Dimension, ...],
    tz: datetime.tzinfo,
) -> TableMetadata:
    for name in _REQUIRED:
        _required(keywords, name)
    if keywords.get("TITLE") is None and keywords.get("DESCRIPTION") is None:
        raise PxFormatError("the required keyword TITLE (or DESCRIPTION) is missing", keyword="TITLE")
    decimals = keywords.integer("DECIMALS")
    show_decimals = keywords.integer("SHOWDECIMALS", low=0, high=6)
    if show_decimals is not None and decimals is not None and show_decimals > decimals:
        keyword = keywords.get("SHOWDECIMALS")
        raise PxFormatError(
            f"SHOWDECIMALS ({show_decimals}) is larger than DECIMALS ({decimals})",
            line=keyword and keyword.line,
            keyword="SHOWDECIMALS",
        )
    last_updated = keywords.timestamp("LAST-UPDATED", tz)
    if last_updated is None:
        stamps = [v.last_updated for d in dimensions for v in d.values if v.last_updated is not None]
        last_updated = max(stamps, default=None)
    title = keywords.per_language("TITLE", languages) or keywords.per_language("DESCRIPTION", languages)
    notes = {
        language: "\n".join(
            text for text in (keywords.text("NOTE", language), keywords.text("NOTEX", language)) if text
        )
        for language in languages
    }
    return TableMetadata(
        source_format="px",
        table_id=keywords.text("TABLEID") or keywords.text("MATRIX"),
        matrix=keywords.text("MATRIX"),
        title=title,
        description=keywords.per_language("DESCRIPTION", languages),
        contents=keywords.per_language("CONTENTS", languages),
        units={language: keywords.text("UNITS", language) or "" for language in languages},
        source=keywords.per_language("SOURCE", languages),
        notes=labels_from(notes),
        subject_code=keywords.text("SUBJECT-CODE"),
        subject_area=keywords.per_language("SUBJECT-AREA", languages),
        languages=languages,
        default_language=keywords.default_language,
        last_updated=last_updated,
        created=keywords.timestamp("CREATION-DATE", tz),
        next_update=keywords.timestamp("NEXT-UPDATE", tz),
        decimals=decimals,
        show_decimals=show_decimals,
        encoding=encoding,
        format_version=keywords.text("AXIS-VERSION"),
        official_statistics=keywords.yes_no("OFFICIAL-STATISTICS"),
        copyright=keywords.yes_no("COPYRIGHT"),
        contents_dimension=content_code,
        extra={"charset": keywords.text("CHARSET")} if keywords.get("CHARSET") else {},
    )


# --- Entry points ---------------------------------------------------------------------------------


def parse_px(
    stream: BinaryIO | bytes,
    *,
    default_language: str = "fi",
    timezone: datetime.tzinfo = STATISTICS_FINLAND_TZ,
) -> PxTable:
    """Read a PX file's keywords and check its data block is terminated; cells stream from ``cells()``.

    The stream must stay open while ``cells()`` is iterated. A stream that cannot seek (an HTTP
    response) is first copied to a temporary file, 64 KiB at a time. ``default_language`` is used
    when the file has no LANGUAGE keyword; ``timezone`` applies to LAST-UPDATED and other dates.
    """
    if isinstance(stream, bytes | bytearray):
        stream = io.BytesIO(stream)
    if isinstance(stream.read(0), str):
        raise TypeError("parse_px needs a binary stream: open the file with 'rb'")
    if not stream.seekable():
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY_BYTES)  # noqa: SIM115 - lives with the table
        shutil.copyfileobj(stream, spool, DATA_CHUNK_BYTES)
        spool.seek(0)
        stream = spool  # type: ignore[assignment]
    start = stream.tell()
    lexer = _Lexer(stream, offset=start, line=0)
    entries, found_data = _parse_entries(lexer)
    if not entries and not found_data:
        raise PxFormatError("the file is empty or has no keywords: not a PC-Axis file", line=1)
    if not found_data:
        raise PxFormatError(
            f"the DATA keyword is missing: the file ends at line {lexer.line} (truncated file?)",
            line=lexer.line,
            keyword="DATA",
        )
    data_offset, data_line = lexer.position, lexer.line
    data_end, end_line = _find_data_end(stream, data_offset, data_line)
    trailing_lexer = _Lexer(stream, offset=data_end + 1, line=end_line - 1, at_start=False)
    stream.seek(data_end + 1)
    trailing, again = _parse_entries(trailing_lexer)
    if again:
        raise PxFormatError("a second DATA keyword", line=trailing_lexer.line, keyword="DATA")
    entries.extend(trailing)

    codec = _choose_codec(entries, bom=lexer.bom)
    repaired = _check_encoding(entries, codec)
    language_entry = next((e for e in entries if e.name == "LANGUAGE" and e.language is None), None)
    default = default_language
    if language_entry is not None and language_entry.items:
        default = codec.decode(language_entry.items[0].raw)
    keywords = _decode_keywords(entries, codec, default)
    default, languages = _languages(keywords, default_language)
    names = _variable_names(keywords, languages)
    _check_orphans(keywords, names)
    dimensions, content_code = _build_dimensions(keywords, languages, names, timezone)
    metadata = _metadata(keywords, languages, codec.name, content_code, dimensions, timezone)
    if repaired:
        metadata.extra["windows_1252_strings"] = repaired
    return PxTable(
        metadata=metadata,
        dimensions=dimensions,
        keywords=tuple(keywords.by_key.values()),
        _stream=stream,
        _codec=codec,
        _data_offset=data_offset,
        _data_end=data_end,
        _data_line=data_line,
        _end_line=end_line,
        _markers=_markers(keywords),
    )


def _find_data_end(stream: BinaryIO, offset: int, line: int) -> tuple[int, int]:
    """Offset and line of the ';' that ends the data block, read in chunks without keeping them."""
    stream.seek(offset)
    while True:
        chunk = stream.read(DATA_CHUNK_BYTES)
        if not chunk:
            raise PxFormatError(
                "the data block is not terminated by ';': the file is truncated", line=line, keyword="DATA"
            )
        end = chunk.find(b";")
        if end >= 0:
            return offset + end, line + chunk.count(b"\n", 0, end)
        offset += len(chunk)
        line += chunk.count(b"\n")


@contextlib.contextmanager
def open_px(path: str | Path, **options: object) -> Iterator[PxTable]:
    """Open a PX file for the duration of a ``with`` block: ``with open_px(p) as table: …``."""
    with Path(path).open("rb") as stream:
        yield parse_px(stream, **options)  # type: ignore[arg-type]
