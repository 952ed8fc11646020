"""Her hubs' access log: every entry, named as people say it, filtered and paged."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mentoring.http import AuthedRequest
from mentoring.paging import CappedPaginator
from safeguarding.forms.access_log import AccessLogFilterForm
from safeguarding.policies.access_log import can_read_access_log
from safeguarding.selectors.access_log import (
    AccessLogFilters,
    filtered_access_log,
    name_records,
    named_entries,
    people_for_filter,
)

PAGE_SIZE = 50
# Pages count up to this many entries: a busy hub's log grows without end, and counting all of
# it on every page costs more than the page. Older entries are reached by narrowing the dates.
COUNT_CAP = 5000


def _person_param(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 18 else None


def _querystring(filters: AccessLogFilters) -> str:
    params = {
        "person": filters.person,
        "type": filters.object_type,
        "id": filters.object_id,
        "kind": filters.action,
        "from": filters.since.isoformat() if filters.since else None,
        "to": filters.until.isoformat() if filters.until else None,
    }
    return urlencode({key: value for key, value in params.items() if value})


@require_GET
def access_log(request: AuthedRequest) -> HttpResponse:
    if not can_read_access_log(request.user):
        raise PermissionDenied
    people = people_for_filter(user=request.user, chosen=_person_param(request.GET.get("person")))
    form = AccessLogFilterForm(request.GET, people=people)
    form.is_valid()  # an invalid field is shown with its message; the valid ones still filter
    cleaned = form.cleaned_data
    filters = AccessLogFilters(
        person=cleaned.get("person"),
        object_type=cleaned.get("type") or "",
        object_id=cleaned.get("id") or "",
        action=cleaned.get("kind") or "",
        since=cleaned.get("from"),
        until=cleaned.get("to"),
    )
    paginator = CappedPaginator(filtered_access_log(user=request.user, filters=filters), PAGE_SIZE, cap=COUNT_CAP)
    page = paginator.get_page(request.GET.get("page"))
    entries = named_entries(user=request.user, rows=list(page.object_list))
    # The pages' links carry the filters as understood (ids, choices and dates), not whatever
    # else the address held: nothing typed travels from page to page unchecked.
    query = _querystring(filters)
    without_record = _querystring(replace(filters, object_type="", object_id=""))
    shown_record = name_records(user=request.user, records=[filters.record])[filters.record] if filters.record else None
    count = paginator.count
    if paginator.capped:
        caption = f"More than {count:,} entries: narrow the dates to reach older ones"
    else:
        caption = f"{count:,} entr{'y' if count == 1 else 'ies'}"
    context = {
        "caption": caption,
        "form": form,
        "page": page,
        "entries": entries,
        "querystring": query,
        "without_record": without_record,
        "shown_record": shown_record,
        "filtered": filters != AccessLogFilters(),
    }
    return render(request, "safeguarding/access_log/list.html", context)
