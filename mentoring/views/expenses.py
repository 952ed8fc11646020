"""Claims for travel and expenses: the mentor sees where each of hers is and answers a query; her
hub's coordinators approve, query and mark them paid, and export what was approved for finance."""

from __future__ import annotations

import csv
import io

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentoring.forms.expenses import (
    ClaimAnswerForm,
    ClaimExportForm,
    ClaimPaidForm,
    ClaimQueryForm,
    ClaimQueueFilter,
    MileageRateForm,
)
from mentoring.http import AuthedRequest
from mentoring.models import HMRC_AFTER_PENCE, HMRC_FIRST_PENCE, ClaimState, Role
from mentoring.policies.audit import access_log_reads
from mentoring.policies.expenses import get_claim_for_answer, get_claim_for_decision
from mentoring.policies.people import organisation_choices
from mentoring.selectors.expenses import (
    EXPORT_HEADER,
    claims_for_export,
    claims_queue,
    export_rows,
    mileage_rates_for,
    my_claims,
)
from mentoring.services.expenses import claim_answer, claim_approve, claim_mark_paid, claim_query, mileage_rate_set
from mentoring.views.shared import add_service_errors, error_text, error_texts, require_role

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection): such a
# cell is given a leading apostrophe, so it is shown as the text it is.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


@require_GET
def my_claims_view(request: AuthedRequest) -> HttpResponse:
    require_role(request, Role.MENTOR)
    context = {"claims": my_claims(user=request.user), "answer_form": ClaimAnswerForm(), "now": timezone.now()}
    return render(request, "mentoring/expenses/mine.html", context)


@require_POST
def claim_answer_view(request: AuthedRequest, pk: int) -> HttpResponse:
    claim = get_claim_for_answer(request.user, pk, purpose="Answering a query about her claim")
    form = ClaimAnswerForm(request.POST)
    if form.is_valid():
        try:
            claim_answer(claim=claim, acting_user=request.user, answer=form.cleaned_data["answer"])
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, "Thank you. Your answer is sent and your claim is with your coordinator again.")
            return redirect("my_claims")
    else:
        messages.error(request, " ".join(error_texts(form)))
    return redirect("my_claims")


def _back_to_queue(request: AuthedRequest) -> HttpResponse:
    state = request.POST.get("back", "")
    url = reverse("claims_queue")
    return redirect(f"{url}?state={state}" if state in ClaimState.values else url)


@require_GET
def claims_queue_view(request: AuthedRequest) -> HttpResponse:
    require_role(request, Role.COORDINATOR)
    chooser = ClaimQueueFilter(request.GET or None)
    queue = claims_queue(user=request.user, state=chooser.chosen())
    context = {
        "queue": queue,
        "chooser": chooser,
        "states": [(value, label, queue.counts[value]) for value, label in ClaimState.choices],
        "query_form": ClaimQueryForm(),
        "paid_form": ClaimPaidForm(),
        "export_form": ClaimExportForm(initial=ClaimExportForm.this_month()),
        "today": timezone.localdate(),
    }
    return render(request, "mentoring/expenses/queue.html", context)


@require_POST
def claim_approve_view(request: AuthedRequest, pk: int) -> HttpResponse:
    claim = get_claim_for_decision(request.user, pk, purpose="Approving a claim")
    try:
        claim = claim_approve(claim=claim, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, f"Claim {claim.pk} approved: £{claim.total} to pay {claim.mentor.name}.")
    return _back_to_queue(request)


@require_POST
def claim_query_view(request: AuthedRequest, pk: int) -> HttpResponse:
    claim = get_claim_for_decision(request.user, pk, purpose="Querying a claim")
    form = ClaimQueryForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(error_texts(form)))
        return _back_to_queue(request)
    try:
        claim_query(claim=claim, acting_user=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, f"Claim {claim.pk} queried. {claim.mentor.name} sees your question on her claims.")
    return _back_to_queue(request)


@require_POST
def claim_paid_view(request: AuthedRequest, pk: int) -> HttpResponse:
    claim = get_claim_for_decision(request.user, pk, purpose="Marking a claim paid")
    form = ClaimPaidForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(error_texts(form)))
        return _back_to_queue(request)
    try:
        claim_mark_paid(claim=claim, acting_user=request.user, paid_on=form.cleaned_data.get("paid_on"))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, f"Claim {claim.pk} marked paid.")
    return _back_to_queue(request)


@require_GET
def claims_export_view(request: AuthedRequest) -> HttpResponse:
    """The CSV for finance, for the dates asked; the form again, with what was wrong, otherwise."""
    require_role(request, Role.COORDINATOR)
    form = ClaimExportForm(request.GET or None, initial=ClaimExportForm.this_month())
    if not form.is_valid():
        return render(request, "mentoring/expenses/export.html", {"form": form})
    start, end = form.cleaned_data["approved_from"], form.cleaned_data["approved_to"]
    claims = claims_for_export(user=request.user, approved_from=start, approved_to=end)
    access_log_reads(
        user=request.user,
        records=[(claim, claim.hub) for claim in claims],
        reason=f"Claims export, approved {start.isoformat()} to {end.isoformat()}",
        action="export",
    )
    # A byte-order mark first: Excel, which finance opens it in, reads the file as UTF-8 then.
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(EXPORT_HEADER)
    for row in export_rows(claims):
        writer.writerow([csv_cell(cell) for cell in row])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="claims-{start.isoformat()}-to-{end.isoformat()}.csv"'
    return response


@require_http_methods(["GET", "POST"])
def mileage_rates(request: AuthedRequest) -> HttpResponse:
    """What her organisation pays a mile, from a date; HMRC's rates until it sets its own."""
    choices = organisation_choices(request.user)
    if not choices:
        raise PermissionDenied
    form = MileageRateForm(request.POST or None)
    form.fields["organisation"].choices = choices  # type: ignore[attr-defined]
    if len(choices) == 1:
        form.fields["organisation"].widget = forms.HiddenInput()
        form.fields["organisation"].initial = choices[0][0]
    if request.method == "POST" and form.is_valid():
        try:
            mileage_rate_set(
                organisation_id=form.cleaned_data["organisation"],
                effective_from=form.cleaned_data["effective_from"],
                first_pence=form.cleaned_data["first_pence"],
                after_pence=form.cleaned_data["after_pence"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, "Mileage rate saved. Claims approved already keep the rate they were approved at."
            )
            return redirect("mileage_rates")
    context = {
        "rates": mileage_rates_for(user=request.user),
        "form": form,
        "hmrc": (HMRC_FIRST_PENCE, HMRC_AFTER_PENCE),
    }
    return render(request, "mentoring/expenses/rates.html", context)
