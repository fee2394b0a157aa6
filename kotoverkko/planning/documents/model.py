"""The laid-out-independent content of a document: sections of paragraphs, tables and figures.

Both renderers walk the same `Document`, so the DOCX and the PDF always say the same thing.
Texts are final (translated, formatted for the document's language) when they get here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kotoverkko.core.i18n import text_direction


@dataclass(frozen=True)
class Paragraph:
    text: str
    language: str = ""  # set when it differs from the document's language (e.g. a comment in Arabic)
    style: str = ""  # "" | "note" | "quote" | "label"

    @property
    def direction(self) -> str:
        return text_direction(self.language)


@dataclass(frozen=True)
class Table:
    caption: str
    headers: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Figure:
    title: str
    description: str  # alternative text
    png: bytes
    width: int
    height: int
    caption: str = ""


Block = Paragraph | Table | Figure


@dataclass
class Section:
    heading: str
    blocks: list[Block] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)

    def add(self, *blocks: Block) -> Section:
        self.blocks.extend(blocks)
        return self

    def paragraph(self, text: str, **kwargs: str) -> Section:
        if text:
            self.blocks.append(Paragraph(text, **kwargs))
        return self


@dataclass
class Document:
    title: str
    subtitle: str
    language: str
    cover_lines: list[str]
    sections: list[Section]
    filename_stem: str
    is_draft: bool = False
    generated_on: str = ""
    contents_heading: str = ""
    draft_label: str = ""
    footer: str = ""

    @property
    def direction(self) -> str:
        return text_direction(self.language)
