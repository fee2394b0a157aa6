from django.utils.translation import gettext_lazy as _

from kotoverkko.core.errors import ErrorCode


class AccountErrorCode(ErrorCode):
    NOT_ALLOWED = "not_allowed", _("You do not have permission to do this.")
    ALREADY_MEMBER = "already_member", _("This person is already a member of the organisation.")
    ALREADY_INVITED = (
        "already_invited",
        _("This person already has a pending invitation to the organisation."),
    )
    ROLE_NOT_GRANTABLE = "role_not_grantable", _("You cannot give this role.")
    ROLE_NEEDS_MUNICIPALITY = (
        "role_needs_municipality",
        _("The coordinator role can only be given in a municipality's own organisation."),
    )
    INVITATION_INVALID = (
        "invitation_invalid",
        _("The invitation link is not valid. Ask for a new invitation."),
    )
    INVITATION_EXPIRED = (
        "invitation_expired",
        _("The invitation link has expired. Ask the organisation's administrator for a new invitation."),
    )
    INVITATION_USED = "invitation_used", _("This invitation has already been used or withdrawn.")
    INVITATION_OTHER_ACCOUNT = (
        "invitation_other_account",
        _("This invitation was sent to another e-mail address. Sign out and open the link again."),
    )
    EMAIL_TAKEN = "email_taken", _("An account with this e-mail address already exists. Sign in to accept.")
    LAST_ADMIN = "last_admin", _("The organisation must keep at least one administrator.")
