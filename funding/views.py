from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from funding import policies, selectors


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if not policies.can_use_dashboard(request.user):  # type: ignore[arg-type]
        raise PermissionDenied
    figures, mentees_total, mentors_total = selectors.programme_overview(user=request.user)  # type: ignore[arg-type]
    return render(
        request,
        "funding/home.html",
        {"figures": figures, "mentees_total": mentees_total, "mentors_total": mentors_total},
    )
