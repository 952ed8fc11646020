"""Reading the one-time token a form renders (`{% once_token %}`), as a browser sends it back."""

from __future__ import annotations

import re

from django.test import Client


def form_token(client: Client, page_url: str, action: str | None = None) -> str:
    """The token of the form on `page_url` that posts to `action` (by default, the page itself)."""
    page = client.get(page_url).content.decode()
    for tag, body in re.findall(r"<form([^>]*)>(.*?)</form>", page, re.S):
        form_action = re.search(r'action="([^"]*)"', tag)
        if (form_action.group(1) if form_action else page_url) == (action or page_url):
            token = re.search(r'name="once_token" value="([^"]+)"', body)
            if token:
                return token.group(1)
    raise AssertionError(f"no one-time token in the form posting to {action or page_url}")
