from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest

from mentoring.policies.people import is_staff_member


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """No public sign-up: people join through an invitation from an org admin or coordinator."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False


class StaffKeepMFAAdapter(DefaultMFAAdapter):
    """Staff can't switch off two-factor authentication while the organisation requires it."""

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        if settings.REQUIRE_MFA and authenticator.type == Authenticator.Type.TOTP:
            return not is_staff_member(authenticator.user)
        return True
