"""Error codes of the planning app."""

from django.utils.translation import gettext_lazy as _

from kotoverkko.core.errors import ErrorCode


class PlanningErrorCode(ErrorCode):
    NOT_ALLOWED = "planning_not_allowed", _("You may not do this.")
    INVALID_TRANSITION = "planning_invalid_transition", _("The programme cannot move to that status now.")
    ADOPTION_DETAILS_MISSING = (
        "planning_adoption_details_missing",
        _("Give the body, the date and the minute section of the decision."),
    )
    CONTENT_LOCKED = (
        "planning_content_locked",
        _("An adopted programme cannot be changed. Start a revision instead."),
    )
    NOT_REVISABLE = "planning_not_revisable", _("Only an adopted programme can be revised.")
    REVISION_EXISTS = "planning_revision_exists", _("A revision of this programme is already being prepared.")
    ROUND_CLOSED = "planning_round_closed", _("This monitoring round has been compiled and is closed.")
    NOT_MONITORABLE = "planning_not_monitorable", _("Monitoring rounds are for adopted programmes only.")
    NOT_MUNICIPALITY = "planning_not_municipality", _("The responsible party must be a municipality.")
    INVALID_PERIOD = "planning_invalid_period", _("The last year cannot be before the first year.")
    INVALID_DEFINITION = (
        "planning_invalid_definition",
        _("The definition of the computed indicator is not valid."),
    )
    MANUAL_ONLY = "planning_manual_only", _("Values of a computed indicator come from its data source.")
