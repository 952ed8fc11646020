from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from funding import policies, selectors
from funding.suppression import SECONDARY_MARK
from mentoring.http import AuthedRequest


@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    if not policies.can_use_dashboard(request.user):
        raise PermissionDenied
    overview = selectors.programme_overview(user=request.user)
    return render(request, "funding/home.html", {"overview": overview, "secondary_mark": SECONDARY_MARK})
