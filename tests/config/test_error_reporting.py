"""config.error_reporting: off unless SENTRY_DSN is set; when on, a report of a failed request
carries the error's kind, where it was raised, the route and her user id, and nothing typed or
sent: no body, query string, cookies, headers, error message or local variables."""

from __future__ import annotations

import json

import pytest
import sentry_sdk
from django.test import Client
from sentry_sdk.transport import Transport

from config import error_reporting
from tests.config.failing_urls import CANARY
from tests.config.test_settings import production_env, run_manage

DSN = "https://public@o0.ingest.example.invalid/1"


class KeptReports(Transport):
    """Keeps each report instead of sending it."""

    reports: list[dict] = []

    def capture_envelope(self, envelope) -> None:
        for item in envelope.items:
            if item.type == "event":
                KeptReports.reports.append(item.payload.json)


@pytest.fixture
def reporting():
    KeptReports.reports = []
    error_reporting.init(DSN, environment="test", transport=KeptReports)
    yield KeptReports.reports
    sentry_sdk.get_client().close()
    sentry_sdk.init()  # no DSN: reporting off again for the rest of the run


@pytest.mark.django_db
@pytest.mark.urls("tests.config.failing_urls")
def test_a_failed_request_is_reported_without_anything_typed_or_sent(reporting, carys):
    client = Client(raise_request_exception=False)
    client.force_login(carys)
    client.cookies["note"] = CANARY
    response = client.post(
        f"/fail/?q={CANARY}", {"disclosure": CANARY}, headers={"X-Her-Name": CANARY, "Referer": f"/?q={CANARY}"}
    )
    assert response.status_code == 500
    [report] = reporting
    assert CANARY not in json.dumps(report)
    # Of the request, at most how it was asked and its path: no body, query, cookies or headers.
    assert set(report.get("request", {})) <= {"method", "url"}
    assert report.get("request", {}).get("url", "/fail/") == "/fail/"
    # Her id, the route and the request's id (as in the logs), and nothing else of her.
    assert report["user"] == {"id": str(carys.pk)}
    assert report["transaction"] == "fail"
    assert report["tags"]["request_id"] == response["X-Request-ID"]
    [exception] = report["exception"]["values"]
    assert exception["type"] == "ValueError" and exception["value"] == ""
    frames = exception["stacktrace"]["frames"]
    assert frames[-1]["function"] == "fail" and all("vars" not in frame for frame in frames)
    assert "breadcrumbs" not in report and "extra" not in report


def test_reporting_is_off_without_sentry_dsn_and_on_with_it():
    script = "import sentry_sdk; print(sentry_sdk.get_client().is_active())"
    off = run_manage("shell", "-c", script, env=production_env())
    assert off.returncode == 0, off.stderr
    assert off.stdout.strip().splitlines()[-1] == "False"
    on = run_manage("shell", "-c", script, env=production_env(SENTRY_DSN=DSN))
    assert on.returncode == 0, on.stderr
    assert on.stdout.strip().splitlines()[-1] == "True"
