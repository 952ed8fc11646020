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
from django.db import connection

from config.database_roles import connected_as, use_credentials
from mentoring.models import AccessLog, User
from mentoring.policies.audit import access_log_record
from mentoring.policies.mentees import grant_mentee_view
from mentoring.services.mentees import mentee_create
from tests.browser.support import CAST, make_user
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


@pytest.fixture(scope="package", autouse=True)
def _owner_between_browser_tests(database_roles):
    """Transactional tests tidy up as the owner; the tests themselves run as the app's role.

    After each transactional test pytest-django empties every table with TRUNCATE, and before
    each serialized one it reloads the seeded rows with save(), which tries an UPDATE first. The
    app's role may do neither to the access log and the history (and TRUNCATE nowhere), rightly.
    So between browser tests the connection is the owner's, and `_app_role_during_the_test` hands
    it to the app's role for each test's own body. Leaving the package, the app's role again.
    """
    use_credentials(connection, database_roles["owner"])
    yield
    use_credentials(connection, database_roles["app"])


@pytest.fixture(autouse=True)
def _app_role_during_the_test(transactional_db, database_roles):
    """Set up after transactional_db, so torn down before its flush: the test, the fixtures after
    this one and the live server's requests run as the app's role; the flush as the owner."""
    use_credentials(connection, database_roles["app"])
    yield
    use_credentials(connection, database_roles["owner"])


@pytest.fixture
def site(live_server, django_db_serialized_rollback) -> str:
    """The live server's address, without a trailing slash.

    The live server needs committed data, so these tests are transactional: each ends by
    emptying every table (TRUNCATE), which also wipes what data migrations seeded (the
    standard need areas...). Serialized rollback puts that back before each browser test.
    """
    return live_server.url.rstrip("/")


@pytest.fixture(scope="session", autouse=True)
def _restore_seeded_data_after_the_browser_tests(database_roles, django_db_blocker):
    """Leave the test database as the migrations made it, for the tests and runs after these.

    The last transactional test leaves every table empty, and `--reuse-db` (in addopts) keeps
    that database for the next run, whose tests would then miss the seeded rows. Django only
    restores serialized contents at the start of the next serialized test, so do it once here.
    """
    yield
    from django.apps import apps
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import DEFAULT_DB_ALIAS

    contents = getattr(connection, "_test_serialized_contents", None)
    if contents is None:
        return
    # TRUNCATE and reloading with save() are the owner's to do (see _owner_between_browser_tests).
    with django_db_blocker.unblock(), connected_as(connection, database_roles["owner"]):
        call_command(
            "flush",
            verbosity=0,
            interactive=False,
            database=DEFAULT_DB_ALIAS,
            reset_sequences=False,
            inhibit_post_migrate=True,
        )
        connection.creation.deserialize_db_from_string(contents)
        # The rows come back with their own ids: move each id sequence past them, as loaddata does.
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True)):
                cursor.execute(sql)


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
