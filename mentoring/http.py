from django.http import HttpRequest

from mentoring.models import User


class AuthedRequest(HttpRequest):
    """A request behind LoginRequiredMiddleware: the user is a real, signed-in User."""

    user: User  # type: ignore[assignment]
