"""The mentor's pages as an installable app that works with no signal: the web manifest, the
service worker, the offline shell and the small JSON the phone keeps, and the neutral page her
quick-hide button goes to.

None of the public ones holds personal content: the shell draws her mentees' chosen names from
what her phone stored, and the service worker only ever caches the shell and the site's assets.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

from mentoring.forms.sessions import SessionLogForm
from mentoring.http import AuthedRequest
from mentoring.models import Role
from mentoring.selectors.offline import offline_data_for
from mentoring.views.shared import require_role

SERVICE_WORKER = "vendor/pwa/sw.js"  # built by scripts/build_sw.mjs
SHELL = "mentoring/offline/shell.html"
# Where scripts/build_sw.mjs left the shell's revision and STATIC_URL for the server to fill in.
SHELL_REVISION = b"__ALONGSIDE_SHELL_REVISION__"
STATIC_URL = b"__ALONGSIDE_STATIC_URL__"


@login_not_required
@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    """Public: browsers fetch a manifest without her cookies."""
    home = reverse("mentor_home")
    icons = [
        {"src": static("img/icon.svg"), "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
        {"src": static("vendor/pwa/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
        {"src": static("vendor/pwa/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
        {
            "src": static("vendor/pwa/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    body = {
        "id": home,
        "name": "Alongside",
        "short_name": "Alongside",
        "start_url": home,
        "scope": home,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#5b2a6e",
        "icons": icons,
    }
    return JsonResponse(body, content_type="application/manifest+json")


def _service_worker_source() -> bytes:
    found = finders.find(SERVICE_WORKER)
    if isinstance(found, str):
        with open(found, "rb") as built:
            return built.read()
    if staticfiles_storage.exists(SERVICE_WORKER):
        with staticfiles_storage.open(SERVICE_WORKER) as collected:
            return collected.read()
    raise Http404("The service worker isn't built: run scripts/build_assets.py.")


def _shell_context() -> dict[str, object]:
    # Rendered as for nobody (no menu, no token, no messages): the service worker keeps it.
    return {"user": AnonymousUser(), "nav_items": [], "messages": [], "csrf_token": ""}


@login_not_required
@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """Served under /mentor/ (not /static/) so that its scope is her pages, and only hers.

    The shell's revision is the hash of the shell as rendered now (templates, asset URLs): when it
    changes, so does the worker, and phones fetch the new shell."""
    shell = render_to_string(SHELL, _shell_context(), request=request)
    revision = hashlib.sha256(shell.encode()).hexdigest()[:16].encode()
    source = _service_worker_source().replace(SHELL_REVISION, revision)
    source = source.replace(STATIC_URL, settings.STATIC_URL.encode())
    response = HttpResponse(source, content_type="application/javascript")
    response["Service-Worker-Allowed"] = reverse("mentor_home")
    # The browser checks for a new worker on every visit; an old one must not linger in a cache.
    response["Cache-Control"] = "no-cache"
    return response


@login_not_required
@require_GET
def offline_shell(request: HttpRequest) -> HttpResponse:
    """The page her phone shows with no signal: the names come from the phone's own store."""
    return render(request, SHELL, _shell_context())


def _form_words() -> dict[str, dict[str, str]]:
    """The log form's labels and help, so the shell's form asks what the server's form asks."""
    return {
        name: {"label": str(field.label), "help": str(field.help_text)}
        for name, field in SessionLogForm.base_fields.items()
        if name != "client_id"
    }


@require_GET
def offline_data(request: AuthedRequest) -> HttpResponse:
    """What her phone keeps (see selectors.offline), the log form's words, and a fresh CSRF token
    for sending her queued logs from the shell, whose own HTML has none."""
    require_role(request, Role.MENTOR)
    body = {**offline_data_for(user=request.user), "form": _form_words(), "csrf_token": get_token(request)}
    return JsonResponse(body)


@login_not_required
@require_GET
def neutral_page(request: HttpRequest) -> HttpResponse:
    """Where quick-hide goes: an ordinary page that says nothing about mentoring or anyone."""
    return render(request, "mentoring/offline/neutral.html")
