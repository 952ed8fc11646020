from django.http import HttpRequest
from django.urls import reverse

from mentoring import policies
from mentoring.navigation import ROLE_MENUS


def navigation(request: HttpRequest) -> dict[str, object]:
    """The menu for the roles she holds: each item once, in role order."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    held = policies.roles_of(user)
    items: list[dict[str, object]] = []
    seen: set[str] = set()
    for role, menu in ROLE_MENUS.items():
        if role not in held:
            continue
        for item in menu:
            if item.url_name in seen:
                continue
            seen.add(item.url_name)
            url = reverse(item.url_name)
            items.append({"label": item.label, "url": url, "active": request.path == url})
    return {"nav_items": items}
