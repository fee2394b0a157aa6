"""Write use-cases for a listing's images: add one with its alt text and licence, remove some.

Kept apart from services.py (which the directory's lead owns); same house rules: keyword-only,
atomic, the policy re-checked, every change in the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from kotoverkko.core import audit, i18n
from kotoverkko.core.errors import ApplicationError, ErrorCode

from . import policies
from .models import Listing, ListingImage

MAX_IMAGE_BYTES = 5 * 1024 * 1024
IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


class ImageErrorCode(ErrorCode):
    NOT_ALLOWED = "not_allowed", _("You do not have permission to do this.")
    WRONG_TYPE = "image_type", _("Upload a JPEG, PNG or WebP image.")
    TOO_LARGE = "image_too_large", _("The image is too large: the limit is 5 MB.")
    ALT_TEXT_REQUIRED = (
        "alt_text_required",
        _("Describe the image in at least one language for people who cannot see it."),
    )
    LICENCE_REQUIRED = "licence_required", _("Give the image's licence, for example CC BY 4.0.")
    INVALID_LANGUAGE_CODE = (
        "invalid_language_code",
        _("Use a two- or three-letter language code, e.g. ar or ckb."),
    )


def _fail(code: ImageErrorCode, field_name: str) -> ApplicationError:
    return ApplicationError.from_code(code, field=field_name)


@dataclass
class ImageData:
    file: UploadedFile
    alt_text: dict[str, str]
    licence: str
    credit: str = ""


@dataclass
class ImageChanges:
    add: ImageData | None = None
    remove: list[int] = field(default_factory=list)


def image_file_check(file: UploadedFile) -> None:
    """Refuse anything but a JPEG, PNG or WebP picture of at most 5 MB (checked with Pillow)."""
    if file.size is not None and file.size > MAX_IMAGE_BYTES:
        raise _fail(ImageErrorCode.TOO_LARGE, "image")
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        with Image.open(file) as picture:
            kind = picture.format
            picture.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise _fail(ImageErrorCode.WRONG_TYPE, "image") from error
    finally:
        file.seek(position)
    if kind not in IMAGE_FORMATS:
        raise _fail(ImageErrorCode.WRONG_TYPE, "image")


def _record(listing: Listing, action: str, actor: Any, changes: dict[str, Any]) -> None:
    audit.record(
        actor=actor,
        action=action,
        obj=listing,
        organisation_id=listing.organisation_id,
        municipality_code=listing.municipality_id or "",
        changes=changes,
    )


@transaction.atomic
def listing_images_change(*, listing: Listing, changes: ImageChanges, actor: Any) -> list[ListingImage]:
    """Remove the listed images and add the new one; returns the listing's images afterwards."""
    if not policies.can_edit_listing(actor, listing):
        raise _fail(ImageErrorCode.NOT_ALLOWED, "image")
    removed = list(listing.images.filter(pk__in=changes.remove))
    for image in removed:
        name, storage = image.image.name, image.image.storage
        image.delete()
        transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
        _record(listing, "listing.image_removed", actor, {"images": {"from": str(image), "to": None}})
    if changes.add is not None:
        _image_add(listing=listing, data=changes.add, actor=actor)
    return list(listing.images.all())


def _image_add(*, listing: Listing, data: ImageData, actor: Any) -> ListingImage:
    image_file_check(data.file)
    try:
        alt_text = i18n.clean_multilingual(data.alt_text)
    except ValueError as error:
        raise _fail(ImageErrorCode.INVALID_LANGUAGE_CODE, "image_alt_text") from error
    if not alt_text:
        raise _fail(ImageErrorCode.ALT_TEXT_REQUIRED, "image_alt_text")
    if not data.licence.strip():
        raise _fail(ImageErrorCode.LICENCE_REQUIRED, "image_licence")
    last = listing.images.order_by("-position").values_list("position", flat=True).first()
    image = ListingImage(
        listing=listing,
        image=data.file,
        alt_text=alt_text,
        licence=data.licence.strip(),
        credit=data.credit.strip(),
        position=0 if last is None else last + 1,
    )
    try:
        image.full_clean()
    except ValidationError as error:
        messages = next(iter(error.message_dict.values()))
        fields = {
            (name if name == "image" else f"image_{name}"): texts
            for name, texts in error.message_dict.items()
        }
        raise ApplicationError("invalid", messages[0], fields=fields) from error
    image.save()
    _record(
        listing,
        "listing.image_added",
        actor,
        {"images": {"from": None, "to": alt_text}, "licence": {"from": None, "to": image.licence}},
    )
    return image
