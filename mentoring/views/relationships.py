"""Recording and withdrawing relationships between a mentor and a woman."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from mentoring.forms.relationships import RelationshipForm
from mentoring.http import AuthedRequest
from mentoring.policies.mentees import get_mentee_for_user
from mentoring.policies.mentors import get_mentor_for_user
from mentoring.policies.relationships import get_relationship_for_user
from mentoring.services import relationships as relationships_services
from mentoring.services.relationships import relationship_record
from mentoring.views.shared import add_service_errors, keeps_typed_input, restored_input, saved_once


def _record_relationship(request: AuthedRequest, form: RelationshipForm, **people: Any) -> bool:
    try:
        relationship_record(
            kind=form.cleaned_data["kind"],
            effect=form.cleaned_data["effect"],
            note=form.cleaned_data["note"],
            acting_user=request.user,
            **people,
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    messages.success(request, "Relationship recorded. Matching honours it from now on.")
    return True


@keeps_typed_input
@require_http_methods(["GET", "POST"])
@saved_once
def mentor_relationship_add(request: AuthedRequest, pk: int) -> HttpResponse:
    mentor = get_mentor_for_user(request.user, pk, purpose="Record a relationship")
    data = request.POST if request.method == "POST" else restored_input(request)
    form = RelationshipForm(data, mentor=mentor)
    if (
        request.method == "POST"
        and form.is_valid()
        and _record_relationship(request, form, mentor=mentor, mentee=form.cleaned_data["other"])
    ):
        return redirect("mentor_detail", pk=mentor.pk)
    context = {"form": form, "mentor": mentor, "back": ("mentor_detail", mentor.pk), "about": mentor.name}
    return render(request, "mentoring/relationships/form.html", context)


@keeps_typed_input
@require_http_methods(["GET", "POST"])
@saved_once
def mentee_relationship_add(request: AuthedRequest, pk: int) -> HttpResponse:
    mentee = get_mentee_for_user(request.user, pk, action="edit", purpose="Record a relationship")
    data = request.POST if request.method == "POST" else restored_input(request)
    form = RelationshipForm(data, mentee=mentee)
    if (
        request.method == "POST"
        and form.is_valid()
        and _record_relationship(request, form, mentee=mentee, mentor=form.cleaned_data["other"])
    ):
        return redirect("mentee_detail", pk=mentee.pk)
    context = {"form": form, "mentee": mentee, "back": ("mentee_detail", mentee.pk), "about": mentee.chosen_name}
    return render(request, "mentoring/relationships/form.html", context)


@require_POST
def relationship_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    relationship = get_relationship_for_user(request.user, pk, purpose="Withdraw a relationship")
    relationships_services.relationship_withdraw(relationship=relationship, acting_user=request.user)
    messages.success(request, "Relationship withdrawn. It stays in the history.")
    next_url = request.POST.get("next", "")
    # Only a path on this site: never bounce her to an address someone slipped into the form.
    if next_url.startswith("/") and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect("mentee_detail", pk=relationship.mentee_id)
