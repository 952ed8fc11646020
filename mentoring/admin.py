"""Operations admin (superusers only). Confidential records are not registered here:
running the system gives no right to read a woman's record."""

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.admin import UserSessionAdmin as UserSessionAdminBase
from allauth.usersessions.models import UserSession
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.http import HttpRequest

from mentoring.models import AccessLog, Hub, Membership, Organisation, User
from mentoring.policies.people import ADDRESS_TAKEN, address_is_taken
from mentoring.services.people import (
    account_deactivated_by_operations,
    email_set_by_operations,
    password_set_by_operations,
)


class MembershipInline(admin.TabularInline):
    """Read only: roles are given in the app, by an org admin (the first one by the
    `create_org_admin` command), never by whoever runs the system."""

    model = Membership
    fk_name = "user"
    extra = 0
    fields = ["hub", "role", "created_at"]
    readonly_fields = ["hub", "role", "created_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AddressCheck(forms.ModelForm):
    """An address another account holds, or one an invitation waits for, is refused here too."""

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip().lower()
        if "email" in self.changed_data and address_is_taken(email, user=self.instance):
            raise forms.ValidationError(ADDRESS_TAKEN)
        return email


class UserAdminChangeForm(AddressCheck, UserChangeForm):  # type: ignore[type-arg]
    pass


class UserAdminCreationForm(AddressCheck, AdminUserCreationForm):  # type: ignore[type-arg]
    pass


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserAdminChangeForm
    add_form = UserAdminCreationForm
    ordering = ["email"]
    list_display = ["email", "display_name", "is_active", "is_staff"]
    search_fields = ["email", "display_name"]
    fieldsets = (
        (None, {"fields": ("email", "password", "display_name")}),
        ("Status", {"fields": ("is_active", "is_staff", "is_superuser")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    list_filter = ["is_active", "is_staff"]
    inlines = [MembershipInline]

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        deactivating = change and "is_active" in form.changed_data and not obj.is_active
        new_email = obj.email if change and "email" in form.changed_data else None
        if new_email is not None:
            # The service makes the change (her sign-in addresses with it), logs it and tells the
            # old address: saving the field alone would do none of that.
            obj.email = form.initial["email"]
        super().save_model(request, obj, form, change)
        if new_email is not None:
            email_set_by_operations(user=obj, email=new_email, acting_user=request.user)  # type: ignore[arg-type]
        if deactivating:
            account_deactivated_by_operations(user=obj, acting_user=request.user)  # type: ignore[arg-type]

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> Any:
        """Allowed (a locked-out person needs it), but never silent: logged, and she is told."""
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            person = User.objects.filter(pk=id).first()
            if person is not None:
                password_set_by_operations(user=person, acting_user=request.user)  # type: ignore[arg-type]
        return response


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]


@admin.register(Hub)
class HubAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "slug"]
    list_filter = ["organisation"]


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only: the database refuses changes anyway."""

    list_display = ["at", "user", "action", "object_type", "object_id", "hub"]
    list_filter = ["action", "object_type"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# allauth's authenticator admin would show TOTP keys and recovery-code seeds (even encrypted, they
# are nobody's to read); a lost authenticator is reset by `manage.py reset_mfa`, which tells her.
if admin.site.is_registered(Authenticator):
    admin.site.unregister(Authenticator)

# allauth's address admin would let operations give anyone any address, verified, with no check,
# no log and nobody told: an address is changed on the person's page, through the service.
if admin.site.is_registered(EmailAddress):
    admin.site.unregister(EmailAddress)


class UserSessionAdmin(UserSessionAdminBase):
    """allauth's, searching by email: users here have no username (its search answered 500)."""

    search_fields = ["user__email", "ip"]


if admin.site.is_registered(UserSession):
    admin.site.unregister(UserSession)
admin.site.register(UserSession, UserSessionAdmin)
