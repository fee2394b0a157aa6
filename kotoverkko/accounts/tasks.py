"""Background work for accounts. Enqueued from services with transaction.on_commit."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


@task()
def send_invitation_email(*, invitation_id: int, language: str = "") -> None:
    from .models import Invitation
    from .services import invitation_token

    invitation = (
        Invitation.objects.select_related("organisation", "invited_by").filter(pk=invitation_id).first()
    )
    if invitation is None or not invitation.is_pending:
        return
    with translation.override(language or settings.LANGUAGE_CODE):
        path = reverse("accounts:invitation", kwargs={"token": invitation_token(invitation)})
        context = {
            "invitation": invitation,
            "url": settings.SITE_URL.rstrip("/") + path,
            "max_age_days": settings.INVITATION_MAX_AGE_DAYS,
            "site_name": settings.SITE_NAME,
        }
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/email/invitation_body.txt", context)
    send_mail(subject, body, None, [invitation.email])
