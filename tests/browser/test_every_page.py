"""Every page anyone can open, on a phone and a desktop: axe finds nothing serious, and on a
phone nothing is wider than the screen (the page, or anything scrolling sideways inside it).

The pages come from the access matrix: each route it declares with a GET, opened once, on the
first record it is tried on that someone may open, as the first person the matrix says gets the
page. So a new page is toured here the day it joins the matrix, with the matrix's own records."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page

from tests.access_matrix.checker import Route
from tests.access_matrix.test_matrix import TABLE
from tests.access_matrix.world import World, build_world
from tests.browser.support import TOO_WIDE_JS, VIEWPORTS, serious_axe_violations

pytestmark = pytest.mark.browser

# Who opens a page, when more than one may: the people who use it most first.
FIRST_ASKED = (
    "coordinator",
    "safeguarding_lead",
    "org_admin",
    "decision_maker",
    "mentor_paired",
    "mentor_unpaired",
    "superuser",
)
# The operations admin is Django's own, for the few who run the service from a desktop.
NOT_TOURED = ("admin/",)


@dataclass(frozen=True)
class Stop:
    route: str
    person: str
    url: str


def _stop(route: str, rule: Route, world: World) -> Stop | None:
    assert rule.get is not None
    for state in rule.states(world):
        if state is not None and state.name == "missing":
            continue
        expected = rule.get.expected(state)
        opens = [p for p in FIRST_ASKED if expected.get(p) == 200] or [
            p for p, status in expected.items() if status == 200 and p != "anonymous"
        ]
        if opens:
            url = rule.url(route, state, world)
            query = rule.query(world)
            if query:
                url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
            return Stop(route, opens[0], url)
    return None


def tour(world: World) -> list[Stop]:
    stops = []
    for route, rule in TABLE.items():
        if rule.get is None or route.startswith(NOT_TOURED):
            continue
        if (stop := _stop(route, rule, world)) is not None:
            stops.append(stop)
    return stops


def sign_in_as(page: Page, site: str, world: World, person: str) -> None:
    """Her session, made on the server and handed to the browser: the tour is about the pages,
    and signing in through the forms has its own tests."""
    user = world.people[person]
    assert user is not None
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": site}])


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_every_page_passes_axe_and_fits_a_phone(new_context, site, standard_need_areas, viewport):
    world = build_world()
    stops = tour(world)
    # The tour is the matrix's pages, not a few: a broken walk would pass with none.
    assert len(stops) >= 40, [stop.route for stop in stops]
    page = new_context(**VIEWPORTS[viewport]).new_page()
    too_wide: dict[str, list[dict[str, object]]] = {}
    axe: dict[str, list[str]] = {}
    html_pages = 0
    signed_in_as = None
    for stop in stops:
        if stop.person != signed_in_as:
            sign_in_as(page, site, world, stop.person)
            signed_in_as = stop.person
        response = page.goto(site + stop.url)
        assert response is not None and response.status == 200, f"{stop.route} as {stop.person}: {response}"
        if not (response.headers.get("content-type") or "").startswith("text/html"):
            continue
        html_pages += 1
        if found_by_axe := serious_axe_violations(page):
            axe[stop.route] = found_by_axe
        if viewport == "phone" and (found := page.evaluate(TOO_WIDE_JS)):
            too_wide[stop.route] = found
    assert html_pages >= 40
    assert axe == {}, "axe found serious or critical violations:\n" + "\n".join(
        f"{route}\n" + "\n".join(lines) for route, lines in axe.items()
    )
    assert too_wide == {}, "pages wider than a phone:\n" + "\n".join(
        f"{route}: {found}" for route, found in too_wide.items()
    )
