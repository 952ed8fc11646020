"""Matching a woman with a mentor, batch matching a hub, and the life of each pair.

Coordinators of the hub do all of it; the mentor of an active pair reads and writes the pair
agreement (it is co-created at their first meeting, often on her phone).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentoring import policies, selectors_pairs, services
from mentoring.forms_pairs import PairAgreementForm, PairConsentForm, PairEndForm, PairReviewForm, PairStatusForm
from mentoring.http import AuthedRequest
from mentoring.models import OPEN_PAIR_STATUSES, AccessLog, MenteeStatus, Mentor, Pair, PairStatus, Role
from mentoring.services.pairs import open_pair_for
from mentoring.views.decorators import keeps_typed_input
from mentoring.views.mentees import _int_or_none, _record_context, _restored

PAGE_SIZE = 25


def _mentor_in_hub(request: AuthedRequest, hub_id: int) -> Mentor:
    mentor = policies.mentors_visible_to(request.user).filter(
        pk=_int_or_none(request.POST.get("mentor")) or 0, hub_id=hub_id
    )
    found = mentor.select_related("user", "hub__organisation").first()
    if found is None:
        raise PermissionDenied
    return found


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# --- matching one woman ---


@require_http_methods(["GET", "POST"])
def mentee_match(request: AuthedRequest, pk: int) -> HttpResponse:
    """The best mentors for a waiting woman, each with its reasons; propose one."""
    mentee = policies.get_mentee_for_user(request.user, pk, action="edit")
    if request.method == "POST":
        try:
            pair = services.pair_propose(
                mentee=mentee, mentor=_mentor_in_hub(request, mentee.hub_id), acting_user=request.user
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
            return redirect("mentee_match", pk=mentee.pk)
        messages.success(request, "Proposed. Next: ask them both, and record each one's answer.")
        return redirect("pair_detail", pk=pair.pk)
    services.access_log_record(
        user=request.user, action=AccessLog.Action.VIEW, obj=mentee, hub=mentee.hub, reason="Matching"
    )
    context: dict[str, Any] = _record_context(request, mentee, "mentor")
    context["open_pair"] = open_pair_for(mentee)
    context["past_pairs"] = mentee.pairs.exclude(status__in=OPEN_PAIR_STATUSES).select_related("mentor__user")
    if mentee.status == MenteeStatus.WAITING and context["open_pair"] is None:
        context["suggestions"] = selectors_pairs.suggestions_for(mentee)
    return render(request, "mentoring/pairs/mentee_match.html", context)


# --- batch matching a hub ---


@require_http_methods(["GET", "POST"])
def hub_batch_match(request: AuthedRequest, pk: int) -> HttpResponse:
    hub = policies.get_hub_for_coordinator(request.user, pk)
    if request.method == "POST":
        mentee = policies.get_mentee_for_user(request.user, _int_or_none(request.POST.get("mentee")) or 0, "edit")
        if mentee.hub_id != hub.pk:
            raise PermissionDenied
        mentor = _mentor_in_hub(request, hub.pk)
        try:
            if request.POST.get("decision") == "reject":
                services.proposal_reject(
                    mentee=mentee, mentor=mentor, acting_user=request.user, reason="Turned down in batch matching"
                )
                messages.info(request, f"Not proposed. {mentee.chosen_name} stays on the waiting list.")
            else:
                services.pair_propose(mentee=mentee, mentor=mentor, acting_user=request.user)
                messages.success(request, f"Proposed {mentor.name} for {mentee.chosen_name}.")
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        return redirect("hub_batch_match", pk=hub.pk)
    rows, left = selectors_pairs.batch_for_hub(hub)
    return render(request, "mentoring/pairs/batch.html", {"hub": hub, "rows": rows, "left": left})


@require_GET
def matching_home(request: AuthedRequest) -> HttpResponse:
    """Which hub to batch-match: straight there when she coordinates one."""
    hubs = list(policies.hubs_for(request.user, [Role.COORDINATOR]))
    if not hubs:
        raise PermissionDenied
    if len(hubs) == 1:
        return redirect("hub_batch_match", pk=hubs[0].pk)
    return render(request, "mentoring/pairs/matching_home.html", {"hubs": hubs})


# --- pairs ---


@require_GET
def pair_list(request: AuthedRequest) -> HttpResponse:
    if not policies.has_role(request.user, Role.COORDINATOR):
        raise PermissionDenied
    params = request.GET
    filters = selectors_pairs.PairFilters(
        status=params.get("status", "") if params.get("status") in PairStatus.values else "",
        hub=_int_or_none(params.get("hub")),
        review_due=params.get("review_due") == "1",
    )
    page = Paginator(selectors_pairs.pair_list(user=request.user, filters=filters), PAGE_SIZE).get_page(
        params.get("page")
    )
    query = params.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "querystring": query.urlencode(),
        "statuses": PairStatus.choices,
        "hubs": policies.hub_choices(request.user, [Role.COORDINATOR]),
    }
    return render(request, "mentoring/pairs/pair_list.html", context)


def _pair_context(request: AuthedRequest, pair: Pair, **extra: Any) -> dict[str, Any]:
    context = {
        "pair": pair,
        "mentee": pair.mentee,
        "agreement": selectors_pairs.latest_agreement(pair),
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
    pair = policies.get_pair_for_user(request.user, pk)
    return render(request, "mentoring/pairs/pair_detail.html", _pair_context(request, pair))


@require_POST
def pair_consent(request: AuthedRequest, pk: int) -> HttpResponse:
    pair = policies.get_pair_for_user(request.user, pk)
    who = request.POST.get("who", "")
    if who not in ("mentee", "mentor"):
        who = "mentee"
    form = PairConsentForm(request.POST, prefix=who)
    if form.is_valid():
        try:
            services.pair_record_consent(
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
    return render(request, "mentoring/pairs/pair_detail.html", _pair_context(request, pair, consent_forms=forms))


@require_POST
def pair_status(request: AuthedRequest, pk: int) -> HttpResponse:
    pair = policies.get_pair_for_user(request.user, pk)
    form = PairStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose what to do with the pair.")
        return redirect("pair_detail", pk=pair.pk)
    action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
    done = {
        "ask": ("Waiting for both to agree.", lambda: services.pair_ask_consent(pair=pair, acting_user=request.user)),
        "activate": (
            f"The pair has started. {pair.mentor.name} can now see {pair.mentee.chosen_name} on her phone.",
            lambda: services.pair_activate(pair=pair, acting_user=request.user),
        ),
        "pause": (
            f"Paused. {pair.mentor.name} can no longer see her record.",
            lambda: services.pair_pause(pair=pair, reason=reason, acting_user=request.user),
        ),
        "resume": ("Resumed.", lambda: services.pair_resume(pair=pair, acting_user=request.user)),
        "not_taken": (
            "Marked as not going ahead.",
            lambda: services.pair_not_taken(pair=pair, reason=reason, acting_user=request.user),
        ),
    }
    message, act = done[action]
    try:
        act()
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, message)
    return redirect("pair_detail", pk=pair.pk)


@keeps_typed_input
@require_http_methods(["GET", "POST"])
def pair_end(request: AuthedRequest, pk: int) -> HttpResponse:
    pair = policies.get_pair_for_user(request.user, pk)
    data = request.POST if request.method == "POST" else _restored(request)
    form = PairEndForm(data)
    if request.method == "POST" and form.is_valid():
        try:
            services.pair_end(pair=pair, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"The pair has ended. {pair.mentor.name} can no longer see her record.")
            return redirect("pair_detail", pk=pair.pk)
    return render(request, "mentoring/pairs/pair_end.html", {"pair": pair, "form": form})


@require_POST
def pair_review(request: AuthedRequest, pk: int) -> HttpResponse:
    pair = policies.get_pair_for_user(request.user, pk)
    form = PairReviewForm(request.POST)
    if form.is_valid():
        try:
            services.pair_review_record(
                pair=pair, notes=form.cleaned_data["notes"], on=form.cleaned_data["on"], acting_user=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Review recorded.")
            return redirect("pair_detail", pk=pair.pk)
    return render(request, "mentoring/pairs/pair_detail.html", _pair_context(request, pair, review_form=form))


@keeps_typed_input
@require_http_methods(["GET", "POST"])
def pair_agreement(request: AuthedRequest, pk: int) -> HttpResponse:
    """The pair agreement, newest version first; saving makes a new version."""
    pair = policies.get_pair_for_agreement(request.user, pk)
    versions = list(pair.agreements.select_related("recorded_by").order_by("-version"))
    if request.method == "POST":
        form = PairAgreementForm(request.POST)
    else:
        restored = _restored(request)
        latest = versions[0] if versions else None
        form = (
            PairAgreementForm(restored)
            if restored is not None
            else PairAgreementForm(instance=latest)
            if latest
            else PairAgreementForm()
        )
        if latest is not None and restored is None:
            form.initial["agreed_on"] = None
    if request.method == "POST" and form.is_valid():
        try:
            services.pair_agreement_save(pair=pair, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Pair agreement saved. Earlier versions are kept.")
            if pair.hub_id in policies.coordinator_hub_ids(request.user):
                return redirect("pair_detail", pk=pair.pk)
            return redirect("mentor_home")
    is_coordinator = pair.hub_id in policies.coordinator_hub_ids(request.user)
    return render(
        request,
        "mentoring/pairs/pair_agreement.html",
        {"pair": pair, "form": form, "versions": versions, "is_coordinator": is_coordinator},
    )
