"""A page that fails, for the error-reporting test: the site's routes plus one that raises."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

CANARY = "Wrencanary"


@csrf_exempt
@login_not_required
def fail(request: HttpRequest) -> HttpResponse:
    raise ValueError(f"could not save {CANARY}'s disclosure")


urlpatterns = [path("fail/", fail, name="fail"), path("", include("config.urls"))]
