"""The safeguarding lead's home: her hubs and the latest entries of their access log."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mentoring.http import AuthedRequest
from safeguarding.policies.homes import can_use_home
from safeguarding.selectors.access_log import recent_access
from safeguarding.selectors.homes import safeguarding_hubs


@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    if not can_use_home(request.user):
        raise PermissionDenied
    hubs = safeguarding_hubs(user=request.user)
    entries = recent_access(user=request.user)
    return render(request, "safeguarding/homes/home.html", {"hubs": hubs, "entries": entries})
