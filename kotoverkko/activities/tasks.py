"""Background work of the directory: freshness reminders and occurrence upkeep."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from kotoverkko.accounts.roles import Permission, role_grants


def _editor_addresses(listing) -> dict[str, list[str]]:  # noqa: ANN001
    """E-mail addresses of the people who may edit the listing, grouped by their language."""
    by_language: dict[str, list[str]] = {}
    organisations = listing.organisation.lineage_ids()
    from kotoverkko.accounts.models import Membership

    memberships = Membership.objects.filter(
        organisation_id__in=organisations, user__is_active=True
    ).select_related("user")
    for membership in memberships:
        if role_grants(membership.role, Permission.EDIT_LISTINGS):
            by_language.setdefault(membership.user.preferred_language, []).append(membership.user.email)
    return by_language


@task()
def send_confirmation_reminder(*, listing_id: int) -> None:
    """E-mail the listing's editors a signed one-click "still valid" link."""
    from .models import Listing
    from .services import confirm_token

    listing = Listing.objects.select_related("organisation").filter(pk=listing_id).first()
    if listing is None:
        return
    token = confirm_token(listing)
    for language, addresses in _editor_addresses(listing).items():
        with translation.override(language):
            context = {
                "listing": listing,
                "confirm_url": settings.SITE_URL.rstrip("/") + reverse("activities:confirm", args=[token]),
                "edit_url": settings.SITE_URL.rstrip("/") + reverse("activities:edit", args=[listing.pk]),
                "hide_days": settings.LISTING_HIDE_DAYS,
                "site_name": settings.SITE_NAME,
            }
            subject = render_to_string("activities/email/reminder_subject.txt", context).strip()
            body = render_to_string("activities/email/reminder_body.txt", context)
        send_mail(subject, body, None, sorted(set(addresses)))


@transaction.atomic
def queue_confirmation_reminders() -> int:
    """Mark stale listings as reminded and queue one e-mail each; returns how many."""
    from .selectors import stale_listings

    count = 0
    now = timezone.now()
    for listing in stale_listings(now=now).select_for_update(skip_locked=True).iterator():
        with transaction.atomic():
            type(listing).objects.filter(pk=listing.pk).update(reminder_sent_at=now)
            listing_id = listing.pk
            transaction.on_commit(
                lambda listing_id=listing_id: send_confirmation_reminder.enqueue(listing_id=listing_id)
            )
        count += 1
    return count
