"""Invitations (sending and accepting), roles, email addresses and a hub's settings."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import AddEmailForm as AllauthAddEmailForm
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.account.models import EmailAddress
from django import forms
from django.contrib.auth import password_validation
from django.http import HttpRequest

from mentoring.forms.shared import number_errors
from mentoring.models import (
    Hub,
    Role,
    User,
)
from mentoring.policies.people import (
    ADDRESS_TAKEN,
    address_is_taken,
    can_invite,
    hubs_for,
    hubs_where_can_invite,
    invitable_roles,
)


class HubRoleForm(forms.Form):
    """A hub and a role in it that `user` may give (by invitation or to an existing account)."""

    refused = "You can't give that role in this hub."

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        hub, role = data.get("hub"), data.get("role")
        if hub and role and not can_invite(self.user, hub, role):  # type: ignore[attr-defined]
            self.add_error("role", self.refused)
        return data


class InvitationForm(HubRoleForm):
    refused = "You can't invite that role to this hub."
    email = forms.EmailField(label="Email address", help_text="The link is sent here. The email names nobody.")
    hub = forms.ModelChoiceField(queryset=Hub.objects.none(), label="Hub", empty_label=None)
    role = forms.ChoiceField(label="Role", choices=())

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        hubs = hubs_where_can_invite(user)
        self.fields["hub"].queryset = hubs  # type: ignore[attr-defined]
        allowed: set[str] = set()
        for hub in hubs:
            allowed.update(invitable_roles(user, hub))
        role_field = self.fields["role"]
        assert isinstance(role_field, forms.ChoiceField)
        role_field.choices = choices = [(value, label) for value, label in Role.choices if value in allowed]
        if len(choices) == 1:
            role_field.initial = choices[0][0]


class RoleGrantForm(HubRoleForm):
    """A role for someone who already has an account, in one of the admin's hubs."""

    hub = forms.ModelChoiceField(
        queryset=Hub.objects.none(), label="Hub", empty_label=None, widget=forms.Select(attrs={"class": "form-select"})
    )
    # Organisation admin last: the role to give most rarely, so never the one a slip of the hand picks.
    role = forms.ChoiceField(
        label="Role",
        choices=sorted(Role.choices, key=lambda choice: choice[0] == Role.ORG_ADMIN),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["hub"].queryset = hubs_for(user, [Role.ORG_ADMIN]).order_by("name")  # type: ignore[attr-defined]


class InvitationAcceptForm(forms.Form):
    display_name = forms.CharField(
        label="Your name", max_length=100, help_text="How colleagues will see you. A first name is fine."
    )
    password1 = forms.CharField(
        label="Choose a password", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label="Password again", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "The two passwords don't match.")
        elif p1:
            try:
                password_validation.validate_password(
                    p1, User(email=self.email, display_name=data.get("display_name", ""))
                )
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class HubSettingsForm(forms.Form):
    """A hub's name, the area it covers and its review interval (creating it, or its settings)."""

    name = forms.CharField(
        label="Hub name",
        max_length=200,
        help_text="How staff know the hub: often the town or area it serves.",
        error_messages={"required": "Give the hub a name."},
    )
    area_description = forms.CharField(
        label="Area it covers (optional)",
        max_length=200,
        required=False,
        help_text="A line about where the hub works, such as “the coastal towns east of the river”. Name no one.",
    )
    review_interval_weeks = forms.IntegerField(
        label="Review her assessment every (weeks)",
        min_value=2,
        max_value=52,
        initial=12,
        error_messages=number_errors("Between 2 and 52 weeks."),
    )
    quiet_after_weeks = forms.IntegerField(
        label="Check in with a pair after this many weeks without a session",
        min_value=1,
        max_value=26,
        initial=3,
        required=False,
        help_text="Quiet pairs are shown on the coordinator's home for a gentle check-in; none is ever closed for it.",
        error_messages=number_errors("Between 1 and 26 weeks."),
    )


class HubCreateForm(HubSettingsForm):
    """A new hub, in one of the organisations she administers (chosen only if she has several)."""

    organisation = forms.TypedChoiceField(label="Organisation", coerce=int, choices=())

    field_order = ["organisation", "name", "area_description", "review_interval_weeks", "quiet_after_weeks"]

    def __init__(self, *args: Any, organisations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation_field = self.fields["organisation"]
        assert isinstance(organisation_field, forms.TypedChoiceField)
        organisation_field.choices = organisations
        if len(organisations) == 1:
            del self.fields["organisation"]  # nothing to choose


class PersonEmailForm(forms.Form):
    """An org admin gives someone in her hubs a new address (she lost the old one, or it was mistyped)."""

    email = forms.EmailField(
        label="New email address",
        help_text="She signs in with it from now on. Her old address is told of the change.",
    )

    def __init__(self, *args: Any, person: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if email == self.person.email.lower():
            raise forms.ValidationError("That is already her address.")
        if address_is_taken(email, user=self.person):
            raise forms.ValidationError(ADDRESS_TAKEN)
        return email


class AddEmailForm(AllauthAddEmailForm):
    """Her own change of address (allauth's page): an address another account holds, or one an
    invitation waits for, is refused before any link is sent."""

    def clean_email(self) -> str:
        # Checked before allauth's own checks, which would let another account's address through
        # (to hide that it exists) and send it a link.
        email = self.cleaned_data["email"].strip().lower()
        if address_is_taken(email, user=self.user):  # type: ignore[arg-type]
            raise forms.ValidationError(ADDRESS_TAKEN)
        value: str = super().clean_email()
        return value

    def save(self, request: HttpRequest) -> EmailAddress:
        # Not allauth's `add_new_email`: it takes her latest unverified address to be an earlier
        # change and removes it, and when her current address was never verified (an account
        # made in the admin) that is her login itself, which it would blank.
        EmailAddress.objects.filter(user_id=self.user.pk, verified=False).exclude(  # type: ignore[union-attr]
            email__iexact=self.user.email  # type: ignore[union-attr]
        ).delete()
        address = EmailAddress.objects.create(user=self.user, email=self.cleaned_data["email"])
        address.send_confirmation(request)
        return address


class PasswordResetForm(AllauthResetPasswordForm):
    """A reset link goes to her current address only, never to one she has added and not verified
    (a mistyped new address would otherwise let a stranger reset her password)."""

    users: list[User]  # set by allauth's clean_email

    def clean_email(self) -> str:
        email: str = super().clean_email()
        self.users = [user for user in self.users if user.email.lower() == email.lower()]
        return email
