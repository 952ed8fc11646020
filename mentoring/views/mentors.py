"""The coordinator's mentor screens and the org admin's curriculum."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentoring.forms.mentors import (
    DbsForm,
    MentorProfileForm,
    ReferenceForm,
    StageForm,
    TrainingForm,
    TrainingModuleForm,
)
from mentoring.http import AuthedRequest
from mentoring.matching.eligibility import DBS_DUE_SOON_DAYS, core_still_to_do, missing_for_matching
from mentoring.models import (
    AVAILABILITY_SLOTS,
    DAYS,
    PARTS_OF_DAY,
    MeetingMode,
    Mentor,
    MentorStage,
    Role,
    TrainingModule,
)
from mentoring.paging import FILTERED_COUNT_CAP, CappedPaginator
from mentoring.policies.mentors import get_mentor_for_user
from mentoring.policies.people import hub_choices, organisation_choices, organisations_administered
from mentoring.selectors.expenses import volunteer_hours
from mentoring.selectors.mentors import (
    MentorFilters,
    filtered_mentors,
    open_pairs_of,
    training_record_of,
)
from mentoring.selectors.relationships import relationships_of_mentor
from mentoring.services.mentors import (
    mentor_change_stage,
    mentor_record_dbs,
    mentor_update_profile,
    reference_add,
    training_module_add,
    training_module_update,
    training_record,
)
from mentoring.views.shared import (
    add_service_errors,
    error_texts,
    int_or_none,
    keeps_typed_input,
    require_role,
    restored_input,
    saved_once,
    search_text,
)

PAGE_SIZE = 25


@require_GET
def mentor_list(request: AuthedRequest) -> HttpResponse:
    require_role(request, Role.COORDINATOR)
    params = request.GET
    filters = MentorFilters(
        search=search_text(params.get("q")),
        stage=params.get("stage", "") if params.get("stage") in MentorStage.values else "",
        hub=int_or_none(params.get("hub")),
        has_free_place=params.get("free") == "1",
        dbs_due=params.get("dbs_due") == "1",
    )
    mentors = filtered_mentors(user=request.user, filters=filters)
    filtered = filters != MentorFilters()
    paginator = (
        CappedPaginator(mentors, PAGE_SIZE, cap=FILTERED_COUNT_CAP) if filtered else Paginator(mentors, PAGE_SIZE)
    )
    page = paginator.get_page(params.get("page"))
    query = params.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "querystring": query.urlencode(),
        "stages": MentorStage.choices,
        "hubs": hub_choices(request.user, [Role.COORDINATOR]),
        "dbs_soon_days": DBS_DUE_SOON_DAYS,
    }
    return render(request, "mentoring/mentors/list.html", context)


def _availability_grid(mentor: Mentor) -> list[tuple[str, list[bool]]]:
    chosen = set(mentor.availability)
    return [(label, [f"{day}_{part}" in chosen for part, _ in PARTS_OF_DAY]) for day, label in DAYS]


@require_GET
def mentor_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    mentor = get_mentor_for_user(request.user, pk, purpose="Her record")
    mode_labels = dict(MeetingMode.choices)
    pairs = list(open_pairs_of(mentor))
    training = training_record_of(mentor)
    context: dict[str, Any] = {
        "mentor": mentor,
        "missing": missing_for_matching(mentor, core_to_do=core_still_to_do(training)),
        "stage_changes": mentor.stage_changes.select_related("changed_by"),
        "lived_experience": list(mentor.lived_experience.all()),
        "meeting_modes": [mode_labels.get(mode, mode) for mode in mentor.meeting_modes],
        "availability_grid": _availability_grid(mentor),
        "parts_of_day": [label for _, label in PARTS_OF_DAY],
        "pairs": pairs,
        "free_places": max(mentor.capacity - len(pairs), 0),
        "training": training,
        "references": mentor.references.all(),
        "relationships": relationships_of_mentor(mentor),
        "stage_form": StageForm(mentor=mentor),
        # The record form's choices (TrainingForm's: the active modules), from the rows read above.
        "training_modules": [module for module, _ in training if module.is_active],
        "hours": volunteer_hours(mentor_user_id=mentor.user_id),
    }
    return render(request, "mentoring/mentors/detail.html", context)


@require_POST
def mentor_stage(request: AuthedRequest, pk: int) -> HttpResponse:
    mentor = get_mentor_for_user(request.user, pk, purpose="Change her stage")
    form = StageForm(request.POST, mentor=mentor)
    if form.is_valid():
        try:
            mentor_change_stage(
                mentor=mentor,
                to_stage=form.cleaned_data["to_stage"],
                note=form.cleaned_data["note"],
                on=form.cleaned_data["changed_on"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"She is now at: {mentor.get_stage_display()}.")
    else:
        messages.error(request, "The stage wasn't changed: " + " ".join(error_texts(form)))
    return redirect("mentor_detail", pk=mentor.pk)


@keeps_typed_input
@require_http_methods(["GET", "POST"])
def mentor_dbs(request: AuthedRequest, pk: int) -> HttpResponse:
    mentor = get_mentor_for_user(request.user, pk, purpose="Her DBS check")
    data = request.POST if request.method == "POST" else restored_input(request)
    initial = {
        "level": mentor.dbs_level,
        "certificate_number": mentor.dbs_certificate_number,
        "issued_on": mentor.dbs_issued_on,
        "renewal_due": mentor.dbs_renewal_due,
    }
    form = DbsForm(data, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            mentor_record_dbs(
                mentor=mentor,
                level=form.cleaned_data["level"],
                certificate_number=form.cleaned_data["certificate_number"],
                issued_on=form.cleaned_data["issued_on"],
                renewal_due=form.cleaned_data["renewal_due"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"DBS check recorded. Renewal due {mentor.dbs_renewal_due:%-d %b %Y}.")
            return redirect("mentor_detail", pk=mentor.pk)
    return render(request, "mentoring/mentors/dbs.html", {"mentor": mentor, "form": form})


@require_POST
def mentor_training(request: AuthedRequest, pk: int) -> HttpResponse:
    mentor = get_mentor_for_user(request.user, pk, purpose="Her training")
    form = TrainingForm(request.POST, mentor=mentor)
    if form.is_valid():
        try:
            training_record(
                mentor=mentor,
                module=form.cleaned_data["module"],
                completed_on=form.cleaned_data["completed_on"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Training recorded: {form.cleaned_data['module'].name}.")
    else:
        messages.error(request, "Training wasn't recorded: " + " ".join(error_texts(form)))
    return redirect("mentor_detail", pk=mentor.pk)


@keeps_typed_input
@require_http_methods(["GET", "POST"])
@saved_once
def mentor_reference_add(request: AuthedRequest, pk: int) -> HttpResponse:
    mentor = get_mentor_for_user(request.user, pk, purpose="Her references")
    data = request.POST if request.method == "POST" else restored_input(request)
    form = ReferenceForm(data, initial={"outcome": "requested"})
    if request.method == "POST" and form.is_valid():
        try:
            reference_add(mentor=mentor, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Reference recorded.")
            return redirect("mentor_detail", pk=mentor.pk)
    return render(request, "mentoring/mentors/reference_form.html", {"mentor": mentor, "form": form})


@keeps_typed_input
@require_http_methods(["GET", "POST"])
def mentor_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    mentor = get_mentor_for_user(request.user, pk, purpose="Edit her record")
    data = request.POST if request.method == "POST" else restored_input(request)
    form = MentorProfileForm(data, mentor=mentor, initial=MentorProfileForm.initial_from(mentor))
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        lived_experience = fields.pop("lived_experience")
        try:
            mentor_update_profile(mentor=mentor, acting_user=request.user, lived_experience=lived_experience, **fields)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Her details are saved.")
            return redirect("mentor_detail", pk=mentor.pk)
    context = {"mentor": mentor, "form": form, "slots": AVAILABILITY_SLOTS}
    return render(request, "mentoring/mentors/edit.html", context)


@require_http_methods(["GET", "POST"])
def training_modules(request: AuthedRequest) -> HttpResponse:
    choices = organisation_choices(request.user)
    organisations = [organisation_id for organisation_id, _ in choices]
    if not organisations:
        raise PermissionDenied
    form = TrainingModuleForm(request.POST or None)
    organisation_field = form.fields["organisation"]
    assert isinstance(organisation_field, forms.TypedChoiceField)
    organisation_field.choices = choices
    if len(organisations) == 1:
        del form.fields["organisation"]  # nothing to choose
    if request.method == "POST" and form.is_valid():
        try:
            training_module_add(
                organisation_id=form.cleaned_data.get("organisation", organisations[0]),
                name=form.cleaned_data["name"],
                is_core=form.cleaned_data["is_core"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Module added to the curriculum.")
            return redirect("training_modules")
    modules = TrainingModule.objects.filter(organisation_id__in=organisations).select_related("organisation")
    context = {"modules": modules, "form": form, "several": len(organisations) > 1}
    return render(request, "mentoring/mentors/training_modules.html", context)


@require_POST
def training_module_toggle(request: AuthedRequest, pk: int) -> HttpResponse:
    """One button per switch: `what` is "active" or "core", and the value flips."""
    module = TrainingModule.objects.filter(pk=pk, organisation_id__in=organisations_administered(request.user)).first()
    if module is None:
        raise Http404("No such module.")
    what = request.POST.get("what")
    if what == "core":
        training_module_update(module=module, is_core=not module.is_core, acting_user=request.user)
        messages.success(request, f"{module.name}: {'core' if module.is_core else 'optional'} now.")
    elif what == "active":
        training_module_update(module=module, is_active=not module.is_active, acting_user=request.user)
        messages.success(request, f"{module.name}: {'switched on' if module.is_active else 'switched off'}.")
    else:
        messages.error(request, "Nothing was changed.")
    return redirect("training_modules")
