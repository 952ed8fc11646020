"""A URL configuration with two deliberate mistakes, used to prove the access matrix catches them
(tests/access_matrix/test_matrix.py)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as real_urlpatterns
from mentoring.models import Mentee


def leaky_mentee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # The mistake: fetching the record directly instead of through policies.get_mentee_for_user.
    return HttpResponse(Mentee.objects.get(pk=pk).chosen_name)


def unlisted(request: HttpRequest) -> HttpResponse:
    return HttpResponse("nobody decided who may see this")


urlpatterns = [
    path("mentees/<int:pk>/", leaky_mentee_detail, name="mentee_detail"),
    *real_urlpatterns,
    path("unlisted/", unlisted, name="unlisted"),
]
