"""Session and MFA rules that apply to every request."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import patch_cache_control

from mentoring.policies.people import has_role, is_staff_member
from mentoring.services.people import stash_save

Handler = Callable[[HttpRequest], HttpResponse]

# Writing the session on every request costs a database write; this much slack is harmless.
ACTIVITY_WRITE_INTERVAL = 30


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def _stash_typed_input(request: HttpRequest) -> None:
    """Nothing typed is lost to a timeout: keep the POST of a form view that asks for it."""
    if request.method != "POST":
        return
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        return
    if getattr(view, "keeps_typed_input", False):
        stash_save(user=request.user, path=request.path, data=dict(request.POST.lists()))  # type: ignore[arg-type]


class SessionTimeoutMiddleware:
    """Idle timeout (15 min staff, 30 min mentors by default) and an absolute limit (12 h).

    The limits matter: staff screens hold women's records, often on shared office
    computers; a mentor's phone may be lost or picked up by someone else.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            session = request.session
            now = time.time()
            started = session.get("alongside_started")
            if started is None:
                idle = (
                    settings.SESSION_IDLE_TIMEOUT_STAFF
                    if is_staff_member(user) or not has_role(user, "mentor")
                    else settings.SESSION_IDLE_TIMEOUT_MENTOR
                )
                session["alongside_started"] = started = now
                session["alongside_idle"] = idle.total_seconds()
                session["alongside_seen"] = now
            last_seen = session.get("alongside_seen", now)
            idle_limit = session.get("alongside_idle", settings.SESSION_IDLE_TIMEOUT_STAFF.total_seconds())
            absolute_limit = settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
            if now - last_seen > idle_limit or now - started > absolute_limit:
                _stash_typed_input(request)
                logout(request)
                messages.info(request, "You were signed out to keep things safe. Please sign in again.")
                login_url = reverse(settings.LOGIN_URL) + "?" + urlencode({"next": request.get_full_path()})
                return _redirect(request, login_url)
            if now - last_seen >= ACTIVITY_WRITE_INTERVAL:
                session["alongside_seen"] = now
        return self.get_response(request)


class RequireMFAMiddleware:
    """Sends staff without two-factor authentication to set it up (allauth has no switch for it)."""

    # Her own account pages (MFA set-up, reauthentication, sign-out) stay reachable.
    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz")

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.REQUIRE_MFA
            and request.user.is_authenticated
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and not request.session.get("alongside_mfa_ok")
        ):
            from allauth.mfa.utils import is_mfa_enabled

            if is_mfa_enabled(request.user) or not is_staff_member(request.user):
                request.session["alongside_mfa_ok"] = True
            else:
                messages.info(request, "Set up two-factor authentication to continue. It keeps women's records safe.")
                return _redirect(request, reverse("mfa_activate_totp"))
        return self.get_response(request)


class NoStoreForAuthenticatedMiddleware:
    """Pages for a signed-in person are never kept in a browser or proxy cache."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated or request.path.startswith(("/accounts/", "/invite/")):
            patch_cache_control(response, no_store=True, no_cache=True, private=True, max_age=0)
        return response
