"""Write a programme (or one of its monitoring rounds' reports) as DOCX or PDF."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kotoverkko.planning.documents import builder, docx_renderer, pdf_renderer
from kotoverkko.planning.models import MonitoringRound, Programme

RENDERERS = {"docx": docx_renderer.render_docx, "pdf": pdf_renderer.render_pdf}


class Command(BaseCommand):
    help = "Export a programme as DOCX or PDF: export_programme ID --format docx|pdf --output FILE."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("programme_id", type=int)
        parser.add_argument("--format", choices=sorted(RENDERERS), default="docx", dest="file_format")
        parser.add_argument("--output", required=True, help="The file to write ('-' for standard output).")
        parser.add_argument("--language", choices=list(builder.UI_LANGUAGES), default="fi")
        parser.add_argument(
            "--round", type=int, dest="round_id", help="Export this monitoring round's report."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        programme = Programme.objects.filter(pk=options["programme_id"]).first()
        if programme is None:
            raise CommandError(f"No programme with id {options['programme_id']}.")
        language = options["language"]
        if options["round_id"]:
            monitoring_round = MonitoringRound.objects.filter(
                programme=programme, pk=options["round_id"]
            ).first()
            if monitoring_round is None:
                raise CommandError(f"The programme has no monitoring round with id {options['round_id']}.")
            content = builder.round_document(monitoring_round, language=language)
        else:
            content = builder.programme_document(programme, language=language)
        data = RENDERERS[options["file_format"]](content)
        if options["output"] == "-":
            sys.stdout.buffer.write(data)
            return
        path = Path(options["output"])
        path.write_bytes(data)
        self.stdout.write(self.style.SUCCESS(f"Wrote {path} ({len(data)} bytes)."))
