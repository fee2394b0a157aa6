"""manage.py import_pxweb URL QUERY.json [--source] [--table]: fetch a PxWeb table and import it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kotoverkko.core import i18n
from kotoverkko.core.errors import ApplicationError
from kotoverkko.situation import pxweb_client, services
from kotoverkko.situation.parsers import TableFormatError


class Command(BaseCommand):
    help = "Fetch a table from a PxWeb API v1 (as json-stat2) with a saved query and import it."

    # Tests replace this with an opener that replays recorded responses (no network).
    opener: Any = None

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument(
            "url", help="The table's API URL, e.g. https://pxdata.stat.fi/PXWeb/api/v1/fi/StatFin/…/x.px"
        )
        parser.add_argument("query", help="A saved PxWeb query (JSON).")
        parser.add_argument("--source", default="statfin", help="Source of the dataset (default statfin).")
        parser.add_argument("--table", default="", help="Table id (default: from the response or the URL).")

    def handle(self, *args: object, **options: object) -> None:
        url: str = options["url"]
        if not url.startswith(("https://", "http://")) or "/" not in url.split("://", 1)[1]:
            raise CommandError(f"Not a PxWeb table URL: {url!r}")
        query = self._query(Path(options["query"]))
        base, _, path = url.rstrip("/").rpartition("/")
        client = pxweb_client.PxWebClient(base, opener=self.opener)
        try:
            table = client.fetch_table(path, query)
            table_id = options["table"] or services.default_table_id(table, path)
            version = services.dataset_import(
                table=table, source=options["source"], table_id=table_id, file_name=url, actor=None
            )
        except pxweb_client.PxWebError as error:
            raise CommandError(f"PxWeb: {error}") from error
        except TableFormatError as error:
            raise CommandError(
                f"The response is not a valid table: {services.format_error(error)}"
            ) from error
        except ApplicationError as error:
            raise CommandError(error.message) from error
        dataset = version.dataset
        title = i18n.localized(dataset.title) or dataset.table_id
        self.stdout.write(
            f"Imported {title} ({dataset.source}/{dataset.table_id}): {version.cell_count} cells"
        )

    def _query(self, path: Path) -> dict[str, Any]:
        if not path.is_file():
            raise CommandError(f"No such query file: {path}")
        try:
            query = json.loads(path.read_text(encoding="utf-8-sig"))
        except (ValueError, UnicodeDecodeError) as error:
            raise CommandError(f"{path.name} is not valid JSON: {error}") from error
        if not isinstance(query, dict):
            raise CommandError(f"{path.name}: a PxWeb query is a JSON object with 'query' and 'response'")
        response = query.setdefault("response", {})
        if not isinstance(response, dict):
            raise CommandError(f"{path.name}: 'response' must be an object")
        response["format"] = "json-stat2"
        try:
            pxweb_client.validate_query(query)
        except pxweb_client.PxWebQueryError as error:
            raise CommandError(f"{path.name}: {error}") from error
        return query
