"""manage.py import_px FILE [--source statfin] [--table ID]: import a PC-Axis file as a dataset version."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kotoverkko.core import i18n
from kotoverkko.core.errors import ApplicationError
from kotoverkko.situation import services


class Command(BaseCommand):
    help = "Import a PC-Axis (.px), JSON-stat2 or PxWeb CSV file as the current version of its dataset."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("file", help="Path of the .px file.")
        parser.add_argument("--source", default="statfin", help="Source of the dataset (default statfin).")
        parser.add_argument(
            "--table", default="", help="Table id (default: the file's TABLEID/MATRIX, else the file name)."
        )
        parser.add_argument("--language", default="fi", help="Language of a CSV file's labels (default fi).")

    def handle(self, *args: object, **options: object) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            with path.open("rb") as stream:
                version = services.import_file(
                    stream=stream,
                    file_name=path.name,
                    source=options["source"],
                    table_id=options["table"],
                    actor=None,
                    language=options["language"],
                )
        except ApplicationError as error:
            raise CommandError(f"{path.name}: {error.message}") from error
        dataset = version.dataset
        title = i18n.localized(dataset.title) or dataset.table_id
        self.stdout.write(
            f"Imported {title} ({dataset.source}/{dataset.table_id}): {version.cell_count} cells"
        )
