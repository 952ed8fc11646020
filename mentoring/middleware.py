"""Session and MFA rules that apply to every request, and what a request gets while the cache is down."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urlencode

import redis
from allauth.mfa.utils import is_mfa_enabled
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import CsrfViewMiddleware
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import patch_cache_control

from mentoring.models import User
from mentoring.policies.people import has_role, is_staff_member, two_factor_as_read
from mentoring.services.people import CLEAR_DEVICE_KEY, stash_save

Handler = Callable[[HttpRequest], HttpResponse]
logger = logging.getLogger(__name__)

# Writing the session on every request costs a database write; this much slack is harmless.
ACTIVITY_WRITE_INTERVAL = 30


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def _csrf_ok(request: HttpRequest, view: Callable[..., HttpResponse]) -> bool:
    return CsrfViewMiddleware(lambda _request: HttpResponse()).process_view(request, view, (), {}) is None


def _stash_typed_input(request: HttpRequest) -> None:
    """Nothing typed is lost to a timeout: keep the POST of a form view that asks for it."""
    # A log her phone's queue sends (a JSON post) stays on the phone, which sends it again once she
    # signs in: kept here too, it would come back as a filled-in form holding a log already sent.
    if request.method != "POST" or "application/json" in request.headers.get("Accept", ""):
        return
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        return
    # Only a genuine form post is kept: one without a valid CSRF token is not hers (a forged post
    # must not be stored and shown back to her, filled in, after she signs in).
    if getattr(view, "keeps_typed_input", False) and _csrf_ok(request, view):
        stash_save(user=request.user, path=request.path, data=dict(request.POST.lists()))  # type: ignore[arg-type]


def idle_timeout_for(user: object) -> timedelta:
    """Staff (and anyone without the mentor role) get the shorter limit; volunteer mentors the longer."""
    if is_staff_member(user) or not has_role(user, "mentor"):  # type: ignore[arg-type]
        return settings.SESSION_IDLE_TIMEOUT_STAFF
    return settings.SESSION_IDLE_TIMEOUT_MENTOR


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
                session["alongside_started"] = started = now
                session["alongside_seen"] = now
            last_seen = session.get("alongside_seen", now)
            # Decided on every request from the roles she holds now (read once per request
            # anyway): a mentor made coordinator mid-session gets the staff limit at once.
            idle_limit = idle_timeout_for(user).total_seconds()
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


# Deletes the site's caches, IndexedDB (her mentees' names, unsent logs, drafts) and service
# worker from the browser. Only ever sent when nobody is signed in on it any more.
CLEAR_SITE_DATA = '"cache", "storage"'


class ClearSiteDataMiddleware:
    """When she signs out, and when a phone of someone who may no longer use Alongside (her account
    switched off, her last role taken away) next reaches us, the answer tells the browser to delete
    what the site kept on it.

    A session that merely timed out clears nothing: her unsent logs wait on the phone until she
    signs in again. Signing out with unsent logs is warned of on the page (static/js/offline.js).
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        # Read first: a session whose password hash no longer matches is flushed here, and is only
        # signed out (a password changed on another device clears nothing).
        signed_in = request.user.is_authenticated
        # Her sessions were ended for good (services.people.end_all_sessions), or her account was
        # switched off behind the services' back: the session names someone who can't sign in.
        ended = bool(session.get(CLEAR_DEVICE_KEY)) or ("_auth_user_id" in session and not signed_in)
        if ended:
            session.flush()
        response = self.get_response(request)
        signed_out = (
            request.method == "POST"
            and request.path == reverse("account_logout")
            and not request.user.is_authenticated
            and response.status_code < 400
        )
        if ended or signed_out:
            response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response


class UserSessionActivityMiddleware:
    """Keeps each signed-in device's "last used" (her list of signed-in devices) at most
    ACTIVITY_WRITE_INTERVAL seconds stale.

    allauth's own middleware rewrites the device's row, in a transaction, on every request;
    the device list needs no finer time than the idle timeout keeps. Signing in records the
    device at once (allauth's sign-in signal), so a new device is listed straight away.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and request.session.session_key:
            now = time.time()
            if now - request.session.get("alongside_device_seen", 0) >= ACTIVITY_WRITE_INTERVAL:
                UserSession.objects.create_from_request(request)
                request.session["alongside_device_seen"] = now
        return self.get_response(request)


def _has_two_factor(user: User) -> bool:
    known = two_factor_as_read(user)
    return is_mfa_enabled(user) if known is None else known


class RequireMFAMiddleware:
    """Sends staff without two-factor authentication to set it up (allauth has no switch for it)."""

    # Her own account pages (MFA set-up, reauthentication, sign-out) stay reachable.
    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz", "/readyz")

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Checked on every request, not once per session: her roles can change while she is
        # signed in (a mentor an org admin makes coordinator). Both her roles and whether she
        # has an authenticator came with her account, read for this request.
        if (
            settings.REQUIRE_MFA
            and request.user.is_authenticated
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and is_staff_member(request.user)  # type: ignore[arg-type]
            and not _has_two_factor(request.user)  # type: ignore[arg-type]
        ):
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


class PermissionsPolicyMiddleware:
    """No page needs a camera, microphone, location or payment: say so, so no script can ask."""

    POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()"

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.POLICY)
        return response


# How long to tell her to wait: Redis restarts in seconds, a failover in well under a minute.
CACHE_OUTAGE_RETRY_SECONDS = 60


class CacheOutageMiddleware:
    """While Redis (the shared cache) can't be reached, a request that needs it (signing in,
    whose attempts are counted there, and checking a two-factor code against replays) gets a
    "try again in a minute" page, not a server error. It errs on the side of refusing: without
    the counts, guesses at a password would go unlimited, so nobody signs in until the cache is
    back. People already signed in carry on: their sessions are in PostgreSQL.

    The page is plain HTML, rendered without the site's layout, which could itself need the cache.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, redis.ConnectionError | redis.TimeoutError):
            return None
        logger.warning(
            "cache unreachable: %s answered 503", request.resolver_match.url_name if request.resolver_match else "?"
        )
        response = HttpResponse(render_to_string("503_cache.html"), status=503)
        response["Retry-After"] = str(CACHE_OUTAGE_RETRY_SECONDS)
        return response
