"""Consultation pages: the public page with its comment form, and the coordinator's planning and
moderation pages. Logic lives in `consultation.py`; the spam checks in `consultation_spam.py`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kotoverkko.core import i18n
from kotoverkko.core.errors import ApplicationError, PermissionDeniedError
from kotoverkko.core.forms import add_application_error
from kotoverkko.core.pagination import paginate
from kotoverkko.organisations import policies as organisation_policies

from . import consultation as selectors
from . import consultation_spam as spam
from .consultation_forms import CommentForm, ConsultationForm, ModerationForm
from .documents import access
from .models import Consultation, ConsultationComment, ConsultationCommentStatus, ConsultationPhase, Programme
from .models.consultation import PLAIN_FINNISH

COMMENTS_PER_PAGE = 20


def _ui_language() -> str:
    return (get_language() or "fi")[:2]


# --- Public -------------------------------------------------------------------------------------------


@require_safe
def consultation_list(request: HttpRequest) -> HttpResponse:
    consultations = selectors.consultations_visible_to(request.user).select_related("programme")
    visible = [item for item in consultations.order_by("-opens_at", "-pk") if item.status == "published"]
    groups = {
        "open": [item for item in visible if item.phase() == ConsultationPhase.OPEN],
        "upcoming": [item for item in visible if item.phase() == ConsultationPhase.UPCOMING],
        "closed": [item for item in visible if item.phase() == ConsultationPhase.CLOSED],
    }
    return render(request, "planning/consultation/list.html", {"groups": groups})


def _comment_form(request: HttpRequest, consultation: Consultation, data: Any = None) -> CommentForm | None:
    if not consultation.is_open:
        return None
    organisations = selectors.commenting_organisations(request.user, consultation)
    if not consultation.is_public and not organisations:
        return None
    return CommentForm(
        data,
        consultation=consultation,
        sections=selectors.section_choices(consultation.programme),
        organisations=organisations,
        language=_ui_language(),
    )


def _render_detail(
    request: HttpRequest, consultation: Consultation, *, form: CommentForm | None, status: int = 200
) -> HttpResponse:
    wanted = request.GET.get("summary_language", "") or _ui_language()
    summary, summary_language = selectors.summary_text(consultation, wanted)
    programme = consultation.programme
    context = {
        "consultation": consultation,
        "programme": programme,
        "phase": consultation.phase(),
        "summary": summary,
        "summary_lang": "fi" if summary_language == PLAIN_FINNISH else summary_language,
        "summary_dir": i18n.text_direction(summary_language),
        "summary_is_plain": summary_language == PLAIN_FINNISH,
        "summary_languages": selectors.summary_languages(consultation),
        "goals": programme.goals.prefetch_related("measures").order_by("position", "pk"),
        "general_measures": programme.measures.filter(goal__isnull=True).order_by("position", "pk"),
        "form": form,
        "page": paginate(request, selectors.published_comments(consultation), per_page=COMMENTS_PER_PAGE),
        "can_moderate": request.user.is_authenticated and selectors.can_moderate(request.user, consultation),
        "plain_finnish": PLAIN_FINNISH,
    }
    return render(request, "planning/consultation/detail.html", context, status=status)


@require_safe
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = selectors.consultation_get_for_user(user=request.user, consultation_id=pk)
    return _render_detail(request, consultation, form=_comment_form(request, consultation))


@require_POST
def consultation_comment(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = selectors.consultation_get_for_user(user=request.user, consultation_id=pk)
    form = _comment_form(request, consultation, request.POST)
    if form is None:
        messages.error(request, str(selectors.ConsultationErrorCode.NOT_OPEN.label))
        return redirect("planning:consultation_detail", pk=consultation.pk)
    if spam.rate_limit_reached(request, consultation.pk):
        form.add_error(
            None, _("You have sent several comments in a short time. Please try again in an hour.")
        )
        return _render_detail(request, consultation, form=form, status=429)
    if form.is_valid():
        try:
            selectors.comment_submit(
                consultation=consultation,
                text=form.cleaned_data["text"],
                language=form.cleaned_data["language"],
                section=form.cleaned_data.get("section", ""),
                organisation=form.cleaned_data.get("organisation"),
                actor=request.user,
            )
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            spam.count_comment(request, consultation.pk)
            messages.success(request, _("Thank you. Your comment will be published after moderation."))
            return redirect("planning:consultation_detail", pk=consultation.pk)
    return _render_detail(request, consultation, form=form, status=400)


# --- Coordinator ----------------------------------------------------------------------------------------


def _programme_for_manager(request: HttpRequest, programme_pk: int) -> Programme:
    programme = get_object_or_404(
        access.programmes_readable_by(request.user).select_related("owner"), pk=programme_pk
    )
    if not (
        selectors.can_manage_consultations(request.user, programme)
        or access.moderated_programmes(request.user).filter(pk=programme.pk).exists()
    ):
        raise PermissionDenied
    return programme


def _consultation_for_manager(request: HttpRequest, pk: int) -> Consultation:
    consultation = selectors.consultation_get_for_user(user=request.user, consultation_id=pk)
    if not selectors.can_manage_consultations(request.user, consultation.programme):
        raise Http404
    return consultation


def _consultation_for_moderator(request: HttpRequest, pk: int) -> Consultation:
    consultation = selectors.consultation_get_for_user(user=request.user, consultation_id=pk)
    if not selectors.can_moderate(request.user, consultation):
        raise Http404
    return consultation


def _private(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_safe
@login_required
def consultation_manage(request: HttpRequest, programme_pk: int) -> HttpResponse:
    programme = _programme_for_manager(request, programme_pk)
    consultations = [
        {"consultation": item, "phase": item.phase(), "counts": selectors.comment_counts(item)}
        for item in selectors.consultations_of(programme)
    ]
    context = {
        "programme": programme,
        "consultations": consultations,
        "can_create": selectors.can_manage_consultations(request.user, programme),
    }
    return _private(render(request, "planning/consultation/manage.html", context))


def _organisation_choices(request: HttpRequest) -> Any:
    return organisation_policies.organisations_visible_to(request.user).order_by("sort_name", "pk")


def _save_consultation(request: HttpRequest, form: ConsultationForm, **target: Any) -> Consultation | None:
    data = form.cleaned_data
    values = {
        "title": data["title"],
        "summary": data["summary"],
        "plain_finnish_summary": data["plain_finnish_summary"],
        "opens_at": data["opens_at"],
        "closes_at": data["closes_at"],
        "is_public": data["is_public"],
        "invited_organisations": data["invited_organisations"],
    }
    try:
        if "consultation" in target:
            return selectors.consultation_update(actor=request.user, **target, **values)
        return selectors.consultation_create(actor=request.user, **target, **values)
    except PermissionDeniedError as error:
        raise PermissionDenied from error
    except ApplicationError as error:
        add_application_error(form, error)
    return None


@login_required
def consultation_create(request: HttpRequest, programme_pk: int) -> HttpResponse:
    programme = _programme_for_manager(request, programme_pk)
    if not selectors.can_manage_consultations(request.user, programme):
        raise PermissionDenied
    form = ConsultationForm(request.POST or None, organisations=_organisation_choices(request))
    if request.method == "POST" and form.is_valid():
        consultation = _save_consultation(request, form, programme=programme)
        if consultation is not None:
            messages.success(request, _("The consultation was saved as a draft."))
            return redirect("planning:consultation_manage", programme_pk=programme.pk)
    context = {"form": form, "programme": programme, "consultation": None}
    return _private(render(request, "planning/consultation/form.html", context))


@login_required
def consultation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _consultation_for_manager(request, pk)
    form = ConsultationForm(
        request.POST or None, organisations=_organisation_choices(request), consultation=consultation
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _save_consultation(request, form, consultation=consultation)
    ):
        messages.success(request, _("The consultation was saved."))
        return redirect("planning:consultation_manage", programme_pk=consultation.programme_id)
    context = {"form": form, "programme": consultation.programme, "consultation": consultation}
    return _private(render(request, "planning/consultation/form.html", context))


@require_POST
@login_required
def consultation_publish(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _consultation_for_manager(request, pk)
    try:
        selectors.consultation_publish(consultation=consultation, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The consultation was published. It opens and closes on its dates."))
    return redirect("planning:consultation_manage", programme_pk=consultation.programme_id)


@require_safe
@login_required
def consultation_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _consultation_for_moderator(request, pk)
    status = request.GET.get("status", ConsultationCommentStatus.PENDING)
    if status not in ConsultationCommentStatus.values:
        status = ""
    comments = selectors.comments_for_moderation(consultation, status=status)
    page = paginate(request, comments, per_page=COMMENTS_PER_PAGE)
    items = [(comment, _moderation_form(comment)) for comment in page.object_list]
    context = {
        "consultation": consultation,
        "page": page,
        "items": items,
        "status": status,
        "statuses": ConsultationCommentStatus.choices,
        "counts": selectors.comment_counts(consultation),
    }
    return _private(render(request, "planning/consultation/moderate.html", context))


def _moderation_form(comment: ConsultationComment, data: Any = None) -> ModerationForm:
    initial = {
        "decision": "reject" if comment.status == ConsultationCommentStatus.REJECTED else "publish",
        "reason": comment.rejection_reason,
        "answer": comment.answer,
    }
    return ModerationForm(data, initial=initial, prefix=f"c{comment.pk}")


@require_POST
@login_required
def consultation_comment_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(
        ConsultationComment.objects.filter(consultation__in=selectors.consultations_visible_to(request.user)),
        pk=pk,
    )
    consultation = _consultation_for_moderator(request, comment.consultation_id)
    form = _moderation_form(comment, request.POST)
    if form.is_valid():
        publish = form.cleaned_data["decision"] == "publish"
        try:
            selectors.comment_moderate(
                comment=comment,
                actor=request.user,
                publish=publish,
                reason=form.cleaned_data["reason"],
                answer=form.cleaned_data["answer"],
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Comment #%(number)s was moderated.") % {"number": comment.pk})
    else:
        messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
    return redirect("planning:consultation_moderate", pk=consultation.pk)
