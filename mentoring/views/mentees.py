"""Her record: lists, the record itself with its tabs, edit, status, history, legal-name reveal and summary."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentoring.charts import rating_chart
from mentoring.forms.mentees import MenteeEditForm, RevealReasonForm, StatusChangeForm
from mentoring.http import AuthedRequest
from mentoring.models import CLOSED_STATUSES, OPEN_STATUSES, AccessLog, MenteeStatus, Role
from mentoring.paging import FILTERED_COUNT_CAP, CappedPaginator
from mentoring.policies.mentees import (
    MENTEE_CASEWORK_ROLES,
    can_reveal_legal_name,
    can_see_full_record,
    get_mentee_for_user,
)
from mentoring.policies.people import has_role, hub_choices, is_coordinator_in
from mentoring.selectors import mentees as mentees_selectors
from mentoring.selectors.intake import (
    distance_travelled,
    latest_assessment,
    need_areas_for_casework,
    shared_with_mentor,
)
from mentoring.selectors.mentees import MenteeFilters, filtered_mentees
from mentoring.selectors.relationships import relationships_of_mentee
from mentoring.services.mentees import mentee_change_status, mentee_update_profile
from mentoring.views.shared import (
    add_service_errors,
    int_or_none,
    keeps_typed_input,
    mentee_record_context,
    require_role,
    restored_input,
    search_text,
)


@require_GET
def mentee_summary(request: AuthedRequest, pk: int) -> HttpResponse:
    """A printable summary she can be given: her words, her ratings, her goals."""
    mentee = get_mentee_for_user(
        request.user, pk, action="view_full", purpose="Printable summary", log_as=AccessLog.Action.EXPORT
    )
    dates, series = distance_travelled(mentee)
    latest = latest_assessment(mentee)
    context = {
        "mentee": mentee,
        "latest": latest,
        "needs": latest.needs.select_related("need_area").order_by("need_area__order") if latest else [],
        "dates": dates,
        "series": series,
        "chart": rating_chart(series),
        "goals": mentee.goals.select_related("need_area").prefetch_related("updates"),
    }
    return render(request, "mentoring/mentees/summary.html", context)


PAGE_SIZE = 25


WAITING_PAGE_SIZE = 25


@require_GET
def mentee_list(request: AuthedRequest) -> HttpResponse:
    require_role(request, *MENTEE_CASEWORK_ROLES)
    params = request.GET
    # Her organisations' need areas only: another organisation's custom areas are not hers to see.
    need_areas = need_areas_for_casework(user=request.user)
    need_area = int_or_none(params.get("need"))
    filters = MenteeFilters(
        search=search_text(params.get("q")),
        status=params.get("status", "") if params.get("status") in MenteeStatus.values else "",
        need_area=need_area if need_area in dict(need_areas) else None,
        min_needs=int_or_none(params.get("min_needs"), most=100),
        waited_weeks=int_or_none(params.get("waited"), most=52 * 20),
        review_due=params.get("review_due") == "1",
        hub=int_or_none(params.get("hub")),
    )
    mentees = filtered_mentees(user=request.user, filters=filters)
    filtered = filters != MenteeFilters()
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
        "open_statuses": OPEN_STATUSES,  # her review is only due while she is with the programme
        "need_areas": need_areas,
        "hubs": list(hub_choices(request.user, MENTEE_CASEWORK_ROLES)),
        "can_refer": has_role(request.user, Role.COORDINATOR),
    }
    return render(request, "mentoring/mentees/list.html", context)


@require_GET
def waiting_list(request: AuthedRequest) -> HttpResponse:
    require_role(request, Role.COORDINATOR)
    hub = int_or_none(request.GET.get("hub"))
    mentees = mentees_selectors.waiting_list(user=request.user)
    if hub:
        mentees = mentees.filter(hub_id=hub)
    # Paged: a coordinator of many hubs can have hundreds waiting, and one page of all of
    # them is slow to send over a poor connection and hard to read.
    page = Paginator(mentees, WAITING_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "querystring": f"hub={hub}" if hub else "",
        "hub_filter": hub,
        "hubs": hub_choices(request.user, [Role.COORDINATOR]),
    }
    return render(request, "mentoring/mentees/waiting_list.html", context)


def _relationships(request: AuthedRequest, mentee: Any) -> Any:
    """Recorded relationships are matching work: her hub's coordinators see them, nobody else."""
    if not is_coordinator_in(request.user, mentee.hub_id):
        return None
    return relationships_of_mentee(mentee.pk)


@require_GET
def mentee_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    mentee = get_mentee_for_user(request.user, pk, purpose="Her record")
    if not can_see_full_record(request.user, mentee):
        # Her mentor: chosen name, safe-contact preferences, languages, and what she chose to share.
        shared = shared_with_mentor(mentee)
        return render(request, "mentoring/mentees/for_mentor.html", {"mentee": mentee, "shared": shared})
    context = mentee_record_context(request, mentee, "profile")
    context.update(
        {
            "can_reveal": can_reveal_legal_name(request.user, mentee),
            "reveal_form": RevealReasonForm(),
            "status_form": StatusChangeForm(mentee=mentee),
            "referral": mentee.referrals.first(),
            "closed_statuses": CLOSED_STATUSES,
            "relationships": _relationships(request, mentee),
        }
    )
    return render(request, "mentoring/mentees/detail.html", context)


@require_POST
def mentee_reveal_legal_name(request: AuthedRequest, pk: int) -> HttpResponse:
    """Her legal name is shown only on an explicit request with a reason, and the request is logged."""
    form = RevealReasonForm(request.POST)
    legal_name = None
    if form.is_valid():
        # One entry either way: the reveal with her reason, or the record shown again without it.
        mentee = get_mentee_for_user(
            request.user,
            pk,
            action="reveal_legal_name",
            purpose=form.cleaned_data["reason"],
            log_as=AccessLog.Action.REVEAL,
        )
        legal_name = mentee.legal_name or ""
    else:
        mentee = get_mentee_for_user(
            request.user, pk, action="reveal_legal_name", purpose="Asked to reveal her legal name without a reason"
        )
    context = mentee_record_context(request, mentee, "profile")
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
    return render(request, "mentoring/mentees/detail.html", context)


@keeps_typed_input
@require_http_methods(["GET", "POST"])
def mentee_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    mentee = get_mentee_for_user(request.user, pk, action="edit", purpose="Edit her details")
    data = request.POST if request.method == "POST" else restored_input(request)
    form = MenteeEditForm(data, instance=mentee)
    if request.method == "POST" and form.is_valid():
        try:
            mentee_update_profile(mentee=mentee, acting_user=request.user, **form.profile_changes())
        except ValidationError as exc:
            add_service_errors(form, exc)
            # The banner above the form shows what is saved, not the answers just refused.
            mentee.refresh_from_db()
            mentee.__dict__.pop("safe_ways", None)
        else:
            messages.success(request, "Her details are saved.")
            return redirect("mentee_detail", pk=mentee.pk)
    context = mentee_record_context(request, mentee, "profile")
    context["form"] = form
    return render(request, "mentoring/mentees/edit.html", context)


@require_POST
def mentee_status(request: AuthedRequest, pk: int) -> HttpResponse:
    mentee = get_mentee_for_user(request.user, pk, action="edit", purpose="Change her status")
    form = StatusChangeForm(request.POST, mentee=mentee)
    if form.is_valid():
        try:
            mentee_change_status(
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


@require_GET
def mentee_history(request: AuthedRequest, pk: int) -> HttpResponse:
    mentee = get_mentee_for_user(request.user, pk, action="view_full", purpose="Her history")
    context = mentee_record_context(request, mentee, "history")
    context.update(
        {
            "status_changes": mentee.status_changes.select_related("changed_by"),
            "referrals": mentee.referrals.select_related("created_by"),
        }
    )
    return render(request, "mentoring/mentees/history.html", context)
