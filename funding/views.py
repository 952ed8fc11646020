from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from funding import policies, selectors
from mentoring.http import AuthedRequest


@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    if not policies.can_use_dashboard(request.user):
        raise PermissionDenied
    figures, mentees_total, mentors_total = selectors.programme_overview(user=request.user)
    return render(
        request,
        "funding/home.html",
        {"figures": figures, "mentees_total": mentees_total, "mentors_total": mentors_total},
    )
