from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.auth_backends import AuthenticationBackend
from allauth.account.models import EmailAddress
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest

from mentoring.fields import decrypt, encrypt
from mentoring.models import User
from mentoring.policies.people import ADDRESS_TAKEN, address_is_taken, is_staff_member, user_for_request
from mentoring.services.people import email_changed_by_self, failed_sign_in_noted


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """No public sign-up: people join through an invitation from an org admin or coordinator."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        """After a few failed sign-ins to her account, tell her (once in the window): she may be
        the one mistyping, or someone may be guessing. The email names nobody and no address."""
        email = str(credentials.get("email") or "").strip().lower()
        if email:
            failed_sign_in_noted(email=email)

    def confirm_email(self, request: HttpRequest, email_address: EmailAddress) -> bool:
        """Her new address takes over only if, when she opens the link, nobody else holds it and
        no invitation waits for it: either could have happened since she asked for the change."""
        if address_is_taken(email_address.email, user=email_address.user):  # type: ignore[arg-type]
            messages.error(request, ADDRESS_TAKEN)
            return False
        old_email = email_address.user.email  # type: ignore[attr-defined]
        confirmed = super().confirm_email(request, email_address)
        if confirmed and old_email.lower() != email_address.email.lower():
            email_changed_by_self(user=email_address.user, old_email=old_email)  # type: ignore[arg-type]
        return confirmed


class CurrentAddressBackend(AuthenticationBackend):
    """Sign-in by her current address only. allauth's backend also accepts any address she has
    added, verified or not, so a new address would be her login before its link was opened (and a
    mistyped one would be someone else's way to try her password)."""

    def get_user(self, user_id: Any) -> AbstractBaseUser | None:
        user = user_for_request(user_id)
        return user if self.user_can_authenticate(user) else None

    def _authenticate_by_email(self, email: str, password: str) -> AbstractBaseUser | None:
        # No such account: `authenticate` hashes the password anyway, so timing tells nothing.
        user = User.objects.filter(email__iexact=email.strip()).first() if email else None
        return self._check_password(user, password)


class StaffKeepMFAAdapter(DefaultMFAAdapter):
    """Staff can't switch off two-factor authentication while the organisation requires it, and the
    authenticators' secrets (the TOTP key, the recovery codes' seed) are stored encrypted with the
    field keys: a copy of the database alone can't make anyone's codes."""

    def encrypt(self, text: str) -> str:
        return encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt(encrypted_text)

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        if settings.REQUIRE_MFA and authenticator.type == Authenticator.Type.TOTP:
            return not is_staff_member(authenticator.user)
        return True
