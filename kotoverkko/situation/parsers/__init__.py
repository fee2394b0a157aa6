"""Strict, streaming readers for Statistics Finland's formats: PC-Axis, JSON-stat 2.0 and PxWeb CSV."""

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
    municipality_code,
    parse_period,
)
from .jsonstat import JsonStatError, JsonStatTable, merge_languages, parse_jsonstat, parse_jsonstat_languages
from .px import PxFormatError, PxKeyword, PxTable, open_px, parse_px
from .pxweb_csv import PxWebCsvError, PxWebCsvTable, parse_pxweb_csv, split_code_label

__all__ = [
    "MISSING_MEANINGS",
    "Cell",
    "Dimension",
    "DimensionValue",
    "JsonStatError",
    "JsonStatTable",
    "Missing",
    "PxFormatError",
    "PxKeyword",
    "PxTable",
    "PxWebCsvError",
    "PxWebCsvTable",
    "Table",
    "TableFormatError",
    "TableMetadata",
    "TimePeriod",
    "merge_languages",
    "municipality_code",
    "open_px",
    "parse_jsonstat",
    "parse_jsonstat_languages",
    "parse_period",
    "parse_px",
    "parse_pxweb_csv",
    "split_code_label",
]
