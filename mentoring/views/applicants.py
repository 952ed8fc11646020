"""The coordinator's mentor recruitment before an account: the list, an enquiry, her record,
her stage, references, closing her recruitment and inviting her."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentoring.forms.applicants import ApplicantCloseForm, ApplicantEditForm, ApplicantStageForm, EnquiryForm
from mentoring.forms.mentors import ReferenceForm
from mentoring.http import AuthedRequest
from mentoring.models import RECRUITMENT_STAGES, MentorApplicant, RecruitmentStatus, Role
from mentoring.policies.applicants import get_applicant_for_user
from mentoring.policies.people import hub_choices
from mentoring.selectors.applicants import (
    ApplicantFilters,
    applicant_history,
    applicant_references,
    filtered_applicants,
    latest_invitation,
)
from mentoring.services import applicants as recruitment
from mentoring.services.applicants import NEEDS_EMAIL
from mentoring.views.shared import (
    add_service_errors,
    error_text,
    int_or_none,
    keeps_typed_input,
    require_role,
    restored_input,
    saved_once,
)

PAGE_SIZE = 25


@require_GET
def applicant_list(request: AuthedRequest) -> HttpResponse:
    require_role(request, Role.COORDINATOR)
    params = request.GET
    status = params.get("status", RecruitmentStatus.OPEN)
    filters = ApplicantFilters(
        status=status if status in RecruitmentStatus.values else RecruitmentStatus.OPEN,
        stage=params.get("stage", "") if params.get("stage") in RECRUITMENT_STAGES else "",
        hub=int_or_none(params.get("hub")),
    )
    page = Paginator(filtered_applicants(user=request.user, filters=filters), PAGE_SIZE).get_page(params.get("page"))
    query = params.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "querystring": query.urlencode(),
        "stages": [(stage.value, stage.label) for stage in RECRUITMENT_STAGES],
        "statuses": RecruitmentStatus.choices,
        "hubs": hub_choices(request.user, [Role.COORDINATOR]),
        "today": timezone.localdate(),
    }
    return render(request, "mentoring/applicants/list.html", context)


@keeps_typed_input
@require_http_methods(["GET", "POST"])
@saved_once
def applicant_add(request: AuthedRequest) -> HttpResponse:
    require_role(request, Role.COORDINATOR)
    data = request.POST if request.method == "POST" else restored_input(request)
    form = EnquiryForm(data, user=request.user, initial={"enquired_on": timezone.localdate(), "source": "phone"})
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        try:
            applicant = recruitment.applicant_create(acting_user=request.user, **fields)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Enquiry recorded.")
            return redirect("applicant_detail", pk=applicant.pk)
    return render(request, "mentoring/applicants/add.html", {"form": form})


def _detail(
    request: AuthedRequest,
    applicant: MentorApplicant,
    *,
    stage_form: ApplicantStageForm | None = None,
    close_form: ApplicantCloseForm | None = None,
) -> HttpResponse:
    context: dict[str, Any] = {
        "applicant": applicant,
        "history": applicant_history(applicant),
        "references": applicant_references(applicant),
        "invitation": latest_invitation(applicant),
        "stage_form": stage_form or ApplicantStageForm(applicant=applicant),
        "close_form": close_form or ApplicantCloseForm(),
        "days_since_enquiry": (timezone.localdate() - applicant.enquired_on).days,
        "needs_email": NEEDS_EMAIL,
    }
    return render(request, "mentoring/applicants/detail.html", context)


@require_GET
def applicant_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    applicant = get_applicant_for_user(request.user, pk, purpose="Her recruitment record")
    return _detail(request, applicant)


@keeps_typed_input
@require_http_methods(["GET", "POST"])
def applicant_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    applicant = get_applicant_for_user(request.user, pk, purpose="Edit her recruitment details")
    if applicant.status == RecruitmentStatus.JOINED:
        messages.info(request, "She has joined: her details are on her mentor record now.")
        return redirect("applicant_detail", pk=applicant.pk)
    data = request.POST if request.method == "POST" else restored_input(request)
    form = ApplicantEditForm(data, initial=ApplicantEditForm.initial_from(applicant))
    if request.method == "POST" and form.is_valid():
        try:
            recruitment.applicant_update(applicant=applicant, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Her details are saved.")
            return redirect("applicant_detail", pk=applicant.pk)
    return render(request, "mentoring/applicants/edit.html", {"applicant": applicant, "form": form})


@require_POST
def applicant_stage(request: AuthedRequest, pk: int) -> HttpResponse:
    """Moved on, she goes back to her record; a date out of order shows the form again, as typed."""
    applicant = get_applicant_for_user(request.user, pk, purpose="Change her recruitment stage")
    form = ApplicantStageForm(request.POST, applicant=applicant)
    if form.is_valid():
        try:
            recruitment.applicant_change_stage(
                applicant=applicant,
                to_stage=form.cleaned_data["to_stage"],
                note=form.cleaned_data["note"],
                on=form.cleaned_data["changed_on"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            _add_dated_errors(form, exc, "changed_on")
        else:
            messages.success(request, f"She is now at: {applicant.get_stage_display()}.")
            return redirect("applicant_detail", pk=applicant.pk)
    # Said at the top too: on a phone the form is far down the page.
    messages.error(request, "Her stage wasn't changed: see “Move her stage” below.")
    return _detail(request, applicant, stage_form=form)


@require_POST
def applicant_close(request: AuthedRequest, pk: int) -> HttpResponse:
    applicant = get_applicant_for_user(request.user, pk, purpose="Close her recruitment")
    form = ApplicantCloseForm(request.POST)
    if form.is_valid():
        try:
            recruitment.applicant_close(
                applicant=applicant,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                on=form.cleaned_data["closed_on"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            _add_dated_errors(form, exc, "closed_on")
        else:
            messages.success(request, f"Her recruitment is closed: {applicant.get_status_display().lower()}.")
            return redirect("applicant_detail", pk=applicant.pk)
    messages.error(request, "Her recruitment wasn't closed: see “Close her recruitment” below.")
    return _detail(request, applicant, close_form=form)


@require_POST
def applicant_reopen(request: AuthedRequest, pk: int) -> HttpResponse:
    applicant = get_applicant_for_user(request.user, pk, purpose="Reopen her recruitment")
    try:
        recruitment.applicant_reopen(applicant=applicant, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, "Her recruitment is open again, at the stage it had reached.")
    return redirect("applicant_detail", pk=applicant.pk)


def _add_dated_errors(form: ApplicantStageForm | ApplicantCloseForm, exc: ValidationError, date_field: str) -> None:
    """The service names its date `on`; the form calls it by what it is."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            name = date_field if field == "on" else field
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@keeps_typed_input
@require_http_methods(["GET", "POST"])
@saved_once
def applicant_reference_add(request: AuthedRequest, pk: int) -> HttpResponse:
    applicant = get_applicant_for_user(request.user, pk, purpose="Her references")
    data = request.POST if request.method == "POST" else restored_input(request)
    form = ReferenceForm(data, initial={"outcome": "requested"})
    if request.method == "POST" and form.is_valid():
        try:
            recruitment.applicant_reference_add(applicant=applicant, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Reference recorded.")
            return redirect("applicant_detail", pk=applicant.pk)
    return render(request, "mentoring/applicants/reference_form.html", {"applicant": applicant, "form": form})


@require_POST
def applicant_invite(request: AuthedRequest, pk: int) -> HttpResponse:
    applicant = get_applicant_for_user(request.user, pk, purpose="Invite her")
    try:
        recruitment.applicant_invite(applicant=applicant, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request, "Invitation sent. When she accepts, her mentor record carries on from here, references and all."
        )
    return redirect("applicant_detail", pk=applicant.pk)
