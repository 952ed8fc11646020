from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """No public sign-up: people join through an invitation from an org admin or coordinator."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False
