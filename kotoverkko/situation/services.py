"""Write use-cases of the situation picture: importing statistics tables as dataset versions.

    table = parse_px(stream)                                  # or parse_jsonstat / parse_pxweb_csv
    version = dataset_import(table=table, source="statfin", table_id="11rc", file_name=…, actor=user)
    version = import_file(stream=…, file_name="x.px", source="statfin", table_id="", actor=user)

The cells stream from the parser into the database in committed batches under a *staged* version,
invisible to every page; a parse error in the middle of the data deletes the staged version and its
rows. Only when every cell is in does one short transaction make the new version the current one;
the old version stays as history.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotoverkko.core import audit
from kotoverkko.core.errors import ApplicationError, ErrorCode
from kotoverkko.reference.models import Municipality, Region

from .models import (
    VALUE_COLUMNS,
    Dataset,
    DatasetVersion,
    Dimension,
    DimensionRole,
    DimensionValue,
    Observation,
    value_columns,
)
from .parsers import Dimension as TableDimension
from .parsers import (
    JsonStatError,
    PxFormatError,
    PxWebCsvError,
    Table,
    TableFormatError,
    municipality_code,
    parse_jsonstat,
    parse_px,
    parse_pxweb_csv,
)

BATCH_SIZE = 5000
# A staged version older than this belongs to an import that died; the next import removes it.
ABANDONED_AFTER = datetime.timedelta(hours=12)
DEFAULT_ATTRIBUTION = {
    "fi": "Lähde: Tilastokeskus",
    "sv": "Källa: Statistikcentralen",
    "en": "Source: Statistics Finland",
}
FORMATS = ("px", "json", "csv")
AREA_NAMES = frozenset({"alue", "area", "region", "område", "kunta", "municipality", "kommun"})
CONTENT_NAMES = frozenset({"tiedot", "contents", "contentscode", "information", "uppgifter"})
_AREA_CODE = re.compile(r"KU\d{3}|MK\d{2}")
_REGION_CODE = re.compile(r"MK(\d{2})")

Progress = Callable[[int, int], None]
logger = logging.getLogger(__name__)


class SituationErrorCode(ErrorCode):
    MALFORMED_FILE = "malformed_file", gettext_lazy("The file is not a valid statistics table.")
    UNKNOWN_FORMAT = "unknown_format", gettext_lazy("The file is not a PX, JSON-stat or PxWeb CSV file.")


# --- Dimensions -------------------------------------------------------------------------------------


def dimension_role(dimension: TableDimension, *, area_taken: bool = False) -> str:
    """Time, area (the geographic dimension: KU091/MK01 codes or named Alue/Area), content or other."""
    if dimension.is_time:
        return DimensionRole.TIME
    names = {dimension.code.lower(), *(label.lower() for label in dimension.labels.values())}
    if not area_taken and (
        dimension.is_geo or names & AREA_NAMES or any(_AREA_CODE.fullmatch(code) for code in dimension.codes)
    ):
        return DimensionRole.AREA
    if dimension.is_content or names & CONTENT_NAMES:
        return DimensionRole.CONTENT
    return DimensionRole.OTHER


def stored_code(code: str) -> str:
    """The code as stored: one longer than DimensionValue.code allows (a CSV label used as its code)
    is cut and made unique with a digest of the whole; the full text stays in the labels."""
    limit = DimensionValue._meta.get_field("code").max_length
    if len(code) <= limit:
        return code
    digest = hashlib.sha1(code.encode("utf-8"), usedforsecurity=False).hexdigest()[:10]
    return f"{code[: limit - 11]}~{digest}"


def area_code_of(code: str) -> str:
    """What `Observation.area_code` stores: "091" for KU091, "MK01", "SSS", else the raw code."""
    return municipality_code(code) or code


def _area_join(code: str, municipalities: set[str], regions: set[str]) -> dict[str, Any]:
    municipality = municipality_code(code)
    if municipality is not None:
        return {"municipality_id": municipality if municipality in municipalities else None}
    region = _REGION_CODE.fullmatch(code)
    if region is not None:
        return {"region_id": region.group(1) if region.group(1) in regions else None}
    return {"is_country": code == "SSS"}


def _create_dimensions(version: DatasetVersion, table: Table) -> list[str]:
    """Dimensions and values of the new version; returns each dimension's role in table order."""
    municipalities = set(Municipality.objects.values_list("code", flat=True))
    regions = set(Region.objects.values_list("code", flat=True))
    roles: list[str] = []
    for position, source in enumerate(table.dimensions):
        role = dimension_role(source, area_taken=DimensionRole.AREA in roles)
        roles.append(role)
        dimension = Dimension.objects.create(
            version=version, code=source.code, labels=dict(source.labels), position=position, role=role
        )
        values = []
        for index, value in enumerate(source.values):
            extra = _area_join(value.code, municipalities, regions) if role == DimensionRole.AREA else {}
            values.append(
                DimensionValue(
                    dimension=dimension,
                    code=stored_code(value.code),
                    labels=dict(value.labels) or {"fi": value.code},
                    position=index,
                    period_start=value.period.start if value.period is not None else None,
                    **extra,
                )
            )
        DimensionValue.objects.bulk_create(values, batch_size=BATCH_SIZE)
    return roles


# --- Import -----------------------------------------------------------------------------------------


def _coordinator_organisation(actor: Any) -> Any:
    from kotoverkko.accounts.roles import Role

    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    membership = (
        actor.memberships.filter(role=Role.COORDINATOR).select_related("organisation").order_by("pk").first()
    )
    return membership.organisation if membership is not None else None


def _insert_sql(connection: Any) -> str:
    quote = connection.ops.quote_name
    columns = ["version_id", "key", "area_code", "period_start", *VALUE_COLUMNS, "value", "missing"]
    # Only the model's own table and column names go into the statement; the values are parameters.
    table = quote(Observation._meta.db_table)
    names = ", ".join(quote(column) for column in columns)
    placeholders = ", ".join(["%s"] * len(columns))
    return f"INSERT INTO {table} ({names}) VALUES ({placeholders})"  # noqa: S608


def _stream_observations(
    version: DatasetVersion, table: Table, roles: list[str], progress: Progress | None
) -> int:
    """Cells into Observation rows, BATCH_SIZE at a time, each batch committed on its own (the
    version is staged, so nobody sees them yet; the parser's stream is never held whole).

    Rows go in through the cursor's executemany: the ORM's per-object work would double the time of
    a large import, and the rows need nothing from it (no signals, no defaults)."""
    area_index = roles.index(DimensionRole.AREA) if DimensionRole.AREA in roles else None
    time_index = roles.index(DimensionRole.TIME) if DimensionRole.TIME in roles else None
    connection = connections[router.db_for_write(Observation)]
    ops = connection.ops
    areas: dict[str, str] = {}
    if area_index is not None:
        areas = {code: area_code_of(code) for code in table.dimensions[area_index].codes}
    periods: dict[str, Any] = {}
    if time_index is not None:
        periods = {
            value.code: ops.adapt_datefield_value(value.period.start if value.period is not None else None)
            for value in table.dimensions[time_index].values
        }
    slots = list(value_columns(roles))
    positions = [{code: index for index, code in enumerate(table.dimensions[i].codes)} for i in slots]
    padding = (None,) * (len(VALUE_COLUMNS) - len(slots))
    renames = [{c: stored_code(c) for c in d.codes if stored_code(c) != c} for d in table.dimensions]
    renamed = any(renames)
    sql = _insert_sql(connection)
    version_id = version.pk
    adapt_decimal = ops.adapt_decimalfield_value
    total = table.size
    count = 0
    batch: list[tuple[Any, ...]] = []

    def flush() -> None:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.executemany(sql, batch)

    for key, value, missing in table.cells():
        batch.append(
            (
                version_id,
                "|".join(_renamed(key, renames) if renamed else key),
                areas[key[area_index]] if area_index is not None else "",
                periods[key[time_index]] if time_index is not None else None,
                *(lookup[key[index]] for index, lookup in zip(slots, positions, strict=True)),
                *padding,
                adapt_decimal(value, 20, 6) if value is not None else None,
                missing.marker if missing is not None else "",
            )
        )
        if len(batch) >= BATCH_SIZE:
            flush()
            count += len(batch)
            batch = []
            if progress is not None:
                progress(count, total)
    if batch:
        flush()
        count += len(batch)
    if progress is not None:
        progress(count, total)
    return count


def _renamed(key: tuple[str, ...], renames: list[dict[str, str]]) -> tuple[str, ...]:
    return tuple(rename.get(code, code) for code, rename in zip(key, renames, strict=True))


def _stage(
    *,
    table: Table,
    source: str,
    table_id: str,
    file_name: str,
    actor: Any,
    attribution: dict[str, str] | None,
) -> tuple[Dataset, bool, DatasetVersion, list[str]]:
    """The dataset (created if new), a staged version and its dimensions, committed together."""
    with transaction.atomic():
        dataset, created = Dataset.objects.get_or_create(
            source=source,
            table_id=table_id,
            defaults={
                "title": dict(table.metadata.title) or {"fi": f"{source}/{table_id}"},
                "attribution": attribution or DEFAULT_ATTRIBUTION,
            },
        )
        version = DatasetVersion.objects.create(
            dataset=dataset,
            is_current=False,
            is_staged=True,
            last_updated=table.metadata.last_updated,
            file_name=file_name[:255],
            imported_by=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        )
        roles = _create_dimensions(version, table)
    return dataset, created, version, roles


def _discard(version: DatasetVersion, *, dataset_created: bool) -> None:
    """Remove a failed import's staged version and its rows (and its dataset if it was new)."""
    with transaction.atomic():
        Observation.objects.filter(version=version).delete()
        dataset = version.dataset
        version.delete()
        if dataset_created and not dataset.versions.exists():
            dataset.delete()


def discard_abandoned_imports(*, older_than: datetime.timedelta = ABANDONED_AFTER) -> int:
    """Staged versions left behind by an import that died without cleaning up (e.g. the worker was
    killed); returns how many were removed. Run before each import."""
    cutoff = timezone.now() - older_than
    count = 0
    for version in DatasetVersion.objects.filter(is_staged=True, updated_at__lt=cutoff).select_related(
        "dataset"
    ):
        _discard(version, dataset_created=False)
        count += 1
    return count


def dataset_import(
    *,
    table: Table,
    source: str,
    table_id: str,
    file_name: str,
    actor: Any,
    is_synthetic: bool = False,
    attribution: dict[str, str] | None = None,
    progress: Progress | None = None,
) -> DatasetVersion:
    """Import a parsed table as the new current version of its dataset, all or nothing.

    The rows are written in committed batches under a staged version (so progress can be seen while
    a long import runs); one short final transaction makes it current and the old version history.
    Any error, e.g. a `TableFormatError` raised while the cells stream, removes the staged version
    and its rows and leaves the old current version as it was. `progress(cells done, cells
    expected)` is called after every batch, outside any transaction of the import.
    """
    discard_abandoned_imports()
    dataset, created, version, roles = _stage(
        table=table,
        source=source,
        table_id=table_id,
        file_name=file_name,
        actor=actor,
        attribution=attribution,
    )
    try:
        count = _stream_observations(version, table, roles, progress)
        with transaction.atomic():
            dataset.title = dict(table.metadata.title) or {"fi": f"{source}/{table_id}"}
            dataset.is_synthetic = is_synthetic
            if attribution is not None:
                dataset.attribution = attribution
            dataset.save(update_fields=["title", "is_synthetic", "attribution", "updated_at"])
            DatasetVersion.objects.filter(dataset=dataset, is_current=True).update(is_current=False)
            version.is_current = True
            version.is_staged = False
            version.cell_count = count
            version.save(update_fields=["is_current", "is_staged", "cell_count", "updated_at"])
            organisation = _coordinator_organisation(actor)
            audit.record(
                actor=actor,
                action="dataset.imported",
                obj=version,
                organisation_id=organisation.pk if organisation is not None else None,
                municipality_code=getattr(organisation, "home_municipality_id", None) or "",
                changes={"cells": count, "source": source, "table_id": table_id, "file": version.file_name},
            )
    except BaseException:
        try:
            _discard(version, dataset_created=created)
        except Exception:  # the original error matters more; discard_abandoned_imports retries
            logger.exception("Could not remove the staged dataset version %s", version.pk)
        raise
    return version


# --- Files --------------------------------------------------------------------------------------------


def detect_format(head: bytes, file_name: str) -> str | None:
    """ "px", "json" or "csv" by the file name's extension, else by the first bytes; None if unknown."""
    suffix = Path(file_name).suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"{"):
        return "json"
    if re.search(rb"(?m)^(AXIS-VERSION|CHARSET|CODEPAGE|MATRIX|LANGUAGE)[\[(=]", head):
        return "px"
    if text.startswith(b'"'):
        return "csv"
    return None


def parse_table(stream: IO[bytes], *, file_name: str, language: str = "fi") -> Table:
    """Pick the parser by the file's extension or content. `language` is that of a CSV's labels."""
    if not stream.seekable():
        stream = io.BytesIO(stream.read())
    start = stream.tell()
    head = stream.read(4096)
    stream.seek(start)
    kind = detect_format(head, file_name)
    if kind == "px":
        return parse_px(stream)
    if kind == "json":
        return parse_jsonstat(stream)
    if kind == "csv":
        return parse_pxweb_csv(stream, language=language)
    raise ApplicationError(SituationErrorCode.UNKNOWN_FORMAT, SituationErrorCode.UNKNOWN_FORMAT.label)


def format_error(error: Exception) -> str:
    """A parser error as a translated sentence naming the line and keyword at fault."""
    line = getattr(error, "line", None)
    keyword = getattr(error, "keyword", None) or getattr(error, "path", None)
    message = getattr(error, "message", None) or str(error)
    values = {"line": line, "keyword": keyword, "message": message}
    if line and keyword:
        return _("Line %(line)s, %(keyword)s: %(message)s") % values
    if line:
        return _("Line %(line)s: %(message)s") % values
    if keyword:
        return _("%(keyword)s: %(message)s") % values
    return message


def import_file(
    *,
    stream: IO[bytes],
    file_name: str,
    source: str,
    table_id: str,
    actor: Any,
    language: str = "fi",
    is_synthetic: bool = False,
    attribution: dict[str, str] | None = None,
    progress: Progress | None = None,
) -> DatasetVersion:
    """Parse a PX, JSON-stat2 or PxWeb CSV file and import it; a malformed file is an ApplicationError.

    The table id defaults to the file's TABLEID/MATRIX (or the CSV title's id), else the file name.
    """
    try:
        table = parse_table(stream, file_name=file_name, language=language)
        return dataset_import(
            table=table,
            source=source,
            table_id=table_id or default_table_id(table, file_name),
            file_name=file_name,
            actor=actor,
            is_synthetic=is_synthetic,
            attribution=attribution,
            progress=progress,
        )
    except (PxFormatError, PxWebCsvError, JsonStatError, TableFormatError) as error:
        raise ApplicationError(SituationErrorCode.MALFORMED_FILE, format_error(error)) from error
    except UnicodeDecodeError as error:
        raise ApplicationError(
            SituationErrorCode.MALFORMED_FILE,
            _("The file is not in the encoding it declares: %(error)s") % {"error": error},
        ) from error


def default_table_id(table: Table, file_name: str) -> str:
    """The table's own id (TABLEID, MATRIX), else the file name without its extension."""
    metadata = table.metadata
    return (metadata.table_id or metadata.matrix or Path(file_name).stem)[:80]
