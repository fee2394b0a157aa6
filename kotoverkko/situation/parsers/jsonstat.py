"""Strict reader for JSON-stat 2.0 datasets as PxWeb returns them (response format "json-stat2")."""

from __future__ import annotations

import datetime
import itertools
import json
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import IO, Any

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

__all__ = ["JsonStatError", "JsonStatTable", "merge_languages", "parse_jsonstat", "parse_jsonstat_languages"]

NO_STATUS = Missing("", "no value given (null without a status)")


class JsonStatError(TableFormatError):
    """A JSON-stat document is malformed; ``path`` names the member at fault (e.g. "dimension.Alue")."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        self.message = message
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


@dataclass
class JsonStatTable(Table):
    """A JSON-stat dataset in memory (PxWeb responses are bounded), cells in ``id`` order."""

    cell_statuses: dict[tuple[str, ...], str] = field(default_factory=dict)
    _values: list[Decimal | None] | dict[int, Decimal | None] = field(default_factory=list, repr=False)
    _statuses: dict[int, str] = field(default_factory=dict, repr=False)

    def cells(self) -> Iterator[Cell]:
        """Every cell in dimension order (the last id varies fastest)."""
        values = self._values
        statuses = self._statuses
        dense = isinstance(values, list)
        keys = itertools.product(*(dimension.codes for dimension in self.dimensions))
        for index, key in enumerate(keys):
            value = values[index] if dense else values.get(index)  # type: ignore[union-attr, call-overload]
            if value is not None:
                yield Cell(key, value, None)
                continue
            status = statuses.get(index)
            if status is None:
                yield Cell(key, None, NO_STATUS)
            else:
                meaning = MISSING_MEANINGS.get(status, f"no value (status {status!r})")
                yield Cell(key, None, Missing(status, meaning))


def _load(source: bytes | str | IO[bytes] | IO[str] | Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(source, Mapping):
        return source
    if not isinstance(source, bytes | bytearray | str):
        source = source.read()
    try:
        text = (
            source.decode("utf-8-sig") if isinstance(source, bytes | bytearray) else source.lstrip("\ufeff")
        )
        document = json.loads(text, parse_float=Decimal)
    except (ValueError, UnicodeDecodeError) as exc:
        raise JsonStatError(f"not JSON: {exc}") from None
    if not isinstance(document, dict):
        raise JsonStatError("the document is not a JSON object")
    return document


def _number(value: Any, path: str) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise JsonStatError(f"expected a number or null, found {value!r}", path=path)
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise JsonStatError(f"expected a finite number, found {value!r}", path=path)
    return number


def _strings(value: Any, path: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise JsonStatError("expected a list of strings", path=path)
    return value


def _category(dimension_id: str, spec: Any, size: int) -> tuple[list[str], dict[str, Any]]:
    """Category codes in index order, and the raw category object."""
    path = f"dimension.{dimension_id}"
    if not isinstance(spec, dict) or not isinstance(spec.get("category"), dict):
        raise JsonStatError("a dimension needs a category object", path=path)
    category = spec["category"]
    index = category.get("index")
    labels = category.get("label")
    if labels is not None and (
        not isinstance(labels, dict) or not all(isinstance(v, str) for v in labels.values())
    ):
        raise JsonStatError("category.label must map codes to strings", path=path)
    if index is None:
        if not labels or len(labels) != 1:
            raise JsonStatError("category.index may be left out only for a single category", path=path)
        codes = list(labels)
    elif isinstance(index, list):
        codes = _strings(index, f"{path}.category.index")
    elif isinstance(index, dict):
        positions = list(index.values())
        if sorted(positions) != list(range(len(positions))) or any(isinstance(p, bool) for p in positions):
            raise JsonStatError("category.index positions must be 0…n-1, each once", path=path)
        codes = sorted(index, key=index.__getitem__)
    else:
        raise JsonStatError("category.index must be a list or an object", path=path)
    if len(set(codes)) != len(codes):
        raise JsonStatError("a category code appears twice", path=path)
    if len(codes) != size:
        raise JsonStatError(
            f"size says {size} categories but the dimension has {len(codes)}:"
            f" expected {size}, found {len(codes)}",
            path=path,
        )
    unknown = set(labels or {}) - set(codes)
    if unknown:
        raise JsonStatError(f"category.label has codes not in category.index: {sorted(unknown)}", path=path)
    return codes, category


def _timestamp(value: Any) -> datetime.datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise JsonStatError("expected an ISO 8601 date", path="updated")
    try:
        stamp = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise JsonStatError(f"expected an ISO 8601 date, found {value!r}", path="updated") from None
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=datetime.UTC)


def parse_jsonstat(
    source: bytes | str | IO[bytes] | IO[str] | Mapping[str, Any], *, language: str | None = None
) -> JsonStatTable:
    """Read a JSON-stat 2.0 dataset; labels go under ``language`` (default: extension.px.language)."""
    document = _load(source)
    if "dataset" in document and "class" not in document:
        raise JsonStatError(
            "this is a JSON-stat 1.x bundle; ask PxWeb for the json-stat2 format", path="dataset"
        )
    if document.get("class") != "dataset":
        raise JsonStatError(f"expected class 'dataset', found {document.get('class')!r}", path="class")
    version = document.get("version")
    if not isinstance(version, str) or not version.startswith("2."):
        raise JsonStatError(f"expected JSON-stat version 2.x, found {version!r}", path="version")
    px = (document.get("extension") or {}).get("px") or {}
    language = language or px.get("language") or "fi"
    ids = _strings(document.get("id"), "id")
    sizes = document.get("size")
    if not isinstance(sizes, list) or not all(
        isinstance(s, int) and not isinstance(s, bool) and s >= 0 for s in sizes
    ):
        raise JsonStatError("size must be a list of whole numbers", path="size")
    if len(ids) != len(sizes):
        raise JsonStatError(f"id has {len(ids)} dimensions but size has {len(sizes)}", path="size")
    if len(set(ids)) != len(ids):
        raise JsonStatError("a dimension id appears twice", path="id")
    specs = document.get("dimension")
    if not isinstance(specs, dict):
        raise JsonStatError("the dimension object is missing", path="dimension")
    missing = [dimension_id for dimension_id in ids if dimension_id not in specs]
    if missing:
        raise JsonStatError(f"no dimension object for {', '.join(missing)}", path="dimension")
    roles = document.get("role") or {}
    if not isinstance(roles, dict):
        raise JsonStatError("role must be an object", path="role")
    for role, members in roles.items():
        for member in _strings(members, f"role.{role}"):
            if member not in ids:
                raise JsonStatError(f"{member!r} is not a dimension id", path=f"role.{role}")

    dimensions = tuple(
        _dimension(dimension_id, specs[dimension_id], size, language, roles)
        for dimension_id, size in zip(ids, sizes, strict=True)
    )
    total = math.prod(sizes)
    values = _values(document.get("value"), total, sizes)
    statuses = _statuses(document.get("status"), total)
    cell_statuses = {
        _key_at(dimensions, index): status
        for index, status in statuses.items()
        if (values[index] if isinstance(values, list) else values.get(index)) is not None
    }
    notes = document.get("note")
    metric = next((d for d in dimensions if d.is_content), None)
    metadata = TableMetadata(
        source_format="json-stat2",
        table_id=px.get("tableid") if isinstance(px.get("tableid"), str) else None,
        title={language: document["label"]} if isinstance(document.get("label"), str) else {},
        contents={language: px["contents"]} if isinstance(px.get("contents"), str) else {},
        source={language: document["source"]} if isinstance(document.get("source"), str) else {},
        notes={language: "\n".join(_strings(notes, "note"))} if notes else {},
        languages=(language,),
        default_language=language,
        last_updated=_timestamp(document.get("updated")),
        decimals=px.get("decimals") if isinstance(px.get("decimals"), int) else None,
        format_version=version,
        official_statistics=px.get("official-statistics")
        if isinstance(px.get("official-statistics"), bool)
        else None,
        contents_dimension=metric.code if metric else None,
        extra={"extension": document.get("extension") or {}},
    )
    return JsonStatTable(
        metadata=metadata,
        dimensions=dimensions,
        cell_statuses=cell_statuses,
        _values=values,
        _statuses=statuses,
    )


def _key_at(dimensions: tuple[Dimension, ...], index: int) -> tuple[str, ...]:
    """The value codes of the cell at a flat index (row-major, the last dimension fastest)."""
    codes = []
    for dimension in reversed(dimensions):
        index, position = divmod(index, len(dimension))
        codes.append(dimension.values[position].code)
    return tuple(reversed(codes))


def _dimension(
    dimension_id: str, spec: Any, size: int, language: str, roles: Mapping[str, list[str]]
) -> Dimension:
    codes, category = _category(dimension_id, spec, size)
    labels = category.get("label") or {}
    units = category.get("unit") or {}
    is_time = dimension_id in roles.get("time", [])
    periods = infer_periods(tuple(codes)) if is_time else None
    values = []
    for position, code in enumerate(codes):
        unit = units.get(code) or {}
        if not isinstance(unit, dict):
            raise JsonStatError("category.unit entries must be objects", path=f"dimension.{dimension_id}")
        unit_text = unit.get("label") or unit.get("base")
        decimals = unit.get("decimals")
        values.append(
            DimensionValue(
                code=code,
                labels={language: labels.get(code, code)},
                period=periods[position] if periods else None,
                units={language: unit_text} if isinstance(unit_text, str) and unit_text else {},
                precision=decimals if isinstance(decimals, int) and not isinstance(decimals, bool) else None,
            )
        )
    label = spec.get("label")
    return Dimension(
        code=dimension_id,
        labels={language: label} if isinstance(label, str) else {},
        values=tuple(values),
        is_time=is_time,
        time_unit=periods[0].unit if periods else None,
        is_content=dimension_id in roles.get("metric", []),
        is_geo=dimension_id in roles.get("geo", []),
    )


def _values(raw: Any, total: int, sizes: list[int]) -> list[Decimal | None] | dict[int, Decimal | None]:
    if isinstance(raw, list):
        if len(raw) != total:
            shape = " × ".join(map(str, sizes)) or "1"
            raise JsonStatError(
                f"value has {len(raw)} entries but size {sizes} calls for {total} ({shape}):"
                f" expected {total}, found {len(raw)}",
                path="value",
            )
        return [_number(item, f"value[{index}]") for index, item in enumerate(raw)]
    if isinstance(raw, dict):
        return {_position(key, total, "value"): _number(item, f"value.{key}") for key, item in raw.items()}
    raise JsonStatError("value must be a list or an object", path="value")


def _statuses(raw: Any, total: int) -> dict[int, str]:
    if raw is None:
        return {}
    if isinstance(raw, str):
        return dict.fromkeys(range(total), raw)
    if isinstance(raw, list):
        if len(raw) != total:
            raise JsonStatError(
                f"status has {len(raw)} entries but there are {total} cells:"
                f" expected {total}, found {len(raw)}",
                path="status",
            )
        if not all(item is None or isinstance(item, str) for item in raw):
            raise JsonStatError("status entries must be strings or null", path="status")
        return {index: item for index, item in enumerate(raw) if item}
    if isinstance(raw, dict):
        if not all(isinstance(item, str) for item in raw.values()):
            raise JsonStatError("status entries must be strings", path="status")
        return {_position(key, total, "status"): item for key, item in raw.items()}
    raise JsonStatError("status must be a string, a list or an object", path="status")


def _position(key: str, total: int, path: str) -> int:
    if not key.isdigit() or int(key) >= total:
        raise JsonStatError(f"{key!r} is not a cell index 0…{total - 1}", path=path)
    return int(key)


def merge_languages(tables: Mapping[str, JsonStatTable]) -> JsonStatTable:
    """One table with labels in every language from same-shaped responses in several languages."""
    if not tables:
        raise ValueError("no tables to merge")
    languages = tuple(tables)
    first = tables[languages[0]]
    for language, table in tables.items():
        if [(d.code, d.codes) for d in table.dimensions] != [(d.code, d.codes) for d in first.dimensions]:
            raise JsonStatError(
                f"the {language!r} response has other dimensions or codes than {languages[0]!r}"
            )
        if table._values != first._values or table._statuses != first._statuses:
            raise JsonStatError(f"the {language!r} response has other numbers than {languages[0]!r}")
    dimensions = tuple(
        replace(
            dimension,
            labels={lang: text for t in tables.values() for lang, text in t.dimensions[i].labels.items()},
            values=tuple(
                replace(
                    value,
                    labels={
                        lang: text
                        for t in tables.values()
                        for lang, text in t.dimensions[i].values[j].labels.items()
                    },
                    units={
                        lang: text
                        for t in tables.values()
                        for lang, text in t.dimensions[i].values[j].units.items()
                    },
                )
                for j, value in enumerate(dimension.values)
            ),
        )
        for i, dimension in enumerate(first.dimensions)
    )

    def merged(name: str) -> dict[str, str]:
        return {lang: text for t in tables.values() for lang, text in getattr(t.metadata, name).items()}

    metadata = replace(
        first.metadata,
        title=merged("title"),
        contents=merged("contents"),
        source=merged("source"),
        notes=merged("notes"),
        languages=languages,
    )
    return JsonStatTable(
        metadata=metadata,
        dimensions=dimensions,
        cell_statuses=first.cell_statuses,
        _values=first._values,
        _statuses=first._statuses,
    )


def parse_jsonstat_languages(sources: Mapping[str, bytes | str | Mapping[str, Any]]) -> JsonStatTable:
    """Parse one response per language ({"fi": …, "sv": …, "en": …}) into one multilingual table."""
    return merge_languages(
        {language: parse_jsonstat(source, language=language) for language, source in sources.items()}
    )
