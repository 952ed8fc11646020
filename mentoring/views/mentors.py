"""Coordinator screens for mentors: list, her record, stages, DBS, training, references, profile and
recorded relationships (from either side); and the org admin's training curriculum.

Only coordinators of her hub see a mentor's record (policies.get_mentor_for_user answers 404 to
everyone else). Writes go through mentoring.services.mentors, which check the acting user again.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentoring import policies, selectors_mentors, services
from mentoring.forms_mentors import (
    DbsForm,
    MentorProfileForm,
    ReferenceForm,
    RelationshipForm,
    StageForm,
    TrainingForm,
    TrainingModuleForm,
)
from mentoring.http import AuthedRequest
from mentoring.matching_data import missing_for_matching
from mentoring.models import (
    AVAILABILITY_SLOTS,
    DAYS,
    PARTS_OF_DAY,
    AccessLog,
    MeetingMode,
    Mentor,
    MentorStage,
    Role,
    TrainingModule,
)
from mentoring.paging import CappedPaginator
from mentoring.views.decorators import keeps_typed_input
from mentoring.views.mentees import FILTERED_COUNT_CAP, _int_or_none, _restored

PAGE_SIZE = 25


def _require_coordinator(request: AuthedRequest) -> None:
    if not policies.has_role(request.user, Role.COORDINATOR):
        raise PermissionDenied


# --- the list ---


@require_GET
def mentor_list(request: AuthedRequest) -> HttpResponse:
    _require_coordinator(request)
    params = request.GET
    filters = selectors_mentors.MentorFilters(
        search=params.get("q", "")[:100],
        stage=params.get("stage", "") if params.get("stage") in MentorStage.values else "",
        hub=_int_or_none(params.get("hub")),
        has_free_place=params.get("free") == "1",
        dbs_due=params.get("dbs_due") == "1",
    )
    mentors = selectors_mentors.filtered_mentors(user=request.user, filters=filters)
    filtered = filters != selectors_mentors.MentorFilters()
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
        "hubs": policies.hub_choices(request.user, [Role.COORDINATOR]),
        "dbs_soon_days": selectors_mentors.DBS_DUE_SOON_DAYS,
    }
    return render(request, "mentoring/mentors/mentor_list.html", context)


# --- her record ---


def _availability_grid(mentor: Mentor) -> list[tuple[str, list[bool]]]:
    chosen = set(mentor.availability)
    return [(label, [f"{day}_{part}" in chosen for part, _ in PARTS_OF_DAY]) for day, label in DAYS]


@require_GET
def mentor_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    mentor = policies.get_mentor_for_user(request.user, pk)
    # Her lived experience and checks are sensitive: reads are logged like a mentee's record.
    services.access_log_record(user=request.user, action=AccessLog.Action.VIEW, obj=mentor, hub=mentor.hub)
    mode_labels = dict(MeetingMode.choices)
    pairs = list(selectors_mentors.open_pairs_of(mentor))
    context: dict[str, Any] = {
        "mentor": mentor,
        "missing": missing_for_matching(mentor),
        "stage_changes": mentor.stage_changes.select_related("changed_by"),
        "lived_experience": list(mentor.lived_experience.all()),
        "meeting_modes": [mode_labels.get(mode, mode) for mode in mentor.meeting_modes],
        "availability_grid": _availability_grid(mentor),
        "parts_of_day": [label for _, label in PARTS_OF_DAY],
        "pairs": pairs,
        "free_places": max(mentor.capacity - len(pairs), 0),
        "training": selectors_mentors.training_record_of(mentor),
        "references": mentor.references.all(),
        "relationships": selectors_mentors.relationships_of_mentor(mentor),
        "stage_form": StageForm(mentor=mentor),
        "training_modules": list(TrainingForm(mentor=mentor).fields["module"].queryset),  # type: ignore[attr-defined]
    }
    return render(request, "mentoring/mentors/mentor_detail.html", context)


@require_POST
def mentor_stage(request: AuthedRequest, pk: int) -> HttpResponse:
    mentor = policies.get_mentor_for_user(request.user, pk)
    form = StageForm(request.POST, mentor=mentor)
    if form.is_valid():
        try:
            services.mentor_change_stage(
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
        messages.error(request, "The stage wasn't changed: " + " ".join(_error_texts(form)))
    return redirect("mentor_detail", pk=mentor.pk)


def _error_texts(form: forms.Form) -> list[str]:
    return [str(error) for errors in form.errors.values() for error in errors]


@keeps_typed_input
@require_http_methods(["GET", "POST"])
def mentor_dbs(request: AuthedRequest, pk: int) -> HttpResponse:
    mentor = policies.get_mentor_for_user(request.user, pk)
    data = request.POST if request.method == "POST" else _restored(request)
    initial = {
        "level": mentor.dbs_level,
        "certificate_number": mentor.dbs_certificate_number,
        "issued_on": mentor.dbs_issued_on,
        "renewal_due": mentor.dbs_renewal_due,
    }
    form = DbsForm(data, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.mentor_record_dbs(
                mentor=mentor,
                level=form.cleaned_data["level"],
                certificate_number=form.cleaned_data["certificate_number"],
                issued_on=form.cleaned_data["issued_on"],
                renewal_due=form.cleaned_data["renewal_due"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"DBS check recorded. Renewal due {mentor.dbs_renewal_due:%-d %b %Y}.")
            return redirect("mentor_detail", pk=mentor.pk)
    return render(request, "mentoring/mentors/mentor_dbs.html", {"mentor": mentor, "form": form})


def _add_errors(form: forms.Form, exc: ValidationError) -> None:
    """A service's error against the field it names, when the form has that field."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@require_POST
def mentor_training(request: AuthedRequest, pk: int) -> HttpResponse:
    mentor = policies.get_mentor_for_user(request.user, pk)
    form = TrainingForm(request.POST, mentor=mentor)
    if form.is_valid():
        try:
            services.training_record(
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
        messages.error(request, "Training wasn't recorded: " + " ".join(_error_texts(form)))
    return redirect("mentor_detail", pk=mentor.pk)


@keeps_typed_input
@require_http_methods(["GET", "POST"])
def mentor_reference_add(request: AuthedRequest, pk: int) -> HttpResponse:
    mentor = policies.get_mentor_for_user(request.user, pk)
    data = request.POST if request.method == "POST" else _restored(request)
    form = ReferenceForm(data, initial={"outcome": "requested"})
    if request.method == "POST" and form.is_valid():
        try:
            services.reference_add(mentor=mentor, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "Reference recorded.")
            return redirect("mentor_detail", pk=mentor.pk)
    return render(request, "mentoring/mentors/mentor_reference_form.html", {"mentor": mentor, "form": form})


@keeps_typed_input
@require_http_methods(["GET", "POST"])
def mentor_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    mentor = policies.get_mentor_for_user(request.user, pk)
    data = request.POST if request.method == "POST" else _restored(request)
    form = MentorProfileForm(data, mentor=mentor, initial=MentorProfileForm.initial_from(mentor))
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        lived_experience = fields.pop("lived_experience")
        try:
            services.mentor_update_profile(
                mentor=mentor, acting_user=request.user, lived_experience=lived_experience, **fields
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "Her details are saved.")
            return redirect("mentor_detail", pk=mentor.pk)
    context = {"mentor": mentor, "form": form, "slots": AVAILABILITY_SLOTS}
    return render(request, "mentoring/mentors/mentor_edit.html", context)


# --- recorded relationships, from either side ---


def _record_relationship(request: AuthedRequest, form: RelationshipForm, **people: Any) -> bool:
    try:
        services.relationship_record(
            kind=form.cleaned_data["kind"],
            effect=form.cleaned_data["effect"],
            note=form.cleaned_data["note"],
            acting_user=request.user,
            **people,
        )
    except ValidationError as exc:
        _add_errors(form, exc)
        return False
    messages.success(request, "Relationship recorded. Matching honours it from now on.")
    return True


@keeps_typed_input
@require_http_methods(["GET", "POST"])
def mentor_relationship_add(request: AuthedRequest, pk: int) -> HttpResponse:
    mentor = policies.get_mentor_for_user(request.user, pk)
    data = request.POST if request.method == "POST" else _restored(request)
    form = RelationshipForm(data, mentor=mentor)
    if (
        request.method == "POST"
        and form.is_valid()
        and _record_relationship(request, form, mentor=mentor, mentee=form.cleaned_data["other"])
    ):
        return redirect("mentor_detail", pk=mentor.pk)
    context = {"form": form, "mentor": mentor, "back": ("mentor_detail", mentor.pk), "about": mentor.name}
    return render(request, "mentoring/mentors/relationship_form.html", context)


@keeps_typed_input
@require_http_methods(["GET", "POST"])
def mentee_relationship_add(request: AuthedRequest, pk: int) -> HttpResponse:
    mentee = policies.get_mentee_for_user(request.user, pk, action="edit")
    data = request.POST if request.method == "POST" else _restored(request)
    form = RelationshipForm(data, mentee=mentee)
    if (
        request.method == "POST"
        and form.is_valid()
        and _record_relationship(request, form, mentee=mentee, mentor=form.cleaned_data["other"])
    ):
        return redirect("mentee_detail", pk=mentee.pk)
    context = {"form": form, "mentee": mentee, "back": ("mentee_detail", mentee.pk), "about": mentee.chosen_name}
    return render(request, "mentoring/mentors/relationship_form.html", context)


@require_POST
def relationship_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    relationship = policies.get_relationship_for_user(request.user, pk)
    services.relationship_withdraw(relationship=relationship, acting_user=request.user)
    messages.success(request, "Relationship withdrawn. It stays in the history.")
    next_url = request.POST.get("next", "")
    # Only a path on this site: never bounce her to an address someone slipped into the form.
    if next_url.startswith("/") and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect("mentee_detail", pk=relationship.mentee_id)


# --- the training curriculum (org admin) ---


@require_http_methods(["GET", "POST"])
def training_modules(request: AuthedRequest) -> HttpResponse:
    organisations = policies.organisations_administered(request.user)
    if not organisations:
        raise PermissionDenied
    form = TrainingModuleForm(request.POST or None)
    organisation_field = form.fields["organisation"]
    assert isinstance(organisation_field, forms.TypedChoiceField)
    names: dict[int, str] = {
        hub.organisation_id: hub.organisation.name
        for hub in policies.hubs_for(request.user, [Role.ORG_ADMIN]).select_related("organisation")
    }
    choices: list[tuple[int, str]] = sorted(names.items(), key=lambda choice: choice[1])
    organisation_field.choices = choices
    if len(organisations) == 1:
        del form.fields["organisation"]  # nothing to choose
    if request.method == "POST" and form.is_valid():
        try:
            services.training_module_add(
                organisation_id=form.cleaned_data.get("organisation", organisations[0]),
                name=form.cleaned_data["name"],
                is_core=form.cleaned_data["is_core"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "Module added to the curriculum.")
            return redirect("training_modules")
    modules = TrainingModule.objects.filter(organisation_id__in=organisations).select_related("organisation")
    context = {"modules": modules, "form": form, "several": len(organisations) > 1}
    return render(request, "mentoring/mentors/training_modules.html", context)


@require_POST
def training_module_toggle(request: AuthedRequest, pk: int) -> HttpResponse:
    """One button per switch: `what` is "active" or "core", and the value flips."""
    module = TrainingModule.objects.filter(
        pk=pk, organisation_id__in=policies.organisations_administered(request.user)
    ).first()
    if module is None:
        raise Http404("No such module.")
    what = request.POST.get("what")
    if what == "core":
        services.training_module_update(module=module, is_core=not module.is_core, acting_user=request.user)
        messages.success(request, f"{module.name}: {'core' if module.is_core else 'optional'} now.")
    elif what == "active":
        services.training_module_update(module=module, is_active=not module.is_active, acting_user=request.user)
        messages.success(request, f"{module.name}: {'switched on' if module.is_active else 'switched off'}.")
    else:
        messages.error(request, "Nothing was changed.")
    return redirect("training_modules")
