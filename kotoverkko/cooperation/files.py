"""Checks for uploaded meeting papers and agreement documents: size, type and content."""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

ZIP = (b"PK\x03\x04",)
# Extension → (content type served, accepted leading bytes; empty = text that must decode).
ALLOWED_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ZIP),
    ".odt": ("application/vnd.oasis.opendocument.text", ZIP),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", ZIP),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".txt": ("text/plain; charset=utf-8", ()),
    ".csv": ("text/csv; charset=utf-8", ()),
}


def max_file_bytes() -> int:
    return int(getattr(settings, "COOPERATION_MAX_FILE_BYTES", 10 * 1024 * 1024))


class FileRefused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "too_large" or "wrong_type"


def file_content_type(file: UploadedFile) -> str:
    """The content type to serve the file with; raises FileRefused when it is not acceptable."""
    if file.size is None or file.size > max_file_bytes():
        raise FileRefused("too_large")
    extension = PurePath(file.name or "").suffix.lower()
    if extension not in ALLOWED_TYPES:
        raise FileRefused("wrong_type")
    content_type, signatures = ALLOWED_TYPES[extension]
    file.seek(0)
    head = file.read(2048)
    file.seek(0)
    if signatures:
        if not any(head.startswith(signature) for signature in signatures):
            raise FileRefused("wrong_type")
    else:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            # A multibyte character cut at the 2048th byte is still text.
            try:
                head[:-3].decode("utf-8")
            except UnicodeDecodeError as error:
                raise FileRefused("wrong_type") from error
        if b"\x00" in head:
            raise FileRefused("wrong_type")
    return content_type
