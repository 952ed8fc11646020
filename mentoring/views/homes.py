"""Role home pages, the health check and the bare page the benchmark measures against."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from config import health
from mentoring.http import AuthedRequest
from mentoring.matching.eligibility import dbs_flag
from mentoring.models import Role
from mentoring.navigation import ROLE_HOMES
from mentoring.policies.people import roles_of
from mentoring.selectors.homes import coordinator_todo, hubs_with_counts
from mentoring.selectors.mentors import current_training_of
from mentoring.selectors.pairs import mentor_active_pairs, own_mentor_record
from mentoring.selectors.people import (
    PeopleFilters,
    count_people_for_admin,
    hubs_administered,
    invitations_to_administered_hubs_for,
    people_for_admin,
    with_visible_roles,
)
from mentoring.views.shared import require_role, search_text


def _without_search(params) -> str:
    kept = params.copy()
    kept.pop("q", None)
    return kept.urlencode()


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_not_required
@require_GET
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: may this process serve people now? 503 when PostgreSQL or Redis can't be
    reached (nobody could sign in). The worker's heartbeat is reported, for monitoring, but a
    stopped worker doesn't take the web out of service: pages still work, emails wait in Redis."""
    checks = {"database": health.database_state(), "redis": health.redis_state(), "worker": health.worker_state()}
    ready = checks["database"] == "ok" and checks["redis"] in ("ok", "not used")
    return JsonResponse({"status": "ready" if ready else "not ready", "checks": checks}, status=200 if ready else 503)


@require_GET
def ping(request: AuthedRequest) -> HttpResponse:
    """The bare authenticated page the benchmark compares every key page against."""
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    held = roles_of(request.user)
    for role, url_name in ROLE_HOMES.items():
        if role in held:
            return redirect(url_name)
    return render(request, "mentoring/homes/no_role.html")


@require_GET
def coordinator_home(request: AuthedRequest) -> HttpResponse:
    require_role(request, Role.COORDINATOR)
    context = {
        "hubs": hubs_with_counts(user=request.user, roles=(Role.COORDINATOR,)),
        "todo": coordinator_todo(user=request.user),
    }
    return render(request, "mentoring/homes/coordinator.html", context)


@require_GET
def mentor_home(request: AuthedRequest) -> HttpResponse:
    require_role(request, Role.MENTOR)
    record = own_mentor_record(user=request.user)
    context: dict[str, object] = {"pairs": mentor_active_pairs(user=request.user), "record": record}
    if record is not None:
        today = timezone.localdate()
        context.update(
            training=current_training_of(record),
            dbs_flag=dbs_flag(record.dbs_renewal_due, today),
        )
    return render(request, "mentoring/homes/mentor.html", context)


PEOPLE_PAGE_SIZE = 25


RECENT_INVITATIONS = 10  # the full list is on the invitation page


@require_GET
def orgadmin_home(request: AuthedRequest) -> HttpResponse:
    require_role(request, Role.ORG_ADMIN)
    user = request.user
    params = request.GET
    filters = PeopleFilters(
        search=search_text(params.get("q")),
        role=params.get("role", "") if params.get("role") in Role.values else "",
    )
    paginator = Paginator(people_for_admin(user=user, filters=filters), PEOPLE_PAGE_SIZE)
    paginator.count = count_people_for_admin(user=user, filters=filters)  # a cheaper count
    people = paginator.get_page(params.get("page"))
    query = params.copy()
    query.pop("page", None)
    hubs = hubs_administered(user=user)
    context = {
        "hubs": hubs,
        "page": people,
        "people": with_visible_roles(people=people.object_list, hubs=hubs),
        "filters": filters,
        "roles": Role.choices,
        "querystring": query.urlencode(),
        "this_page": request.get_full_path(),
        # The confirmation page sends her back to this page of people: its role filter and page,
        # not the search, which may be a name and would ride in one more address.
        "next_query": urlencode({"next": f"{request.path}?{_without_search(params)}"}),
        "me": user.pk,
        "invitations": invitations_to_administered_hubs_for(user=user)[:RECENT_INVITATIONS],
        "recent_invitations": RECENT_INVITATIONS,
    }
    return render(request, "mentoring/homes/orgadmin.html", context)
