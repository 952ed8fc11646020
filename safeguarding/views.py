from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mentoring.http import AuthedRequest
from safeguarding import policies, selectors


@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    if not policies.can_use_home(request.user):
        raise PermissionDenied
    hubs = selectors.safeguarding_hubs(user=request.user)
    entries = selectors.recent_access(user=request.user)
    return render(request, "safeguarding/home.html", {"hubs": hubs, "entries": entries})
