"""Intake screens: referral, consents, needs assessments, goals and the organisation's need areas."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentoring.charts import rating_chart
from mentoring.forms.intake import AssessmentForm, ConsentForm, GoalForm, GoalProgressForm, NeedAreaForm, ReferralForm
from mentoring.http import AuthedRequest
from mentoring.models import (
    Assessment,
    ConsentKind,
    Role,
)
from mentoring.models.mentees import channel_label
from mentoring.policies.intake import get_need_area_for_admin, need_areas_administered_by
from mentoring.policies.mentees import (
    can_edit_mentee,
    get_assessment_for_user,
    get_goal_for_user,
    get_mentee_for_user,
)
from mentoring.policies.people import organisation_choices
from mentoring.selectors.intake import consent_history, distance_travelled
from mentoring.selectors.mentees import PossibleSameWoman, possible_same_women_for
from mentoring.services import intake as intake_services
from mentoring.services.intake import (
    POSSIBLE_SAME_WOMAN,
    active_need_areas,
    assessment_save,
    consent_in_force,
    consent_record,
    goal_add_update,
    goal_create,
    goal_set_outcome,
    need_area_add,
    need_area_set_active,
)
from mentoring.services.people import stash_restore
from mentoring.views.shared import (
    add_service_errors,
    keeps_typed_input,
    mentee_record_context,
    require_role,
    restored_input,
    saved_once,
)


@require_GET
def mentee_assessments(request: AuthedRequest, pk: int) -> HttpResponse:
    mentee = get_mentee_for_user(request.user, pk, action="view_full", purpose="Her assessments")
    dates, series = distance_travelled(mentee)
    context = mentee_record_context(request, mentee, "assessments")
    context.update(
        {
            "assessments": mentee.assessments.select_related("created_by").order_by("-assessed_on", "-pk"),
            "draft": mentee.assessments.filter(state=Assessment.State.DRAFT).first(),
            "dates": dates,
            "series": series,
            "chart": rating_chart(series),
            "data_consent": consent_in_force(mentee, ConsentKind.DATA_PROCESSING),
        }
    )
    return render(request, "mentoring/intake/assessments.html", context)


@require_POST
def assessment_start(request: AuthedRequest, pk: int) -> HttpResponse:
    mentee = get_mentee_for_user(request.user, pk, action="edit", purpose="Start an assessment")
    try:
        assessment = intake_services.assessment_start(mentee=mentee, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("mentee_assessments", pk=mentee.pk)
    return redirect("assessment_edit", pk=mentee.pk, assessment_pk=assessment.pk)


@keeps_typed_input
@require_http_methods(["GET", "POST"])
def assessment_edit(request: AuthedRequest, pk: int, assessment_pk: int) -> HttpResponse:
    action = "edit" if request.method == "POST" else "view_full"
    mentee, assessment = get_assessment_for_user(request.user, pk, assessment_pk, action, purpose="Her assessment")
    editable = can_edit_mentee(request.user, mentee) and assessment.state == Assessment.State.DRAFT
    areas = active_need_areas(mentee.hub)
    sharing_allowed = consent_in_force(mentee, ConsentKind.SHARE_WITH_MENTOR)
    data: QueryDict | None = None
    if request.method == "POST":
        if not editable:
            raise Http404("No such draft.")
        data = request.POST
    else:
        stashed = stash_restore(user=request.user, path=request.path)
        if stashed:
            data = QueryDict(mutable=True)
            for key, values in stashed.items():
                data.setlist(key, values)
            messages.info(request, "Your session ended, but we kept what you typed. Check it and save.")
    form = AssessmentForm(
        data, initial=AssessmentForm.initial_from(assessment), areas=areas, sharing_allowed=sharing_allowed
    )
    # "Complete" asks once: the first press saves the draft and asks; "Yes, complete" completes.
    asking = False
    if request.method == "POST" and form.is_valid():
        confirmed = "confirm_complete" in request.POST
        try:
            assessment_save(
                assessment=assessment,
                acting_user=request.user,
                fields=form.assessment_fields(),
                needs=form.needs(),
                shared_experience_wanted=form.cleaned_data["shared_experience_wanted"],
                needs_not_said=form.cleaned_data["needs_not_said"],
                complete=confirmed,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if confirmed:
                messages.success(request, f"{assessment.get_kind_display()} complete.")
                return redirect("mentee_assessments", pk=mentee.pk)
            if "complete" not in request.POST:
                messages.success(request, "Draft saved. You can come back to it at any time.")
                return redirect("assessment_edit", pk=mentee.pk, assessment_pk=assessment.pk)
            problem = assessment.completion_problem()
            if problem is None:
                asking = True
                kind = assessment.get_kind_display().lower()
                messages.info(request, f"Draft saved. Check, then confirm at the bottom to complete her {kind}.")
            else:
                form.add_error(None, f"Draft saved, but it can't be completed yet. {problem}")
    if request.method == "POST" and not form.is_valid():
        messages.error(request, "Some answers need another look. Everything you typed is still here.")
    context = mentee_record_context(request, mentee, "assessments")
    context.update(
        {
            "assessment": assessment,
            "form": form,
            "editable": editable,
            "sharing_allowed": sharing_allowed,
            "asking": asking,
            "need_count": assessment.need_count_now() if asking else None,
        }
    )
    return render(request, "mentoring/intake/assessment_form.html", context)


@keeps_typed_input
@require_http_methods(["GET", "POST"])
@saved_once
def mentee_goals(request: AuthedRequest, pk: int) -> HttpResponse:
    action = "edit" if request.method == "POST" else "view_full"
    mentee = get_mentee_for_user(request.user, pk, action=action, purpose="Her goals")
    areas = active_need_areas(mentee.hub)
    sharing_allowed = consent_in_force(mentee, ConsentKind.SHARE_WITH_MENTOR)
    form = GoalForm(request.POST or None, areas=areas, sharing_allowed=sharing_allowed)
    # A POST is an edit: the fetch has refused anyone who may not make one.
    if request.method == "POST" and form.is_valid():
        try:
            goal_create(mentee=mentee, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Goal added.")
            return redirect("mentee_goals", pk=mentee.pk)
    context = mentee_record_context(request, mentee, "goals")
    context.update(
        {
            "goals": mentee.goals.select_related("need_area").prefetch_related("updates"),
            "form": form,
            "progress_form": GoalProgressForm(),
        }
    )
    return render(request, "mentoring/intake/goals.html", context)


@require_POST
def goal_progress(request: AuthedRequest, pk: int, goal_pk: int) -> HttpResponse:
    mentee, goal = get_goal_for_user(request.user, pk, goal_pk, purpose="Progress on a goal")
    form = GoalProgressForm(request.POST)
    if form.is_valid():
        if form.cleaned_data["note"].strip():
            goal_add_update(goal=goal, note=form.cleaned_data["note"], acting_user=request.user)
        if form.cleaned_data["outcome"] != goal.outcome:
            goal_set_outcome(goal=goal, outcome=form.cleaned_data["outcome"], acting_user=request.user)
        messages.success(request, "Goal updated.")
    else:
        messages.error(request, "Choose where the goal stands.")
    return redirect("mentee_goals", pk=mentee.pk)


@keeps_typed_input
@require_http_methods(["GET", "POST"])
@saved_once
def referral_create(request: AuthedRequest) -> HttpResponse:
    require_role(request, Role.COORDINATOR)
    data = request.POST if request.method == "POST" else restored_input(request)
    form = ReferralForm(data, user=request.user)
    same_women: list[PossibleSameWoman] | None = None
    if request.method == "POST" and form.is_valid():
        her = {k: form.cleaned_data[k] for k in ("chosen_name", "date_of_birth", "contact_details")}
        fields = {k: v for k, v in form.cleaned_data.items() if k not in her and k != "hub"}
        try:
            referral = intake_services.referral_create(
                hub=form.cleaned_data["hub"],
                acting_user=request.user,
                confirmed_new="confirmed_new" in request.POST,
                **her,
                **fields,
            )
        except ValidationError as exc:
            if getattr(exc, "code", None) == POSSIBLE_SAME_WOMAN:
                same_women = possible_same_women_for(
                    user=request.user, organisation_id=form.cleaned_data["hub"].organisation_id, **her
                )
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, "Referral recorded. Next: record her consents.")
            return redirect("mentee_consents", pk=referral.mentee_id)
    return render(request, "mentoring/intake/referral_form.html", {"form": form, "same_women": same_women})


@keeps_typed_input
@require_http_methods(["GET", "POST"])
@saved_once
def re_referral_create(request: AuthedRequest, pk: int) -> HttpResponse:
    mentee = get_mentee_for_user(request.user, pk, action="edit", purpose="Re-referral")
    data = request.POST if request.method == "POST" else restored_input(request)
    form = ReferralForm(data, user=request.user, re_referral=True)
    if request.method == "POST" and form.is_valid():
        try:
            intake_services.referral_create(
                hub=mentee.hub, mentee=mentee, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Re-referral recorded. Her history is kept.")
            return redirect("mentee_detail", pk=mentee.pk)
    return render(request, "mentoring/intake/referral_form.html", {"form": form, "mentee": mentee})


@keeps_typed_input
@require_http_methods(["GET", "POST"])
@saved_once
def mentee_consents(request: AuthedRequest, pk: int) -> HttpResponse:
    action = "edit" if request.method == "POST" else "view_full"
    mentee = get_mentee_for_user(request.user, pk, action=action, purpose="Her consents")
    data = request.POST if request.method == "POST" else restored_input(request)
    form = ConsentForm(data, initial={"kind": request.GET.get("kind", ConsentKind.DATA_PROCESSING)})
    # A POST is an edit: the fetch has refused anyone who may not make one.
    if request.method == "POST" and form.is_valid():
        ways_before = list(mentee.safe_channels)
        consent_record(mentee=mentee, acting_user=request.user, **form.cleaned_data)
        verb = "given" if form.cleaned_data["given"] else "withdrawn"
        stopped = [channel_label(way) for way in ways_before if way not in mentee.safe_channels]
        also = f" {', '.join(stopped)} is no longer one of her safe ways." if stopped else ""
        messages.success(request, f"Consent {verb}: it takes effect now.{also}")
        return redirect("mentee_consents", pk=mentee.pk)
    context = mentee_record_context(request, mentee, "consents")
    context.update({"form": form, "history": consent_history(mentee), "kinds": ConsentKind.choices})
    return render(request, "mentoring/intake/consents.html", context)


@require_http_methods(["GET", "POST"])
def need_areas(request: AuthedRequest) -> HttpResponse:
    choices = organisation_choices(request.user)
    organisations = [organisation_id for organisation_id, _ in choices]
    if not organisations:
        raise PermissionDenied
    form = NeedAreaForm(request.POST or None)
    form.fields["organisation"].choices = choices  # type: ignore[attr-defined]
    if len(organisations) == 1:
        form.fields["organisation"].widget = forms.HiddenInput()
        form.fields["organisation"].initial = organisations[0]
    if request.method == "POST" and form.is_valid():
        try:
            need_area_add(
                organisation_id=form.cleaned_data["organisation"],
                name=form.cleaned_data["name"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Need area added. It appears in every new assessment.")
            return redirect("need_areas")
    areas = need_areas_administered_by(request.user)
    return render(request, "mentoring/intake/need_areas.html", {"areas": areas, "form": form})


@require_POST
def need_area_toggle(request: AuthedRequest, pk: int) -> HttpResponse:
    area = get_need_area_for_admin(request.user, pk)
    need_area_set_active(area=area, is_active=not area.is_active, acting_user=request.user)
    return redirect("need_areas")
