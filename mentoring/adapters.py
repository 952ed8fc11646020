from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest

from mentoring.fields import decrypt, encrypt
from mentoring.policies.people import is_staff_member
from mentoring.services.people import failed_sign_in_noted


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
