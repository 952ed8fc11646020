"""Assessments (intake and reviews), distance travelled, goals, and the summary she can be given."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentoring import policies, selectors, services
from mentoring.charts import rating_chart
from mentoring.forms import AssessmentForm, GoalForm, GoalProgressForm
from mentoring.http import AuthedRequest
from mentoring.models import AccessLog, Assessment, ConsentKind, Goal, Mentee
from mentoring.services.intake import active_need_areas, consent_in_force
from mentoring.views.decorators import keeps_typed_input


def _record_context(request: AuthedRequest, mentee: Mentee, tab: str) -> dict[str, object]:
    return {
        "mentee": mentee,
        "tab": tab,
        "can_edit": policies.can_edit_mentee(request.user, mentee),
        "consents": selectors.consents_in_force(mentee),
    }


@require_GET
def mentee_assessments(request: AuthedRequest, pk: int) -> HttpResponse:
    mentee = policies.get_mentee_for_user(request.user, pk, action="view_full")
    dates, series = selectors.distance_travelled(mentee)
    context = _record_context(request, mentee, "assessments")
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
    return render(request, "mentoring/mentee_assessments.html", context)


@require_POST
def assessment_start(request: AuthedRequest, pk: int) -> HttpResponse:
    mentee = policies.get_mentee_for_user(request.user, pk, action="edit")
    try:
        assessment = services.assessment_start(mentee=mentee, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("mentee_assessments", pk=mentee.pk)
    return redirect("assessment_edit", pk=mentee.pk, assessment_pk=assessment.pk)


@keeps_typed_input
@require_http_methods(["GET", "POST"])
def assessment_edit(request: AuthedRequest, pk: int, assessment_pk: int) -> HttpResponse:
    mentee = policies.get_mentee_for_user(request.user, pk, action="view_full")
    assessment = mentee.assessments.filter(pk=assessment_pk).first()
    if assessment is None:
        raise Http404("No such assessment.")
    editable = policies.can_edit_mentee(request.user, mentee) and assessment.state == Assessment.State.DRAFT
    areas = active_need_areas(mentee.hub)
    sharing_allowed = consent_in_force(mentee, ConsentKind.SHARE_WITH_MENTOR)
    data: QueryDict | None = None
    if request.method == "POST":
        if not editable:
            raise Http404("No such draft.")
        data = request.POST
    else:
        stashed = services.stash_restore(user=request.user, path=request.path)
        if stashed:
            data = QueryDict(mutable=True)
            for key, values in stashed.items():
                data.setlist(key, values)
            messages.info(request, "Your session ended, but we kept what you typed. Check it and save.")
    form = AssessmentForm(
        data, initial=AssessmentForm.initial_from(assessment), areas=areas, sharing_allowed=sharing_allowed
    )
    if request.method == "POST" and form.is_valid():
        complete = "complete" in request.POST
        try:
            services.assessment_save(
                assessment=assessment,
                acting_user=request.user,
                fields=form.assessment_fields(),
                needs=form.needs(),
                shared_experience_wanted=form.cleaned_data["shared_experience_wanted"],
                complete=complete,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if complete:
                messages.success(request, f"{assessment.get_kind_display()} complete.")
                return redirect("mentee_assessments", pk=mentee.pk)
            messages.success(request, "Draft saved. You can come back to it at any time.")
            return redirect("assessment_edit", pk=mentee.pk, assessment_pk=assessment.pk)
    if request.method == "POST" and not form.is_valid():
        messages.error(request, "Some answers need another look. Everything you typed is still here.")
    context = _record_context(request, mentee, "assessments")
    context.update({"assessment": assessment, "form": form, "editable": editable, "sharing_allowed": sharing_allowed})
    return render(request, "mentoring/assessment_form.html", context)


@keeps_typed_input
@require_http_methods(["GET", "POST"])
def mentee_goals(request: AuthedRequest, pk: int) -> HttpResponse:
    mentee = policies.get_mentee_for_user(request.user, pk, action="view_full")
    can_edit = policies.can_edit_mentee(request.user, mentee)
    areas = active_need_areas(mentee.hub)
    sharing_allowed = consent_in_force(mentee, ConsentKind.SHARE_WITH_MENTOR)
    form = GoalForm(request.POST or None, areas=areas, sharing_allowed=sharing_allowed)
    if request.method == "POST":
        if not can_edit:
            raise Http404("No such record.")
        if form.is_valid():
            try:
                services.goal_create(mentee=mentee, acting_user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "Goal added.")
                return redirect("mentee_goals", pk=mentee.pk)
    context = _record_context(request, mentee, "goals")
    context.update(
        {
            "goals": mentee.goals.select_related("need_area").prefetch_related("updates"),
            "form": form,
            "progress_form": GoalProgressForm(),
        }
    )
    return render(request, "mentoring/mentee_goals.html", context)


@require_POST
def goal_progress(request: AuthedRequest, pk: int, goal_pk: int) -> HttpResponse:
    mentee = policies.get_mentee_for_user(request.user, pk, action="edit")
    goal = Goal.objects.filter(mentee=mentee, pk=goal_pk).first()
    if goal is None:
        raise Http404("No such goal.")
    form = GoalProgressForm(request.POST)
    if form.is_valid():
        if form.cleaned_data["note"].strip():
            services.goal_add_update(goal=goal, note=form.cleaned_data["note"], acting_user=request.user)
        if form.cleaned_data["outcome"] != goal.outcome:
            services.goal_set_outcome(goal=goal, outcome=form.cleaned_data["outcome"], acting_user=request.user)
        messages.success(request, "Goal updated.")
    else:
        messages.error(request, "Choose where the goal stands.")
    return redirect("mentee_goals", pk=mentee.pk)


@require_GET
def mentee_summary(request: AuthedRequest, pk: int) -> HttpResponse:
    """A printable summary she can be given: her words, her ratings, her goals."""
    mentee = policies.get_mentee_for_user(request.user, pk, action="view_full")
    services.access_log_record(
        user=request.user, action=AccessLog.Action.EXPORT, obj=mentee, hub=mentee.hub, reason="Printable summary"
    )
    dates, series = selectors.distance_travelled(mentee)
    latest = selectors.latest_assessment(mentee)
    context = {
        "mentee": mentee,
        "latest": latest,
        "needs": latest.needs.select_related("need_area").order_by("need_area__order") if latest else [],
        "dates": dates,
        "series": series,
        "chart": rating_chart(series),
        "goals": mentee.goals.select_related("need_area").prefetch_related("updates"),
    }
    return render(request, "mentoring/mentee_summary.html", context)
