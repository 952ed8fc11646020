"""Invitations, deactivating and reactivating people, their roles and addresses, her own address
page, and a hub's settings."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.account.views import EmailView
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from mentoring.forms.matching import MatchingWeightsForm
from mentoring.forms.people import (
    HubCreateForm,
    HubSettingsForm,
    InvitationAcceptForm,
    InvitationForm,
    PersonEmailForm,
    RoleGrantForm,
)
from mentoring.http import AuthedRequest
from mentoring.models import MatchingSettings, Role
from mentoring.policies.people import (
    INVITABLE_ROLES,
    get_hub_for_admin,
    get_invitation_for_user,
    get_membership_for_admin,
    get_person_for_admin,
    organisation_choices,
)
from mentoring.selectors.people import (
    email_has_account,
    invitations_for,
    is_her_last_role,
    roles_in_administered_hubs,
)
from mentoring.services import people as people_services
from mentoring.services.matching import matching_settings_update
from mentoring.services.people import (
    hub_update_settings,
    invitation_for_token,
    membership_grant,
    membership_remove,
    user_change_email,
    user_deactivate,
    user_reactivate,
)
from mentoring.views.shared import require_role, saved_once


@require_http_methods(["GET", "POST"])
def invitation_create(request: AuthedRequest) -> HttpResponse:
    require_role(request, *INVITABLE_ROLES.keys())
    form = InvitationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            people_services.invitation_create(invited_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Invitation sent. The link works once and expires in 7 days.")
            return redirect("invitation_create")
    invitations = invitations_for(user=request.user)[:20]
    return render(request, "mentoring/people/invitation_form.html", {"form": form, "invitations": invitations})


def _back_to_invitations(request: AuthedRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    # Back to the page she came from, on this site only: never an address a form could smuggle in.
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("invitation_create")


@require_POST
def invitation_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    invitation = get_invitation_for_user(request.user, pk)
    people_services.invitation_revoke(invitation=invitation, acting_user=request.user)
    messages.success(request, "Invitation withdrawn. Its link no longer works.")
    return _back_to_invitations(request)


@require_POST
def invitation_resend(request: AuthedRequest, pk: int) -> HttpResponse:
    invitation = get_invitation_for_user(request.user, pk)
    try:
        people_services.invitation_resend(invitation=invitation, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        days = settings.INVITATION_VALID_FOR.days
        messages.success(
            request,
            f"Invitation sent again. The new link works once and expires in {days} days; "
            "the earlier link no longer works.",
        )
    return _back_to_invitations(request)


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_for_token(token)
    if invitation is None or not invitation.is_usable:
        return render(request, "mentoring/people/invitation_unusable.html", status=410 if invitation else 404)
    if email_has_account(invitation.email):
        # Invitations make new accounts only; an org admin gives a role to an existing one.
        return render(request, "mentoring/people/invitation_existing.html", {"invitation": invitation}, status=409)
    form = InvitationAcceptForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = people_services.invitation_accept(
                token=token,
                password=form.cleaned_data["password1"],
                display_name=form.cleaned_data["display_name"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            login(request, user, backend="mentoring.adapters.CurrentAddressBackend")
            messages.success(request, "Welcome to Alongside.")
            return redirect("home")
    return render(request, "mentoring/people/invitation_accept.html", {"form": form, "invitation": invitation})


def _people_page(target: str) -> str:
    """The page of people she came from (search, role, page), or the first; only ever that screen."""
    home = reverse("orgadmin_home")
    return target if target == home or target.startswith(home + "?") else home


def _back_to_people(request: AuthedRequest) -> HttpResponse:
    return redirect(_people_page(request.POST.get("next", "")))


@require_http_methods(["GET", "POST"])
def person_deactivate(request: AuthedRequest, pk: int) -> HttpResponse:
    """Asks first (who, and what happens), then switches her account off."""
    person = get_person_for_admin(request.user, pk)
    if request.method == "POST":
        user_deactivate(user=person, acting_user=request.user)
        messages.success(request, f"{person} can no longer sign in; every session she had has ended.")
        return _back_to_people(request)
    context = {
        "person": person,
        "roles": [row["label"] for row in roles_in_administered_hubs(user=request.user, person=person)],
        "back": _people_page(request.GET.get("next", "")),
    }
    return render(request, "mentoring/people/person_deactivate.html", context)


@require_POST
def person_reactivate(request: AuthedRequest, pk: int) -> HttpResponse:
    person = get_person_for_admin(request.user, pk)
    user_reactivate(user=person, acting_user=request.user)
    messages.success(request, f"{person} can sign in again.")
    return _back_to_people(request)


@require_http_methods(["GET", "POST"])
def person_roles(request: AuthedRequest, pk: int) -> HttpResponse:
    """Her roles in the admin's hubs, and giving her another (someone who already has an account)."""
    person = get_person_for_admin(request.user, pk)
    form = RoleGrantForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            membership_grant(
                person=person, hub=form.cleaned_data["hub"], role=form.cleaned_data["role"], acting_user=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Role given to {person}.")
            return redirect("person_roles", pk=person.pk)
    roles = roles_in_administered_hubs(user=request.user, person=person)
    return render(request, "mentoring/people/person_roles.html", {"person": person, "roles": roles, "form": form})


@require_http_methods(["GET", "POST"])
def person_role_remove(request: AuthedRequest, pk: int, membership_pk: int) -> HttpResponse:
    """Asks first (which role, and what follows), then takes the role away."""
    person = get_person_for_admin(request.user, pk)
    membership = get_membership_for_admin(request.user, person, membership_pk)
    error = ""
    if request.method == "POST":
        try:
            membership_remove(membership=membership, acting_user=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request, f"{membership.get_role_display()} in {membership.hub.name} taken away from {person}."
            )
            return redirect("person_roles", pk=person.pk)
    last_role = is_her_last_role(membership=membership)
    context = {"person": person, "membership": membership, "last_role": last_role, "error": error}
    return render(request, "mentoring/people/person_role_remove.html", context)


@require_http_methods(["GET", "POST"])
def person_email(request: AuthedRequest, pk: int) -> HttpResponse:
    """A new address for someone in her hubs, from an org admin (never her own: that is her
    account page, which asks for her password and a link to the new address)."""
    person = get_person_for_admin(request.user, pk)
    form = PersonEmailForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            user_change_email(person=person, email=form.cleaned_data["email"], acting_user=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{person} signs in with the new address now. Her old address was told.")
            return redirect("person_roles", pk=person.pk)
    return render(request, "mentoring/people/person_email.html", {"person": person, "form": form})


class AccountEmailView(EmailView):
    """allauth's own-address page, where an address she has added but not verified can never be
    made her login by hand (only the link sent to it does that), and her login can't be removed.
    allauth allows both for an account whose address was never verified (one made in the admin)."""

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        email = request.POST.get("email", "")
        if "action_primary" in request.POST:
            address = EmailAddress.objects.filter(user_id=request.user.pk, email__iexact=email)
            if not address.filter(verified=True).exists():
                messages.error(request, "Open the link we sent to the new address: that makes it your login.")
                return redirect("account_email")
        if "action_remove" in request.POST and email.strip().lower() == request.user.email.lower():  # type: ignore[union-attr]
            messages.error(request, "This is the address you sign in with: change it rather than remove it.")
            return redirect("account_email")
        return super().post(request, *args, **kwargs)


account_email = AccountEmailView.as_view()


def _hub_errors(form: forms.Form, exc: ValidationError) -> None:
    """A service's refusal beside the field it is about (a name in use), else above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@require_http_methods(["GET", "POST"])
@saved_once
def hub_create(request: AuthedRequest) -> HttpResponse:
    """A new hub in an organisation she administers; she is its org admin from the start."""
    require_role(request, Role.ORG_ADMIN)
    organisations = organisation_choices(request.user)
    form = HubCreateForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            hub = people_services.hub_create(
                organisation_id=data.get("organisation", organisations[0][0]),
                name=data["name"],
                area_description=data["area_description"],
                review_interval_weeks=data["review_interval_weeks"],
                quiet_after_weeks=data.get("quiet_after_weeks"),
                acting_user=request.user,
            )
        except ValidationError as exc:
            _hub_errors(form, exc)
        else:
            messages.success(
                request,
                f"{hub.name} is open. You are its org admin: invite its people, or give roles to people "
                "you already have.",
            )
            return redirect("orgadmin_home")
    return render(request, "mentoring/people/hub_create.html", {"form": form})


@require_http_methods(["GET", "POST"])
def hub_settings(request: AuthedRequest, pk: int) -> HttpResponse:
    """Rename the hub, describe the area it covers, and set how it reviews and matches."""
    hub = get_hub_for_admin(request.user, pk)
    data = request.POST or None
    initial = {
        "name": hub.name,
        "area_description": hub.area_description,
        "review_interval_weeks": hub.review_interval_weeks,
        "quiet_after_weeks": hub.quiet_after_weeks,
    }
    form = HubSettingsForm(data, initial=initial)
    # A hub that never changed its weights has no row yet: the form shows the defaults.
    weights = MatchingSettings.objects.filter(hub=hub).first() or MatchingSettings(hub=hub)
    weights_form = MatchingWeightsForm(data, instance=weights)
    if request.method == "POST" and form.is_valid() and weights_form.is_valid():
        try:
            with transaction.atomic():
                hub_update_settings(hub=hub, acting_user=request.user, **form.cleaned_data)
                matching_settings_update(hub=hub, acting_user=request.user, **weights_form.cleaned_data)
        except ValidationError as exc:
            # The hub object took the new name before the refusal: show the page under the saved one.
            hub.refresh_from_db()
            if hasattr(exc, "error_dict") and set(exc.error_dict) <= set(form.fields):
                _hub_errors(form, exc)
            else:
                weights_form.add_error(None, exc)
        else:
            messages.success(request, f"{hub.name}: settings saved.")
            return redirect("orgadmin_home")
    context = {"hub": hub, "form": form, "weights_form": weights_form}
    return render(request, "mentoring/people/hub_settings.html", context)
