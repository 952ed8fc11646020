"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Playwright can't download a browser on these machines, so the launch arguments point it at
Debian's Chromium (scripts/ensure_chromium.sh installs it). pytest-playwright shares one
browser per session; each test makes its own contexts.
"""

from __future__ import annotations

import os
import shutil
from importlib import import_module

import pytest

from mentoring.models import AccessLog, User
from mentoring.policies.audit import access_log_record
from mentoring.policies.mentees import grant_mentee_view
from mentoring.services.mentees import mentee_create
from tests.browser.support import CAST, PHONE_WIDTH, make_user, watch_width
from tests.factories import HubFactory, OrganisationFactory

# live_server runs in a thread beside sync Playwright (tests/conftest.py sets it too).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ARGS}


@pytest.fixture
def new_context(new_context):
    """pytest-playwright's contexts, where a phone-sized one measures every page it loads: a
    test fails if any page it visited on a phone was wider than the phone, checked by hand or not."""
    watched: list[list[str]] = []

    def make(**kwargs):
        context = new_context(**kwargs)
        if kwargs.get("viewport", {}).get("width", PHONE_WIDTH + 1) <= PHONE_WIDTH:
            watched.append(watch_width(context))
        return context

    yield make
    too_wide = [page for found in watched for page in found]
    assert too_wide == [], f"pages wider than {PHONE_WIDTH} px on a phone: {too_wide}"


@pytest.fixture(scope="module", autouse=True)
def _owner_between_browser_tests(owner_between_transactional_tests):
    """See `owner_between_transactional_tests`: every browser test is transactional."""


@pytest.fixture(autouse=True)
def _app_role_during_the_test(app_role_during_the_test):
    """See `app_role_during_the_test`."""


@pytest.fixture
def site(live_server, django_db_serialized_rollback) -> str:
    """The live server's address, without a trailing slash.

    The live server needs committed data, so these tests are transactional: each ends by
    emptying every table (TRUNCATE), which also wipes what data migrations seeded (the
    standard need areas...). Serialized rollback puts that back before each browser test.
    """
    return live_server.url.rstrip("/")


@pytest.fixture(scope="session", autouse=True)
def _restore_seeded_data_after_the_browser_tests(seeded_data_restored_after_the_run):
    """The browser tests are transactional: see `seeded_data_restored_after_the_run`."""


@pytest.fixture
def cast(transactional_db) -> dict[str, User]:
    """Everyone in one hub (staff with a TOTP secret the tests know), plus a paired mentee
    and an access-log entry, so the homes show their lists and tables, not only empty states."""
    # The rows the migrations seed (the standard need areas) may have gone with an earlier
    # transactional test's TRUNCATE; put them back the way the migration does (idempotent).
    from django.apps import apps

    import_module("mentoring.migrations.0003_standard_need_areas").add_areas(apps, None)
    organisation = OrganisationFactory.create()
    hub = HubFactory.create(organisation=organisation, name="Saltmarsh Bay", slug="saltmarsh-bay")
    people = {key: make_user(part, hub) for key, part in CAST.items()}
    carys = people["coordinator"]
    amber = mentee_create(hub=hub, chosen_name="Amber", legal_name="Amber Example", acting_user=carys)
    grant_mentee_view(people["mentor_paired"], amber)
    access_log_record(user=carys, action=AccessLog.Action.VIEW, obj=amber, hub=hub, reason="Weekly review")
    return people
