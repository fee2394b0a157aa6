"""Write use-cases of the cooperation area. Keyword-only, atomic, the policy re-checked, every
change in the audit trail (no person's name or e-mail: member seats are "member #id")."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from kotoverkko.accounts import selectors as account_selectors
from kotoverkko.core import audit, i18n
from kotoverkko.core.errors import ApplicationError, ErrorCode, PermissionDeniedError
from kotoverkko.organisations import policies as organisation_policies
from kotoverkko.organisations.models import Organisation
from kotoverkko.reference.models import Municipality

from . import files, policies, selectors
from .enums import ActionItemStatus, AgreementKind, MeetingStatus
from .models import (
    ActionItem,
    AgendaItem,
    Agreement,
    AgreementDocument,
    AgreementParty,
    BodyMember,
    CooperationBody,
    Meeting,
    MeetingAttachment,
    MeetingAttendance,
    PlacementQuota,
)


class CooperationErrorCode(ErrorCode):
    NOT_ALLOWED = "not_allowed", _("You do not have permission to do this.")
    NAME_REQUIRED = "name_required", _("Give the name in at least one language.")
    TERM_ORDER = "term_order", _("The term cannot end before it starts.")
    VALIDITY_ORDER = "validity_order", _("The agreement cannot end before it starts.")
    MEETING_TIMES = "meeting_times", _("The meeting must end after it starts.")
    PERSON_TWICE = (
        "person_twice",
        _("Choose a user account or write the name and e-mail address, not both."),
    )
    FILE_TOO_LARGE = "file_too_large", _("The file is too large: the limit is %(megabytes)s MB.")
    FILE_TYPE = (
        "file_type",
        _("Upload a PDF, Word, Excel, PowerPoint, OpenDocument, text, CSV, PNG or JPEG file."),
    )
    PARTY_REQUIRED = "party_required", _("Add at least one party to the agreement.")
    PARTY_TWICE = "party_twice", _("Each organisation can be a party only once.")
    YEAR_TWICE = "year_twice", _("Give the places of each year only once.")
    CONSULTED_ON_WITHOUT_CONSULTATION = (
        "consulted_on_without_consultation",
        _("Tick that the county was consulted, or clear the date."),
    )
    NO_REVIEW_DATE = "no_review_date", _("The agreement has no review date.")
    OWNER_NOT_IN_BODY = (
        "owner_not_in_body",
        _("The responsible organisation must be the body's own organisation or one of its members."),
    )


def _fail(code: CooperationErrorCode, field_name: str | None = None) -> ApplicationError:
    return ApplicationError.from_code(code, field=field_name)


def _require(*, allowed: bool) -> None:
    if not allowed:
        raise PermissionDeniedError(
            CooperationErrorCode.NOT_ALLOWED.value, CooperationErrorCode.NOT_ALLOWED.label
        )


def _record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    owner: Organisation,
    changes: dict | None = None,
    repr_: str | None = None,
) -> None:
    audit.record(
        actor=actor,
        action=f"cooperation.{action}",
        obj=obj,
        organisation_id=owner.pk,
        municipality_code=owner.home_municipality_id or "",
        changes=changes,
        object_repr=repr_,
    )


def _multilingual(value: dict[str, str], field_name: str) -> dict[str, str]:
    try:
        return i18n.clean_multilingual(value)
    except ValueError as error:
        raise ApplicationError(
            "invalid_language_code",
            _("Use a two- or three-letter language code, e.g. ar or ckb."),
            fields={field_name: [str(_("Use a two- or three-letter language code, e.g. ar or ckb."))]},
        ) from error


# --- Bodies ---------------------------------------------------------------------------------------

BODY_FIELDS = [
    "name",
    "kind",
    "description",
    "owner",
    "municipalities",
    "term_starts_on",
    "term_ends_on",
    "is_public",
    "minutes_public",
]


@dataclass
class BodyData:
    name: dict[str, str]
    kind: str
    owner: Organisation
    description: dict[str, str] = field(default_factory=dict)
    municipalities: list[Municipality] = field(default_factory=list)
    term_starts_on: datetime.date | None = None
    term_ends_on: datetime.date | None = None
    is_public: bool = True
    minutes_public: bool = False


def _apply_body(body: CooperationBody, data: BodyData) -> None:
    name = _multilingual(data.name, "name")
    if not name:
        raise _fail(CooperationErrorCode.NAME_REQUIRED, "name")
    if data.term_starts_on and data.term_ends_on and data.term_ends_on < data.term_starts_on:
        raise _fail(CooperationErrorCode.TERM_ORDER, "term_ends_on")
    body.name = name
    body.description = _multilingual(data.description, "description")
    body.kind = data.kind
    body.owner = data.owner
    body.term_starts_on, body.term_ends_on = data.term_starts_on, data.term_ends_on
    body.is_public, body.minutes_public = data.is_public, data.minutes_public
    body.full_clean()
    body.save()
    body.municipalities.set(data.municipalities)


@transaction.atomic
def body_create(*, data: BodyData, actor: Any) -> CooperationBody:
    """Set up a body run by `data.owner`. Raises NOT_ALLOWED, NAME_REQUIRED, TERM_ORDER."""
    _require(allowed=policies.can_manage_body(actor, CooperationBody(owner=data.owner)))
    body = CooperationBody()
    _apply_body(body, data)
    _record(actor=actor, action="body_created", obj=body, owner=body.owner)
    return body


@transaction.atomic
def body_update(*, body: CooperationBody, data: BodyData, actor: Any) -> CooperationBody:
    """Change a body; moving it to another owner needs the right there too."""
    _require(allowed=policies.can_manage_body(actor, body))
    _require(allowed=policies.can_manage_body(actor, CooperationBody(owner=data.owner)))
    before = audit.snapshot(body, BODY_FIELDS)
    _apply_body(body, data)
    changes = audit.changes_between(before, audit.snapshot(body, BODY_FIELDS))
    if changes:
        _record(actor=actor, action="body_updated", obj=body, owner=body.owner, changes=changes)
    return body


# --- Members --------------------------------------------------------------------------------------

MEMBER_FIELDS = ["organisation", "role", "user", "person_name", "person_email"]
MEMBER_PERSONAL = ["user", "person_name", "person_email"]


@dataclass
class MemberData:
    organisation: Organisation
    role: str
    user: Any = None
    person_name: str = ""
    person_email: str = ""


def _member_repr(member: BodyMember) -> str:
    return f"member #{member.pk}"


def _staff_account(email: str, organisation: Organisation) -> Any:
    """The active account with this e-mail address in the seat's organisation (or above or below it)."""
    if not email or not account_selectors.account_exists(email=email):
        return None
    user = account_selectors.user_by_email(email=email)
    related = set(organisation.lineage_ids()) | organisation_policies.with_units({organisation.pk})
    in_organisation = any(
        m.organisation_id in related for m in account_selectors.memberships_of_user(user=user)
    )
    return user if user.is_active and in_organisation else None


def _apply_member(member: BodyMember, data: MemberData) -> None:
    if data.user is not None and (data.person_name.strip() or data.person_email.strip()):
        raise _fail(CooperationErrorCode.PERSON_TWICE, "user")
    if data.user is None:
        # Link the seat to the staff account where there is one: the person's data then lives in
        # one place, and the account's own data export and deletion cover it.
        account = _staff_account(data.person_email.strip(), data.organisation)
        if account is not None:
            data = MemberData(organisation=data.organisation, role=data.role, user=account)
    member.organisation, member.role, member.user = data.organisation, data.role, data.user
    member.person_name, member.person_email = data.person_name.strip(), data.person_email.strip().lower()
    member.full_clean()
    member.save()


@transaction.atomic
def member_add(*, body: CooperationBody, data: MemberData, actor: Any) -> BodyMember:
    """Give an organisation (and optionally a person) a seat. Raises NOT_ALLOWED, PERSON_TWICE."""
    _require(allowed=policies.can_manage_body(actor, body))
    member = BodyMember(body=body)
    _apply_member(member, data)
    changes = audit.changes_between({}, audit.snapshot(member, MEMBER_FIELDS), personal=MEMBER_PERSONAL)
    _record(
        actor=actor,
        action="member_added",
        obj=member,
        owner=body.owner,
        changes=changes,
        repr_=_member_repr(member),
    )
    return member


@transaction.atomic
def member_update(*, member: BodyMember, data: MemberData, actor: Any) -> BodyMember:
    _require(allowed=policies.can_manage_body(actor, member.body))
    before = audit.snapshot(member, MEMBER_FIELDS)
    _apply_member(member, data)
    changes = audit.changes_between(before, audit.snapshot(member, MEMBER_FIELDS), personal=MEMBER_PERSONAL)
    if changes:
        _record(
            actor=actor,
            action="member_updated",
            obj=member,
            owner=member.body.owner,
            changes=changes,
            repr_=_member_repr(member),
        )
    return member


@transaction.atomic
def member_remove(*, member: BodyMember, actor: Any) -> None:
    """Remove the seat and with it the person's data (attendance records of the seat go too)."""
    body = member.body
    _require(allowed=policies.can_manage_body(actor, body))
    _record(actor=actor, action="member_removed", obj=member, owner=body.owner, repr_=_member_repr(member))
    member.delete()


def members_exported(*, body: CooperationBody, actor: Any) -> None:
    """Record that the seats' personal data was exported. Raises NOT_ALLOWED."""
    _require(allowed=policies.can_manage_body(actor, body))
    _record(actor=actor, action="members_exported", obj=body, owner=body.owner)


# --- Meetings -------------------------------------------------------------------------------------

MEETING_FIELDS = ["title", "starts_at", "ends_at", "place", "online_url", "status"]


@dataclass
class MeetingData:
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    title: str = ""
    place: str = ""
    online_url: str = ""
    status: str = MeetingStatus.PLANNED


@dataclass
class AgendaRow:
    title: str
    description: str = ""
    item_id: int | None = None


def _apply_meeting(meeting: Meeting, data: MeetingData) -> None:
    if data.ends_at <= data.starts_at:
        raise _fail(CooperationErrorCode.MEETING_TIMES, "ends_at")
    for name in MEETING_FIELDS:
        setattr(meeting, name, getattr(data, name))
    meeting.full_clean()
    meeting.save()


def _apply_agenda(meeting: Meeting, rows: list[AgendaRow]) -> bool:
    """Make the agenda match `rows` in order; returns whether anything changed."""
    existing = {item.pk: item for item in meeting.agenda_items.all()}
    kept: set[int] = set()
    changed = False
    for position, row in enumerate(rows, start=1):
        item = existing.get(row.item_id) if row.item_id else None
        if item is None:
            item = AgendaItem(meeting=meeting)
            changed = True
        else:
            kept.add(item.pk)
            changed |= (item.position, item.title, item.description) != (position, row.title, row.description)
        item.position, item.title, item.description = position, row.title.strip(), row.description.strip()
        item.full_clean()
        item.save()
    removed = [pk for pk in existing if pk not in kept]
    if removed:
        AgendaItem.objects.filter(pk__in=removed).delete()
        changed = True
    return changed


@transaction.atomic
def meeting_create(
    *, body: CooperationBody, data: MeetingData, agenda: list[AgendaRow], actor: Any
) -> Meeting:
    """Schedule a meeting with its agenda. Raises NOT_ALLOWED, MEETING_TIMES."""
    _require(allowed=policies.can_record_meeting(actor, body))
    meeting = Meeting(body=body)
    _apply_meeting(meeting, data)
    _apply_agenda(meeting, agenda)
    _record(actor=actor, action="meeting_created", obj=meeting, owner=body.owner)
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, data: MeetingData, agenda: list[AgendaRow], actor: Any) -> Meeting:
    """Change the time, place or agenda; a new time or place makes calendars update the invitation."""
    _require(allowed=policies.can_record_meeting(actor, meeting.body))
    before = audit.snapshot(meeting, MEETING_FIELDS)
    _apply_meeting(meeting, data)
    changes = audit.changes_between(before, audit.snapshot(meeting, MEETING_FIELDS))
    if _apply_agenda(meeting, agenda):
        changes["agenda"] = {"from": None, "to": len(agenda)}
    if changes:
        Meeting.objects.filter(pk=meeting.pk).update(ics_sequence=models.F("ics_sequence") + 1)
        meeting.refresh_from_db(fields=["ics_sequence"])
        _record(actor=actor, action="meeting_updated", obj=meeting, owner=meeting.body.owner, changes=changes)
    return meeting


@dataclass
class ActionItemData:
    title: str
    owner: Organisation
    due_on: datetime.date
    description: str = ""
    status: str = ActionItemStatus.OPEN


@transaction.atomic
def meeting_record(
    *,
    meeting: Meeting,
    attendance: dict[int, str],
    minutes: str,
    decisions: dict[int, str],
    action_items: list[ActionItemData],
    actor: Any,
) -> Meeting:
    """Record a held meeting: attendance per seat, minutes, decisions per agenda item and new
    action items, all at once. Raises NOT_ALLOWED."""
    body = meeting.body
    _require(allowed=policies.can_record_meeting(actor, body))
    seats = set(body.members.values_list("pk", flat=True))
    MeetingAttendance.objects.filter(meeting=meeting).exclude(member_id__in=attendance).delete()
    for member_id, status in attendance.items():
        if member_id in seats:
            MeetingAttendance.objects.update_or_create(
                meeting=meeting, member_id=member_id, defaults={"status": status}
            )
    for item in meeting.agenda_items.all():
        decision = decisions.get(item.pk, item.decision).strip()
        if decision != item.decision:
            item.decision = decision
            item.save(update_fields=["decision", "updated_at"])
    meeting.minutes = minutes.strip()
    meeting.status = MeetingStatus.HELD
    meeting.save(update_fields=["minutes", "status", "updated_at"])
    _record(
        actor=actor,
        action="meeting_recorded",
        obj=meeting,
        owner=body.owner,
        changes={"attendance": len(attendance), "decisions": sum(1 for d in decisions.values() if d.strip())},
    )
    for data in action_items:
        _action_item_create(body=body, meeting=meeting, data=data, actor=actor)
    return meeting


# --- Attachments and documents ---------------------------------------------------------------------


def _checked_content_type(file: UploadedFile) -> str:
    try:
        return files.file_content_type(file)
    except files.FileRefused as refused:
        if refused.reason == "too_large":
            message = CooperationErrorCode.FILE_TOO_LARGE.label % {
                "megabytes": files.max_file_bytes() // (1024 * 1024)
            }
            raise ApplicationError(
                CooperationErrorCode.FILE_TOO_LARGE.value, message, fields={"file": [message]}
            ) from refused
        raise _fail(CooperationErrorCode.FILE_TYPE, "file") from refused


@transaction.atomic
def attachment_add(*, meeting: Meeting, title: str, file: UploadedFile, actor: Any) -> MeetingAttachment:
    """Attach a paper to a meeting. Raises NOT_ALLOWED, FILE_TOO_LARGE, FILE_TYPE."""
    _require(allowed=policies.can_record_meeting(actor, meeting.body))
    content_type = _checked_content_type(file)
    attachment = MeetingAttachment(
        meeting=meeting,
        title=title.strip() or file.name,
        file=file,
        content_type=content_type,
        size=file.size,
    )
    attachment.save()
    _record(actor=actor, action="attachment_added", obj=attachment, owner=meeting.body.owner)
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: MeetingAttachment, actor: Any) -> None:
    meeting = attachment.meeting
    _require(allowed=policies.can_record_meeting(actor, meeting.body))
    _record(actor=actor, action="attachment_deleted", obj=attachment, owner=meeting.body.owner)
    name = attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def document_add(*, agreement: Agreement, title: str, file: UploadedFile, actor: Any) -> AgreementDocument:
    """Attach a document to an agreement. Raises NOT_ALLOWED, FILE_TOO_LARGE, FILE_TYPE."""
    _require(allowed=policies.can_manage_agreement(actor, agreement))
    content_type = _checked_content_type(file)
    document = AgreementDocument(
        agreement=agreement,
        title=title.strip() or file.name,
        file=file,
        content_type=content_type,
        size=file.size,
    )
    document.save()
    _record(actor=actor, action="document_added", obj=document, owner=agreement.owner)
    return document


@transaction.atomic
def document_delete(*, document: AgreementDocument, actor: Any) -> None:
    agreement = document.agreement
    _require(allowed=policies.can_manage_agreement(actor, agreement))
    _record(actor=actor, action="document_deleted", obj=document, owner=agreement.owner)
    name = document.file.name
    storage = document.file.storage
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))


# --- Action items ---------------------------------------------------------------------------------


def _action_repr(item: ActionItem) -> str:
    return f"action item #{item.pk}"


def _check_action_owner(body: CooperationBody, owner: Organisation) -> None:
    # The form offers only these; the rule holds for every caller, not just the form.
    if not selectors.body_organisations(body).filter(pk=owner.pk).exists():
        raise _fail(CooperationErrorCode.OWNER_NOT_IN_BODY, "owner")


def _action_item_create(
    *, body: CooperationBody, meeting: Meeting | None, data: ActionItemData, actor: Any
) -> ActionItem:
    _check_action_owner(body, data.owner)
    item = ActionItem(
        body=body,
        meeting=meeting,
        title=data.title.strip(),
        description=data.description.strip(),
        owner=data.owner,
        due_on=data.due_on,
        status=data.status,
    )
    item.full_clean()
    item.save()
    _record(
        actor=actor,
        action="action_item_created",
        obj=item,
        owner=body.owner,
        changes={"owner": data.owner.pk, "due_on": data.due_on.isoformat()},
        repr_=_action_repr(item),
    )
    return item


@transaction.atomic
def action_item_create(
    *, body: CooperationBody, data: ActionItemData, actor: Any, meeting: Meeting | None = None
) -> ActionItem:
    """Add an action item to a body (optionally agreed in a meeting). Raises NOT_ALLOWED."""
    _require(allowed=policies.can_record_meeting(actor, body))
    return _action_item_create(body=body, meeting=meeting, data=data, actor=actor)


ACTION_ITEM_FIELDS = ["title", "description", "owner", "due_on", "status"]


@transaction.atomic
def action_item_update(*, item: ActionItem, data: ActionItemData, actor: Any) -> ActionItem:
    """Change an action item; a new due date makes its reminders due again. Raises NOT_ALLOWED."""
    _require(allowed=policies.can_record_meeting(actor, item.body))
    _check_action_owner(item.body, data.owner)
    before = audit.snapshot(item, ACTION_ITEM_FIELDS)
    item.title, item.description = data.title.strip(), data.description.strip()
    item.owner, item.due_on, item.status = data.owner, data.due_on, data.status
    item.full_clean()
    item.save()
    changes = audit.changes_between(before, audit.snapshot(item, ACTION_ITEM_FIELDS))
    if changes:
        _record(
            actor=actor,
            action="action_item_updated",
            obj=item,
            owner=item.body.owner,
            changes={key: value for key, value in changes.items() if key not in ("title", "description")},
            repr_=_action_repr(item),
        )
    return item


@transaction.atomic
def action_item_set_status(*, item: ActionItem, status: str, actor: Any) -> ActionItem:
    """Move an action item to `status`. Raises NOT_ALLOWED."""
    _require(allowed=policies.can_update_action_item(actor, item))
    if status not in ActionItemStatus.values:
        raise ApplicationError(
            "invalid_status",
            _("Choose a status from the list."),
            fields={"status": [_("Choose a status from the list.")]},
        )
    if status != item.status:
        changes = {"status": {"from": item.status, "to": status}}
        item.status = status
        item.save(update_fields=["status", "updated_at"])
        _record(
            actor=actor,
            action="action_item_status_changed",
            obj=item,
            owner=item.owner,
            changes=changes,
            repr_=_action_repr(item),
        )
    return item


# --- Agreements -----------------------------------------------------------------------------------

AGREEMENT_FIELDS = [
    "kind",
    "title",
    "summary",
    "owner",
    "status",
    "valid_from",
    "valid_until",
    "review_on",
    "county_consulted",
    "county_consulted_on",
    "is_public",
]


@dataclass
class PartyData:
    organisation: Organisation
    role: str = ""
    responsibilities: str = ""


@dataclass
class AgreementData:
    kind: str
    title: dict[str, str]
    owner: Organisation
    summary: dict[str, str] = field(default_factory=dict)
    status: str = "in_force"
    valid_from: datetime.date | None = None
    valid_until: datetime.date | None = None
    review_on: datetime.date | None = None
    county_consulted: bool = False
    county_consulted_on: datetime.date | None = None
    is_public: bool = False
    parties: list[PartyData] = field(default_factory=list)
    places_per_year: dict[int, int] = field(default_factory=dict)


def _apply_agreement(agreement: Agreement, data: AgreementData) -> None:
    title = _multilingual(data.title, "title")
    if not title:
        raise _fail(CooperationErrorCode.NAME_REQUIRED, "title")
    if data.valid_from and data.valid_until and data.valid_until < data.valid_from:
        raise _fail(CooperationErrorCode.VALIDITY_ORDER, "valid_until")
    if data.county_consulted_on and not data.county_consulted:
        raise _fail(CooperationErrorCode.CONSULTED_ON_WITHOUT_CONSULTATION, "county_consulted")
    if not data.parties:
        raise _fail(CooperationErrorCode.PARTY_REQUIRED, "parties")
    organisations = [party.organisation.pk for party in data.parties]
    if len(set(organisations)) != len(organisations):
        raise _fail(CooperationErrorCode.PARTY_TWICE, "parties")
    for name in AGREEMENT_FIELDS:
        if name not in ("title", "summary"):
            setattr(agreement, name, getattr(data, name))
    agreement.title, agreement.summary = title, _multilingual(data.summary, "summary")
    agreement.full_clean()
    agreement.save()
    agreement.parties.all().delete()
    for party in data.parties:
        AgreementParty.objects.create(
            agreement=agreement,
            organisation=party.organisation,
            role=party.role.strip(),
            responsibilities=party.responsibilities.strip(),
        )
    agreement.quotas.all().delete()
    if agreement.kind == AgreementKind.PLACEMENT:
        for year, places in sorted(data.places_per_year.items()):
            PlacementQuota.objects.create(agreement=agreement, year=year, places=places)


def _agreement_state(agreement: Agreement) -> dict[str, Any]:
    state = audit.snapshot(agreement, AGREEMENT_FIELDS)
    state["parties"] = sorted(
        [p.organisation_id, p.role, p.responsibilities] for p in agreement.parties.all()
    )
    state["places_per_year"] = {str(q.year): q.places for q in agreement.quotas.all()}
    return state


@transaction.atomic
def agreement_create(*, data: AgreementData, actor: Any) -> Agreement:
    """Record an agreement kept by `data.owner`. Raises NOT_ALLOWED, NAME_REQUIRED, VALIDITY_ORDER,
    PARTY_REQUIRED, PARTY_TWICE, CONSULTED_ON_WITHOUT_CONSULTATION."""
    _require(allowed=policies.can_manage_agreement(actor, Agreement(owner=data.owner)))
    agreement = Agreement()
    _apply_agreement(agreement, data)
    _record(
        actor=actor,
        action="agreement_created",
        obj=agreement,
        owner=agreement.owner,
        changes=audit.changes_between({}, _agreement_state(agreement)),
    )
    return agreement


@transaction.atomic
def agreement_update(*, agreement: Agreement, data: AgreementData, actor: Any) -> Agreement:
    _require(allowed=policies.can_manage_agreement(actor, agreement))
    _require(allowed=policies.can_manage_agreement(actor, Agreement(owner=data.owner)))
    before = _agreement_state(agreement)
    _apply_agreement(agreement, data)
    changes = audit.changes_between(before, _agreement_state(agreement))
    if changes:
        _record(
            actor=actor, action="agreement_updated", obj=agreement, owner=agreement.owner, changes=changes
        )
    return agreement


@transaction.atomic
def agreement_review_record(*, agreement: Agreement, reviewed_on: datetime.date, actor: Any) -> Agreement:
    """Mark the yearly review done: the next review falls a year after the one just made.
    Raises NOT_ALLOWED, NO_REVIEW_DATE."""
    _require(allowed=policies.can_manage_agreement(actor, agreement))
    if agreement.review_on is None:
        raise _fail(CooperationErrorCode.NO_REVIEW_DATE)
    before = audit.snapshot(agreement, ["review_on", "last_reviewed_on"])
    agreement.last_reviewed_on = reviewed_on
    agreement.review_on = agreement.review_on + relativedelta(years=1)
    while agreement.review_on <= reviewed_on:
        agreement.review_on += relativedelta(years=1)
    agreement.save(update_fields=["last_reviewed_on", "review_on", "updated_at"])
    changes = audit.changes_between(before, audit.snapshot(agreement, ["review_on", "last_reviewed_on"]))
    _record(actor=actor, action="agreement_reviewed", obj=agreement, owner=agreement.owner, changes=changes)
    return agreement
