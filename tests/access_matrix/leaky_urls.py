"""A URL configuration with deliberate mistakes, used to prove the access matrix catches each kind
(tests/access_matrix/test_matrix.py)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.views.decorators.http import require_GET, require_POST

from config.urls import urlpatterns as real_urlpatterns
from mentoring.models import Mentee, MenteeStatus
from mentoring.policies.mentees import get_mentee_for_user
from mentoring.policies.pairs import get_pair_for_agreement
from mentoring.views import intake


@require_GET
def leaky_mentee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # The mistake: fetching the record directly instead of through policies.get_mentee_for_user.
    mentee = Mentee.objects.filter(pk=pk).first()
    if mentee is None:
        raise Http404("No such record.")
    return HttpResponse(mentee.chosen_name)


@require_POST
def writes_before_asking(request: HttpRequest, pk: int) -> HttpResponse:
    # The mistake: changing her status, then asking the policy (which answers 404 as it should).
    Mentee.objects.filter(pk=pk).update(status=MenteeStatus.WITHDRAWN)
    mentee = get_mentee_for_user(request.user, pk, action="edit", purpose="Leak test")  # type: ignore[arg-type]
    return redirect("mentee_detail", pk=mentee.pk)


@require_GET
def agreement_with_her_legal_name(request: HttpRequest, pk: int) -> HttpResponse:
    # The mistake: the right people get the page, but it shows her mentor her legal name.
    pair = get_pair_for_agreement(request.user, pk, purpose="Leak test")  # type: ignore[arg-type]
    return HttpResponse(f"Agreement with {pair.mentee.legal_name}")


urlpatterns = [
    path("mentees/<int:pk>/", leaky_mentee_detail, name="mentee_detail"),
    path("mentees/<int:pk>/status/", writes_before_asking, name="mentee_status"),
    path("pairs/<int:pk>/agreement/", agreement_with_her_legal_name, name="pair_agreement"),
    # The mistake: the view without its require_GET, so it answers any method.
    path("mentees/<int:pk>/assessments/", intake.mentee_assessments.__wrapped__, name="mentee_assessments"),  # type: ignore[attr-defined]
    *real_urlpatterns,
    path("unlisted/", lambda request: HttpResponse("nobody decided who may see this"), name="unlisted"),
]
