"""`{{ pk|pk_url:"url_name" }}`: the URL of a one-id route, for long lists of rows.

`{% url %}` walks the resolver on every call, which adds up over a page of many rows. This
reverses the route once per URL configuration and script prefix, then fills the id in. Routes
whose URL doesn't hold the id exactly once, as its own path segment, fall back to `reverse`.
"""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()

_SENTINEL = 987654321


@lru_cache(maxsize=256)
def _pattern(name: str, urlconf: str, prefix: str) -> tuple[str, str] | None:
    """The URL either side of the id, or None if the id isn't one whole path segment."""
    url = reverse(name, args=[_SENTINEL], urlconf=urlconf)
    marker = f"/{_SENTINEL}/"
    if url.count(str(_SENTINEL)) != 1 or marker not in url:
        return None
    before, after = url.split(marker)
    return before + "/", "/" + after


@register.filter
def pk_url(pk: int, name: str) -> str:
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    pattern = _pattern(name, urlconf, get_script_prefix()) if isinstance(urlconf, str) else None
    if pattern is None:
        return reverse(name, args=[pk])
    return f"{pattern[0]}{int(pk)}{pattern[1]}"
