"""Cooperation pages: bodies, members, meetings, action items and agreements. Thin views:
parse → selector/policy → service → render. A body, meeting or agreement the user may not see or
change answers 404 like a missing one; a page the role may never use answers 403."""

from __future__ import annotations

import csv
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms.utils import ErrorDict
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotoverkko.core.errors import ApplicationError
from kotoverkko.core.forms import add_application_error
from kotoverkko.core.htmx import render_page_or_fragment
from kotoverkko.core.pagination import paginate

from . import calendars, policies, selectors, services
from .forms import (
    ActionItemFilterForm,
    ActionItemForm,
    ActionItemStatusForm,
    AgreementFilterForm,
    AgreementForm,
    BodyFilterForm,
    BodyForm,
    FileForm,
    MeetingForm,
    MemberForm,
    RecordForm,
    ReviewForm,
    action_item_formset,
    action_item_rows,
    agenda_formset,
    agenda_rows,
    agreement_data,
    party_formset,
    quota_formset,
    with_added_row,
)
from .models import CooperationBody

ICS_TYPE = "text/calendar; charset=utf-8"


def _quiet(*items: forms.BaseForm | forms.BaseFormSet) -> None:
    """Show posted values without validation errors (the user only asked for another row)."""
    for item in items:
        if isinstance(item, forms.BaseFormSet):
            item._errors, item._non_form_errors = [], item.error_class()
            for form in item.forms:
                form._errors = ErrorDict()
        else:
            item._errors = ErrorDict()


def _error_items(*items: forms.BaseForm | forms.BaseFormSet) -> list[tuple[str, str]]:
    """(anchor, text) for every error of the forms and formsets, for one summary above the form."""
    found: list[tuple[str, str]] = []
    for item in items:
        forms_ = item.forms if isinstance(item, forms.BaseFormSet) else [item]
        if isinstance(item, forms.BaseFormSet):
            found += [("", str(error)) for error in item.non_form_errors()]
        for form in forms_:
            for name, errors in form.errors.items():
                if name == forms.forms.NON_FIELD_ERRORS or name not in form.fields:
                    found += [("", str(error)) for error in errors]
                else:
                    bound = form[name]
                    found += [(bound.id_for_label, f"{bound.label}: {error}") for error in errors]
    return found


def _added_row(request: HttpRequest, button: str, prefix: str) -> Any:
    """The POST data with one more row in `prefix` when the user pressed `button`, else None."""
    if request.method == "POST" and button in request.POST:
        return with_added_row(request.POST, prefix)
    return None


# --- Bodies ---------------------------------------------------------------------------------------


def body_list(request: HttpRequest) -> HttpResponse:
    form = BodyFilterForm(request.GET or None)
    bodies = selectors.body_list_for_user(user=request.user, kind=form.selected_kind())
    context = {
        "form": form,
        "page": paginate(request, bodies),
        "can_create": policies.can_create_body(request.user),
    }
    return render_page_or_fragment(request, "cooperation/body_list.html", context)


def body_detail(request: HttpRequest, pk: int) -> HttpResponse:
    body = selectors.body_get_for_user(user=request.user, body_id=pk)
    insider = policies.is_body_insider(request.user, body)
    context = {
        "body": body,
        "insider": insider,
        "can_manage": policies.can_manage_body(request.user, body),
        "can_record": policies.can_record_meeting(request.user, body),
        "members": selectors.member_list(body=body),
        "upcoming": selectors.meetings_upcoming(body=body),
        "past": selectors.meetings_past(body=body)[:20],
        "action_items": body.action_items.select_related("owner").order_by("due_on", "pk") if insider else [],
    }
    return render(request, "cooperation/body_detail.html", context)


def _body_form_page(request: HttpRequest, form: BodyForm, body: CooperationBody | None) -> HttpResponse:
    return render(request, "cooperation/body_form.html", {"form": form, "body": body})


@login_required
def body_create(request: HttpRequest) -> HttpResponse:
    if not policies.can_create_body(request.user):
        raise PermissionDenied
    owners = policies.organisations_for_cooperation(request.user)
    form = BodyForm(request.POST or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        try:
            body = services.body_create(data=form.to_data(), actor=request.user)
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, _("The body was created. Add its members next."))
            return redirect("cooperation:body_detail", pk=body.pk)
    return _body_form_page(request, form, None)


@login_required
def body_edit(request: HttpRequest, pk: int) -> HttpResponse:
    body = selectors.body_get_for_manager(user=request.user, body_id=pk)
    owners = policies.organisations_for_cooperation(request.user)
    form = BodyForm(request.POST or None, owners=owners, instance=body)
    if request.method == "POST" and form.is_valid():
        try:
            services.body_update(body=body, data=form.to_data(), actor=request.user)
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("cooperation:body_detail", pk=body.pk)
    return _body_form_page(request, form, body)


def body_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    body = selectors.body_get_for_user(user=request.user, body_id=pk)
    content = calendars.body_calendar(body, selectors.meetings_upcoming(body=body))
    response = HttpResponse(content, content_type=ICS_TYPE)
    response["Content-Disposition"] = f'inline; filename="body-{body.pk}.ics"'
    return response


# --- Members --------------------------------------------------------------------------------------


@login_required
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    body = selectors.body_get_for_manager(user=request.user, body_id=pk)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_add(body=body, data=form.to_data(), actor=request.user)
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, _("The member was added."))
            return redirect("cooperation:body_detail", pk=body.pk)
    return render(request, "cooperation/member_form.html", {"form": form, "body": body, "member": None})


@login_required
def member_edit(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    member = selectors.member_get_for_manager(user=request.user, body_id=pk, member_id=member_pk)
    form = MemberForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(member=member, data=form.to_data(), actor=request.user)
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("cooperation:body_detail", pk=pk)
    return render(
        request, "cooperation/member_form.html", {"form": form, "body": member.body, "member": member}
    )


@login_required
@require_POST
def member_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    member = selectors.member_get_for_manager(user=request.user, body_id=pk, member_id=member_pk)
    services.member_remove(member=member, actor=request.user)
    messages.success(request, _("The member and the person's details were removed."))
    return redirect("cooperation:body_detail", pk=pk)


@login_required
def member_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The body's seats with their persons as CSV, for the controller's data requests."""
    body = selectors.body_get_for_manager(user=request.user, body_id=pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="body-{body.pk}-members.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 correctly only with a byte-order mark
    writer = csv.writer(response)

    def cell(value: str) -> str:
        # A leading =, +, - or @ would make a spreadsheet evaluate the text as a formula.
        return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value

    writer.writerow(
        [_("Organisation"), _("Role"), _("Person's name"), _("Person's e-mail address"), _("User account")]
    )
    for member in selectors.member_list(body=body):
        email = member.user.email if member.user_id else member.person_email
        writer.writerow(
            [
                cell(member.organisation.display_name),
                member.get_role_display(),
                cell(member.person_display),
                cell(email),
                _("yes") if member.user_id else _("no"),
            ]
        )
    services.members_exported(body=body, actor=request.user)
    return response


# --- Meetings -------------------------------------------------------------------------------------


def _meeting_form_page(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    return render_page_or_fragment(request, "cooperation/meeting_form.html", context, fragment="agenda-rows")


@login_required
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    body = selectors.body_get_for_recorder(user=request.user, body_id=pk)
    grown = _added_row(request, "add_agenda_row", "agenda")
    form = MeetingForm(grown or request.POST or None)
    agenda = agenda_formset(grown or request.POST or None, None)
    if grown is not None:
        _quiet(form, agenda)
    elif request.method == "POST" and form.is_valid() and agenda.is_valid():
        try:
            meeting = services.meeting_create(
                body=body, data=form.to_data(), agenda=agenda_rows(agenda), actor=request.user
            )
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, _("The meeting was added. Members can now load the invitation."))
            return redirect("cooperation:meeting_detail", pk=meeting.pk)
    context = {
        "form": form,
        "agenda": agenda,
        "body": body,
        "meeting": None,
        "error_items": _error_items(form, agenda),
    }
    return _meeting_form_page(request, context)


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_recorder(user=request.user, meeting_id=pk)
    grown = _added_row(request, "add_agenda_row", "agenda")
    form = MeetingForm(grown or request.POST or None, instance=meeting)
    agenda = agenda_formset(grown or request.POST or None, meeting)
    if grown is not None:
        _quiet(form, agenda)
    elif request.method == "POST" and form.is_valid() and agenda.is_valid():
        try:
            services.meeting_update(
                meeting=meeting, data=form.to_data(), agenda=agenda_rows(agenda), actor=request.user
            )
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("cooperation:meeting_detail", pk=meeting.pk)
    return _meeting_form_page(
        request, {"form": form, "agenda": agenda, "body": meeting.body, "meeting": meeting}
    )


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, meeting_id=pk)
    papers = policies.can_view_meeting_papers(request.user, meeting)
    can_record = policies.can_record_meeting(request.user, meeting.body)
    attendance = selectors.attendance_of(meeting=meeting) if papers else {}
    members = list(selectors.member_list(body=meeting.body)) if papers else []
    context = {
        "meeting": meeting,
        "body": meeting.body,
        "papers": papers,
        "minutes_visible": policies.can_view_minutes(request.user, meeting),
        "can_record": can_record,
        "attendance": [(member, attendance.get(member.pk)) for member in members],
        "file_form": FileForm() if can_record else None,
    }
    return render(request, "cooperation/meeting_detail.html", context)


@login_required
def meeting_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Attendance, minutes, decisions and new action items in one form."""
    meeting = selectors.meeting_get_for_recorder(user=request.user, meeting_id=pk)
    members = list(selectors.member_list(body=meeting.body))
    grown = _added_row(request, "add_action_row", "actions")
    data = grown or request.POST or None
    form = RecordForm(
        data, meeting=meeting, members=members, attendance=selectors.attendance_of(meeting=meeting)
    )
    actions = action_item_formset(data, meeting.body)
    if grown is not None:
        _quiet(form, actions)
    elif request.method == "POST" and form.is_valid() and actions.is_valid():
        try:
            services.meeting_record(
                meeting=meeting,
                attendance=form.attendance(),
                minutes=form.cleaned_data["minutes"],
                decisions=form.decisions(),
                action_items=action_item_rows(actions),
                actor=request.user,
            )
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, _("The meeting was recorded."))
            return redirect("cooperation:meeting_detail", pk=meeting.pk)
    context = {
        "form": form,
        "actions": actions,
        "meeting": meeting,
        "body": meeting.body,
        "error_items": _error_items(form, actions),
    }
    return render_page_or_fragment(
        request, "cooperation/meeting_record.html", context, fragment="action-rows"
    )


def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, meeting_id=pk)
    content = calendars.meeting_invitation(
        meeting, with_papers=policies.can_view_meeting_papers(request.user, meeting)
    )
    response = HttpResponse(content, content_type=ICS_TYPE)
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


@login_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_recorder(user=request.user, meeting_id=pk)
    form = FileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                meeting=meeting,
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
                actor=request.user,
            )
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, _("The attachment was added."))
            return redirect("cooperation:meeting_detail", pk=meeting.pk)
    for error in form.errors.get("file", []) + form.non_field_errors():
        messages.error(request, error)
    return redirect("cooperation:meeting_detail", pk=meeting.pk)


def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = selectors.attachment_get_for_user(user=request.user, attachment_id=pk)
    return _file_response(attachment.file, attachment.content_type)


@login_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = selectors.attachment_get_for_user(user=request.user, attachment_id=pk)
    meeting = attachment.meeting
    if not policies.can_record_meeting(request.user, meeting.body):
        raise Http404
    services.attachment_delete(attachment=attachment, actor=request.user)
    messages.success(request, _("The attachment was removed."))
    return redirect("cooperation:meeting_detail", pk=meeting.pk)


def _file_response(file: Any, content_type: str) -> FileResponse:
    name = file.name.rsplit("/", 1)[-1]
    response = FileResponse(file.open("rb"), as_attachment=True, filename=name, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response


# --- Action items ---------------------------------------------------------------------------------


@login_required
def action_items(request: HttpRequest) -> HttpResponse:
    """The action items of the user's organisations and of the bodies they run."""
    if not policies.can_view_action_items(request.user):
        raise PermissionDenied
    form = ActionItemFilterForm(request.GET or None)
    items = selectors.action_item_list_for_user(user=request.user, status=form.selected_status())
    page = paginate(request, items)
    context = {
        "form": form,
        "page": page,
        "editable": {item.pk for item in page if policies.can_update_action_item(request.user, item)},
        "status_form": ActionItemStatusForm(),
        "today": selectors.today(),
    }
    return render_page_or_fragment(request, "cooperation/action_items.html", context)


def _action_item_form_page(request: HttpRequest, form: ActionItemForm, body: Any, item: Any) -> HttpResponse:
    return render(request, "cooperation/action_item_form.html", {"form": form, "body": body, "item": item})


@login_required
def action_item_create(request: HttpRequest, pk: int) -> HttpResponse:
    """An action item agreed outside a meeting."""
    body = selectors.body_get_for_recorder(user=request.user, body_id=pk)
    form = ActionItemForm(request.POST or None, body=body)
    if request.method == "POST" and form.is_valid():
        services.action_item_create(body=body, data=form.to_data(), actor=request.user)
        messages.success(request, _("The action item was added."))
        return redirect("cooperation:body_detail", pk=body.pk)
    return _action_item_form_page(request, form, body, None)


@login_required
def action_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.action_item_get_for_recorder(user=request.user, item_id=pk)
    form = ActionItemForm(request.POST or None, body=item.body, instance=item)
    if request.method == "POST" and form.is_valid():
        services.action_item_update(item=item, data=form.to_data(), actor=request.user)
        messages.success(request, _("The changes were saved."))
        return redirect("cooperation:body_detail", pk=item.body_id)
    return _action_item_form_page(request, form, item.body, item)


@login_required
@require_POST
def action_item_status(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.action_item_get_for_updater(user=request.user, item_id=pk)
    form = ActionItemStatusForm(request.POST)
    if form.is_valid():
        services.action_item_set_status(item=item, status=form.cleaned_data["status"], actor=request.user)
        messages.success(request, _("The status was updated."))
    else:
        messages.error(request, _("Choose a status from the list."))
    return redirect("cooperation:action_items")


# --- Agreements -----------------------------------------------------------------------------------


def agreement_list(request: HttpRequest) -> HttpResponse:
    form = AgreementFilterForm(request.GET or None)
    agreements = selectors.agreement_list_for_user(user=request.user, kind=form.selected_kind())
    context = {
        "form": form,
        "page": paginate(request, agreements),
        "can_create": policies.can_create_agreement(request.user),
    }
    return render_page_or_fragment(request, "cooperation/agreement_list.html", context)


def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get_for_user(user=request.user, agreement_id=pk)
    can_manage = policies.can_manage_agreement(request.user, agreement)
    context = {
        "agreement": agreement,
        "insider": policies.is_agreement_insider(request.user, agreement),
        "can_manage": can_manage,
        "review_due_soon": can_manage and selectors.agreement_review_due_soon(agreement=agreement),
        "file_form": FileForm() if can_manage else None,
        "review_form": ReviewForm(initial={"reviewed_on": selectors.today()}) if can_manage else None,
    }
    return render(request, "cooperation/agreement_detail.html", context)


def _agreement_form(request: HttpRequest, agreement: Any) -> HttpResponse:
    owners = policies.organisations_for_cooperation(request.user)
    adding_quota = "add_quota_row" in request.POST
    grown = _added_row(request, "add_quota_row", "quotas") if adding_quota else None
    grown = grown or _added_row(request, "add_party_row", "parties")
    data = grown or request.POST or None
    form = AgreementForm(data, owners=owners, instance=agreement)
    parties, quotas = party_formset(data, agreement), quota_formset(data, agreement)
    if grown is not None:
        _quiet(form, parties, quotas)
    elif request.method == "POST" and form.is_valid() and parties.is_valid() and quotas.is_valid():
        try:
            if agreement is None:
                agreement = services.agreement_create(
                    data=agreement_data(form, parties, quotas), actor=request.user
                )
            else:
                services.agreement_update(
                    agreement=agreement, data=agreement_data(form, parties, quotas), actor=request.user
                )
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, _("The agreement was saved."))
            return redirect("cooperation:agreement_detail", pk=agreement.pk)
    fragment = "quota-rows" if adding_quota else "party-rows"
    context = {
        "form": form,
        "parties": parties,
        "quotas": quotas,
        "agreement": agreement,
        "error_items": _error_items(form, parties, quotas),
    }
    return render_page_or_fragment(request, "cooperation/agreement_form.html", context, fragment=fragment)


@login_required
def agreement_create(request: HttpRequest) -> HttpResponse:
    if not policies.can_create_agreement(request.user):
        raise PermissionDenied
    return _agreement_form(request, None)


@login_required
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get_for_manager(user=request.user, agreement_id=pk)
    return _agreement_form(request, agreement)


@login_required
@require_POST
def agreement_review(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get_for_manager(user=request.user, agreement_id=pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date of the review."))
        return redirect("cooperation:agreement_detail", pk=pk)
    try:
        services.agreement_review_record(
            agreement=agreement, reviewed_on=form.cleaned_data["reviewed_on"], actor=request.user
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The review was recorded and the next review date set."))
    return redirect("cooperation:agreement_detail", pk=pk)


@login_required
@require_POST
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get_for_manager(user=request.user, agreement_id=pk)
    form = FileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_add(
                agreement=agreement,
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
                actor=request.user,
            )
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, _("The document was added."))
            return redirect("cooperation:agreement_detail", pk=pk)
    for error in form.errors.get("file", []) + form.non_field_errors():
        messages.error(request, error)
    return redirect("cooperation:agreement_detail", pk=pk)


def document_download(request: HttpRequest, pk: int) -> FileResponse:
    document = selectors.document_get_for_user(user=request.user, document_id=pk)
    return _file_response(document.file, document.content_type)


@login_required
@require_POST
def document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_get_for_user(user=request.user, document_id=pk)
    agreement = document.agreement
    if not policies.can_manage_agreement(request.user, agreement):
        raise Http404
    services.document_delete(document=document, actor=request.user)
    messages.success(request, _("The document was removed."))
    return redirect("cooperation:agreement_detail", pk=agreement.pk)
