"""Pairs: the list, a pair's page, consent, status, ending, reviews and the agreement."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentoring.forms.pairs import PairAgreementForm, PairConsentForm, PairEndForm, PairReviewForm, PairStatusForm
from mentoring.http import AuthedRequest
from mentoring.models import Pair, PairStatus, Role
from mentoring.policies.pairs import get_pair_for_agreement, get_pair_for_user
from mentoring.policies.people import coordinator_hub_ids, has_role, hub_choices
from mentoring.selectors import pairs as pairs_selectors
from mentoring.selectors.pairs import PairFilters, latest_agreement
from mentoring.services import pairs as pairs_services
from mentoring.services.pairs import (
    pair_activate,
    pair_agreement_save,
    pair_ask_consent,
    pair_not_taken,
    pair_pause,
    pair_record_consent,
    pair_resume,
    pair_review_record,
)
from mentoring.views.shared import (
    add_service_errors,
    error_text,
    int_or_none,
    keeps_typed_input,
    restored_input,
    saved_once,
)

PAGE_SIZE = 25


@require_GET
def pair_list(request: AuthedRequest) -> HttpResponse:
    if not has_role(request.user, Role.COORDINATOR):
        raise PermissionDenied
    params = request.GET
    filters = PairFilters(
        status=params.get("status", "") if params.get("status") in PairStatus.values else "",
        hub=int_or_none(params.get("hub")),
        review_due=params.get("review_due") == "1",
        waiting=params.get("waiting") == "1",
        quiet=params.get("quiet") == "1",
    )
    page = Paginator(pairs_selectors.pair_list(user=request.user, filters=filters), PAGE_SIZE).get_page(
        params.get("page")
    )
    query = params.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "querystring": query.urlencode(),
        "statuses": PairStatus.choices,
        "hubs": hub_choices(request.user, [Role.COORDINATOR]),
    }
    return render(request, "mentoring/pairs/list.html", context)


def _pair_context(request: AuthedRequest, pair: Pair, **extra: Any) -> dict[str, Any]:
    context = {
        "pair": pair,
        "mentee": pair.mentee,
        "agreement": latest_agreement(pair),
        "reviews": pair.reviews.select_related("reviewed_by"),
        "history": pair.status_changes.select_related("changed_by"),
        "consent_forms": {who: PairConsentForm(initial={"who": who}, prefix=who) for who in ("mentee", "mentor")},
        "review_form": PairReviewForm(),
        "statuses": PairStatus,
    }
    context.update(extra)
    return context


@require_GET
def pair_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    pair = get_pair_for_user(request.user, pk, purpose="The pair")
    return render(request, "mentoring/pairs/detail.html", _pair_context(request, pair))


@require_POST
def pair_consent(request: AuthedRequest, pk: int) -> HttpResponse:
    pair = get_pair_for_user(request.user, pk, purpose="Record a consent")
    who = request.POST.get("who", "")
    if who not in ("mentee", "mentor"):
        who = "mentee"
    form = PairConsentForm(request.POST, prefix=who)
    if form.is_valid():
        try:
            pair_record_consent(
                pair=pair,
                who=form.cleaned_data["who"],
                method=form.cleaned_data["method"],
                on=form.cleaned_data["on"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            name = pair.mentee.chosen_name if who == "mentee" else pair.mentor.name
            messages.success(request, f"Recorded: {name} agreed.")
            return redirect("pair_detail", pk=pair.pk)
    forms = {w: PairConsentForm(initial={"who": w}, prefix=w) for w in ("mentee", "mentor")}
    forms[who] = form
    return render(request, "mentoring/pairs/detail.html", _pair_context(request, pair, consent_forms=forms))


@require_POST
def pair_status(request: AuthedRequest, pk: int) -> HttpResponse:
    pair = get_pair_for_user(request.user, pk, purpose="Change the pair's status")
    form = PairStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose what to do with the pair.")
        return redirect("pair_detail", pk=pair.pk)
    action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
    done = {
        "ask": ("Waiting for both to agree.", lambda: pair_ask_consent(pair=pair, acting_user=request.user)),
        "activate": (
            f"The pair has started. {pair.mentor.name} can now see {pair.mentee.chosen_name} on her phone.",
            lambda: pair_activate(pair=pair, acting_user=request.user),
        ),
        "pause": (
            f"Paused. {pair.mentor.name} can no longer see her record.",
            lambda: pair_pause(pair=pair, reason=reason, acting_user=request.user),
        ),
        "resume": ("Resumed.", lambda: pair_resume(pair=pair, acting_user=request.user)),
        "not_taken": (
            "Marked as not going ahead.",
            lambda: pair_not_taken(pair=pair, reason=reason, acting_user=request.user),
        ),
    }
    message, act = done[action]
    try:
        act()
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, message)
    return redirect("pair_detail", pk=pair.pk)


@keeps_typed_input
@require_http_methods(["GET", "POST"])
def pair_end(request: AuthedRequest, pk: int) -> HttpResponse:
    pair = get_pair_for_user(request.user, pk, purpose="End the pair")
    data = request.POST if request.method == "POST" else restored_input(request)
    form = PairEndForm(data)
    if request.method == "POST" and form.is_valid():
        try:
            pairs_services.pair_end(pair=pair, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"The pair has ended. {pair.mentor.name} can no longer see her record.")
            return redirect("pair_detail", pk=pair.pk)
    return render(request, "mentoring/pairs/end.html", {"pair": pair, "form": form})


@require_POST
@saved_once
def pair_review(request: AuthedRequest, pk: int) -> HttpResponse:
    pair = get_pair_for_user(request.user, pk, purpose="Review the pair")
    form = PairReviewForm(request.POST)
    if form.is_valid():
        try:
            pair_review_record(
                pair=pair, notes=form.cleaned_data["notes"], on=form.cleaned_data["on"], acting_user=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Review recorded.")
            return redirect("pair_detail", pk=pair.pk)
    return render(request, "mentoring/pairs/detail.html", _pair_context(request, pair, review_form=form))


@keeps_typed_input
@require_http_methods(["GET", "POST"])
def pair_agreement(request: AuthedRequest, pk: int) -> HttpResponse:
    """The pair agreement, newest version first; saving makes a new version."""
    pair = get_pair_for_agreement(request.user, pk, purpose="The pair agreement")
    versions = list(pair.agreements.select_related("recorded_by").order_by("-version"))
    safe_ways = pair.mentee.safe_ways
    if request.method == "POST":
        form = PairAgreementForm(request.POST, safe_ways=safe_ways)
    else:
        restored = restored_input(request)
        latest = versions[0] if versions else None
        form = (
            PairAgreementForm(restored, safe_ways=safe_ways)
            if restored is not None
            else PairAgreementForm(instance=latest, safe_ways=safe_ways)
            if latest
            else PairAgreementForm(safe_ways=safe_ways)
        )
        if latest is not None and restored is None:
            form.initial["agreed_on"] = None
    if request.method == "POST" and form.is_valid():
        try:
            pair_agreement_save(pair=pair, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Pair agreement saved. Earlier versions are kept.")
            if pair.hub_id in coordinator_hub_ids(request.user):
                return redirect("pair_detail", pk=pair.pk)
            return redirect("mentor_home")
    is_coordinator = pair.hub_id in coordinator_hub_ids(request.user)
    return render(
        request,
        "mentoring/pairs/agreement.html",
        {"pair": pair, "form": form, "versions": versions, "is_coordinator": is_coordinator},
    )
