"""What every page downloads (templates/base.html): the built Bootstrap subset, deferred scripts,
and htmx only where a page opts in (templates/_htmx.html), since a mentor on a phone with poor
signal waits for every byte."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.middleware.csrf import get_token
from django.template import engines
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
HX_ATTRIBUTE = re.compile(r"\shx-[a-z-]+\s*=")
OPTS_IN = re.compile(r"{%\s*block htmx\s*%}\s*{%\s*include\s+['\"]_htmx\.html['\"]\s*%}")
SCRIPT = re.compile(r"<script\b[^>]*>")
COMMENT = re.compile(r"{#.*?#}|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S)


def scripts(page: str) -> list[str]:
    return SCRIPT.findall(page)


@pytest.mark.django_db
def test_pages_that_use_no_htmx_do_not_load_it(client, carys, dee):
    pages = [(None, reverse("account_login")), (carys, reverse("coordinator_home")), (dee, reverse("mentor_home"))]
    for user, url in pages:
        if user is not None:
            client.force_login(user)
        page = client.get(url).content.decode()
        assert "htmx" not in page, url
        assert " hx-" not in page, url
        assert [tag for tag in scripts(page) if "defer" not in tag] == [], f"{url}: a script that blocks rendering"
        assert any("vendor/bootstrap/bootstrap.min.js" in tag for tag in scripts(page)), url


def test_every_template_with_htmx_attributes_opts_in_and_no_other_does():
    """A template using hx- attributes loads htmx through the block (with its CSRF header);
    one that doesn't use them doesn't load it."""
    for path in TEMPLATES.rglob("*.html"):
        text = COMMENT.sub("", path.read_text())
        name = str(path.relative_to(TEMPLATES))
        if name == "_htmx.html":
            continue
        if HX_ATTRIBUTE.search(text):
            assert OPTS_IN.search(text), f"{name} uses htmx: add {{% block htmx %}}{{% include '_htmx.html' %}}"
        else:
            assert "_htmx.html" not in text and "htmx.min.js" not in text, f"{name} loads htmx without using it"


@pytest.mark.django_db
def test_a_page_that_opts_in_loads_htmx_and_sends_the_csrf_token(rf, carys):
    request = rf.get("/")
    request.user = carys
    get_token(request)
    template = engines["django"].from_string(
        "{% extends 'base.html' %}{% block htmx %}{% include '_htmx.html' %}{% endblock htmx %}"
    )
    page = template.render({}, request)
    assert OPTS_IN.search("{% block htmx %}{% include '_htmx.html' %}")
    assert any("vendor/htmx/htmx.min.js" in tag and "defer" in tag for tag in scripts(page))
    meta = re.search(r'<meta name="csrf-token" content="([^"]+)">', page)
    assert meta is not None and meta.group(1), "no CSRF token for htmx's requests"
    assert '"allowEval": false' in page and '"includeIndicatorStyles": false' in page  # CSP: no eval, no inline style
