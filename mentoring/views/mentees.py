"""Coordinator screens for mentees: referral, list and waiting list, her record, consents, history.

A mentor reaches the same detail URL and sees only what the woman agreed to share.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentoring import policies, selectors, selectors_mentors, services
from mentoring.forms import ConsentForm, MenteeProfileForm, ReferralForm, RevealReasonForm, StatusChangeForm
from mentoring.http import AuthedRequest
from mentoring.models import AccessLog, ConsentKind, MenteeStatus, NeedArea, Role
from mentoring.paging import CappedPaginator
from mentoring.services.intake import CLOSED_STATUSES
from mentoring.views.decorators import keeps_typed_input

PAGE_SIZE = 25
WAITING_PAGE_SIZE = 25
FILTERED_COUNT_CAP = 500  # 20 pages


def _require_casework(request: AuthedRequest) -> None:
    if not any(policies.has_role(request.user, role) for role in policies.MENTEE_CASEWORK_ROLES):
        raise PermissionDenied


def _require_coordinator(request: AuthedRequest) -> None:
    if not policies.has_role(request.user, Role.COORDINATOR):
        raise PermissionDenied


def _restored(request: AuthedRequest) -> QueryDict | None:
    """What she typed here before her session timed out, if anything."""
    stashed = services.stash_restore(user=request.user, path=request.path)
    if stashed is None:
        return None
    data = QueryDict(mutable=True)
    for key, values in stashed.items():
        data.setlist(key, values)
    messages.info(request, "Your session ended, but we kept what you typed. Check it and save.")
    return data


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


# --- lists ---


@require_GET
def mentee_list(request: AuthedRequest) -> HttpResponse:
    _require_casework(request)
    params = request.GET
    filters = selectors.MenteeFilters(
        search=params.get("q", "")[:100],
        status=params.get("status", "") if params.get("status") in MenteeStatus.values else "",
        need_area=_int_or_none(params.get("need")),
        min_needs=_int_or_none(params.get("min_needs")),
        waited_weeks=_int_or_none(params.get("waited")),
        review_due=params.get("review_due") == "1",
        hub=_int_or_none(params.get("hub")),
    )
    mentees = selectors.filtered_mentees(user=request.user, filters=filters)
    filtered = filters != selectors.MenteeFilters()
    paginator = (
        CappedPaginator(mentees, PAGE_SIZE, cap=FILTERED_COUNT_CAP) if filtered else Paginator(mentees, PAGE_SIZE)
    )
    page = paginator.get_page(params.get("page"))
    query = params.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "querystring": query.urlencode(),
        "statuses": MenteeStatus.choices,
        "need_areas": list(NeedArea.objects.filter(is_active=True).values_list("pk", "name")),
        "hubs": list(policies.hub_choices(request.user, policies.MENTEE_CASEWORK_ROLES)),
        "can_refer": policies.has_role(request.user, Role.COORDINATOR),
    }
    return render(request, "mentoring/mentee_list.html", context)


@require_GET
def waiting_list(request: AuthedRequest) -> HttpResponse:
    _require_coordinator(request)
    hub = _int_or_none(request.GET.get("hub"))
    mentees = selectors.waiting_list(user=request.user)
    if hub:
        mentees = mentees.filter(hub_id=hub)
    # Paged: a coordinator of many hubs can have hundreds waiting, and one page of all of
    # them is slow to send over a poor connection and hard to read.
    page = Paginator(mentees, WAITING_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "querystring": f"hub={hub}" if hub else "",
        "hub_filter": hub,
        "hubs": policies.hub_choices(request.user, [Role.COORDINATOR]),
    }
    return render(request, "mentoring/waiting_list.html", context)


# --- referral ---


@keeps_typed_input
@require_http_methods(["GET", "POST"])
def referral_create(request: AuthedRequest) -> HttpResponse:
    _require_coordinator(request)
    data = request.POST if request.method == "POST" else _restored(request)
    form = ReferralForm(data, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k not in ("chosen_name", "hub")}
        try:
            referral = services.referral_create(
                hub=form.cleaned_data["hub"],
                chosen_name=form.cleaned_data["chosen_name"],
                acting_user=request.user,
                **fields,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Referral recorded. Next: record her consents.")
            return redirect("mentee_consents", pk=referral.mentee_id)
    return render(request, "mentoring/referral_form.html", {"form": form})


@keeps_typed_input
@require_http_methods(["GET", "POST"])
def re_referral_create(request: AuthedRequest, pk: int) -> HttpResponse:
    mentee = policies.get_mentee_for_user(request.user, pk, action="edit")
    data = request.POST if request.method == "POST" else _restored(request)
    form = ReferralForm(data, user=request.user, re_referral=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_create(hub=mentee.hub, mentee=mentee, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Re-referral recorded. Her history is kept.")
            return redirect("mentee_detail", pk=mentee.pk)
    return render(request, "mentoring/referral_form.html", {"form": form, "mentee": mentee})


# --- her record ---


def _record_context(request: AuthedRequest, mentee: Any, tab: str) -> dict[str, Any]:
    return {
        "mentee": mentee,
        "tab": tab,
        "can_edit": policies.can_edit_mentee(request.user, mentee),
        "consents": selectors.consents_in_force(mentee),
    }


def _relationships(request: AuthedRequest, mentee: Any) -> Any:
    """Recorded relationships are matching work: her hub's coordinators see them, nobody else."""
    if not policies.can_match_in_hub(request.user, mentee.hub_id):
        return None
    return selectors_mentors.relationships_of_mentee(mentee.pk)


@require_GET
def mentee_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    mentee = policies.get_mentee_for_user(request.user, pk)
    services.access_log_record(user=request.user, action=AccessLog.Action.VIEW, obj=mentee, hub=mentee.hub)
    if not policies.can_see_full_record(request.user, mentee):
        # Her mentor: chosen name, safe-contact preferences, languages, and what she chose to share.
        shared = selectors.shared_with_mentor(mentee)
        return render(request, "mentoring/mentee_for_mentor.html", {"mentee": mentee, "shared": shared})
    context = _record_context(request, mentee, "profile")
    context.update(
        {
            "can_reveal": policies.can_reveal_legal_name(request.user, mentee),
            "reveal_form": RevealReasonForm(),
            "status_form": StatusChangeForm(mentee=mentee),
            "referral": mentee.referrals.first(),
            "closed_statuses": CLOSED_STATUSES,
            "relationships": _relationships(request, mentee),
        }
    )
    return render(request, "mentoring/mentee_detail.html", context)


@require_POST
def mentee_reveal_legal_name(request: AuthedRequest, pk: int) -> HttpResponse:
    """Her legal name is shown only on an explicit request with a reason, and the request is logged."""
    mentee = policies.get_mentee_for_user(request.user, pk, action="reveal_legal_name")
    form = RevealReasonForm(request.POST)
    legal_name = None
    if form.is_valid():
        services.access_log_record(
            user=request.user,
            action=AccessLog.Action.REVEAL,
            obj=mentee,
            hub=mentee.hub,
            reason=form.cleaned_data["reason"],
        )
        legal_name = mentee.legal_name or ""
    context = _record_context(request, mentee, "profile")
    context.update(
        {
            "can_reveal": True,
            "reveal_form": form,
            "legal_name": legal_name,
            "status_form": StatusChangeForm(mentee=mentee),
            "referral": mentee.referrals.first(),
            "relationships": _relationships(request, mentee),
        }
    )
    return render(request, "mentoring/mentee_detail.html", context)


@keeps_typed_input
@require_http_methods(["GET", "POST"])
def mentee_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    mentee = policies.get_mentee_for_user(request.user, pk, action="edit")
    data = request.POST if request.method == "POST" else _restored(request)
    form = MenteeProfileForm(data, instance=mentee)
    if request.method == "POST" and form.is_valid():
        try:
            services.mentee_update_profile(mentee=mentee, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Her details are saved.")
            return redirect("mentee_detail", pk=mentee.pk)
    context = _record_context(request, mentee, "profile")
    context["form"] = form
    return render(request, "mentoring/mentee_edit.html", context)


@require_POST
def mentee_status(request: AuthedRequest, pk: int) -> HttpResponse:
    mentee = policies.get_mentee_for_user(request.user, pk, action="edit")
    form = StatusChangeForm(request.POST, mentee=mentee)
    if form.is_valid():
        try:
            services.mentee_change_status(
                mentee=mentee,
                to_status=form.cleaned_data["to_status"],
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"She is now: {mentee.get_status_display().lower()}.")
    else:
        messages.error(request, "Choose where she moves to.")
    return redirect("mentee_detail", pk=mentee.pk)


@keeps_typed_input
@require_http_methods(["GET", "POST"])
def mentee_consents(request: AuthedRequest, pk: int) -> HttpResponse:
    mentee = policies.get_mentee_for_user(request.user, pk, action="view_full")
    can_edit = policies.can_edit_mentee(request.user, mentee)
    data = request.POST if request.method == "POST" else _restored(request)
    form = ConsentForm(data, initial={"kind": request.GET.get("kind", ConsentKind.DATA_PROCESSING)})
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            services.consent_record(mentee=mentee, acting_user=request.user, **form.cleaned_data)
            verb = "given" if form.cleaned_data["given"] else "withdrawn"
            messages.success(request, f"Consent {verb}: it takes effect now.")
            return redirect("mentee_consents", pk=mentee.pk)
    context = _record_context(request, mentee, "consents")
    context.update({"form": form, "history": selectors.consent_history(mentee), "kinds": ConsentKind.choices})
    return render(request, "mentoring/mentee_consents.html", context)


@require_GET
def mentee_history(request: AuthedRequest, pk: int) -> HttpResponse:
    mentee = policies.get_mentee_for_user(request.user, pk, action="view_full")
    context = _record_context(request, mentee, "history")
    context.update(
        {
            "status_changes": mentee.status_changes.select_related("changed_by"),
            "referrals": mentee.referrals.select_related("created_by"),
        }
    )
    return render(request, "mentoring/mentee_history.html", context)
