"""Listing search filters of the API and the exports: the public search's own form, read strictly.

The search page leaves out values it does not understand (a shared link must never break); an API
client is told instead, with a 400 naming the parameters.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace

from django.http import QueryDict
from django.utils.translation import gettext as _

from kotoverkko.activities.forms_public import ListingSearchForm
from kotoverkko.activities.selectors import ListingFilters
from kotoverkko.core.errors import ApplicationError

from .errors import ApiErrorCode

# Names used in the issue and by other event APIs, accepted next to the search page's own names.
ALIASES = {"start": "from", "end": "to"}
MULTI = ("municipality", "day")


@dataclass(frozen=True)
class ApiListingFilters:
    search: ListingFilters
    is_free: bool | None = None  # False: only listings with a fee (the search page has no such filter)
    updated_since: datetime.datetime | None = None
    # Oldest change first: the order for incremental sync (the default with updated_since).
    by_update: bool = False


def _invalid(fields: dict[str, list[str]]) -> ApplicationError:
    return ApplicationError(ApiErrorCode.INVALID.value, str(ApiErrorCode.INVALID.label), fields=fields)


def _boolean(value: str, name: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("true", "1", "on", "yes"):
        return True
    if lowered in ("false", "0", "off", "no"):
        return False
    raise _invalid({name: [_("Use true or false.")]})


def _datetime(value: str, name: str) -> datetime.datetime:
    try:
        moment = datetime.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError as error:
        raise _invalid({name: [_("Use an ISO 8601 date and time, e.g. 2026-05-01T12:00:00Z.")]}) from error
    if moment.tzinfo is None:
        raise _invalid({name: [_("Give the time zone, e.g. 2026-05-01T12:00:00Z.")]})
    return moment


def listing_filters_from(params: QueryDict) -> ApiListingFilters:
    """The query string as filters. Raises ApplicationError("invalid") naming what was wrong."""
    data = QueryDict(mutable=True)
    for key in params:
        target = ALIASES.get(key, key)
        if target == "is_free" or (target == "sort" and params.get(key) == "updated"):
            continue
        values = params.getlist(key)
        if target in MULTI:
            data.setlist(target, [*data.getlist(target), *values])
        else:
            data[target] = values[-1]
    form = ListingSearchForm(data)
    form.is_valid()
    fields = {name: [str(message) for message in messages] for name, messages in form.errors.items()}
    for name in MULTI:
        if getattr(form.fields[name], "dropped", None):
            fields[name] = [
                _("Unknown value: %(values)s.") % {"values": ", ".join(form.fields[name].dropped)}
            ]
    if fields:
        raise _invalid(fields)
    is_free = _boolean(params["is_free"], "is_free") if params.get("is_free") else None
    updated_since = (
        _datetime(params["updated_since"], "updated_since") if params.get("updated_since") else None
    )
    search = form.filters()
    if is_free:
        search = replace(search, free_only=True)
    by_update = params.get("sort") == "updated" or (updated_since is not None and not params.get("sort"))
    return ApiListingFilters(search=search, is_free=is_free, updated_since=updated_since, by_update=by_update)
