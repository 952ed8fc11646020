from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse

from mentoring.navigation import ROLE_MENUS
from mentoring.policies.people import roles_of


@lru_cache(maxsize=64)
def _menu(roles: frozenset[str], urlconf: str, prefix: str) -> tuple[tuple[str, str], ...]:
    """(label, url) for the roles she holds, each item once, in role order. Every page shows
    the menu, and the roles a person can hold make only a handful of menus: built once each."""
    items: list[tuple[str, str]] = []
    seen: set[str] = set()
    for role, menu in ROLE_MENUS.items():
        if role not in roles:
            continue
        for item in menu:
            if item.url_name in seen:
                continue
            seen.add(item.url_name)
            items.append((item.label, reverse(item.url_name, urlconf=urlconf)))
    return tuple(items)


def navigation(request: HttpRequest) -> dict[str, object]:
    """The menu for the roles she holds, with the page she is on marked."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    menu = _menu(frozenset(roles_of(user)), urlconf, get_script_prefix())
    return {"nav_items": [{"label": label, "url": url, "active": request.path == url} for label, url in menu]}
