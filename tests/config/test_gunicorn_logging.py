"""config.gunicorn_settings and gunicorn_logging: the access log keeps paths, never what she
searched for (often a woman's name) or an invitation's one-time token."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from config.log_redaction import redacted_path
from tests.network import database_env, free_port

ROOT = Path(__file__).resolve().parents[2]
CANARY = "Wrencanary"
TOKEN = "tok3n-never-logged"


def test_redacted_path():
    assert redacted_path(f"/mentees/?q={CANARY}") == "/mentees/"
    assert redacted_path(f"/invite/{TOKEN}/") == "/invite/…/"
    assert redacted_path("/mentees/12/") == "/mentees/12/"


def serve_and_ask(*paths: str, log_format: str) -> str:
    """Serve the app with the image's gunicorn configuration, ask for each path, return the log."""
    database = settings.DATABASES["default"]
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "LOG_FORMAT": log_format,
        **database_env(database),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:config.gunicorn_settings", "config.wsgi:application"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        for path in paths:
            # A redirect to sign in, or no such invitation: the request is logged either way.
            with contextlib.suppress(urllib.error.HTTPError):
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5)
        time.sleep(0.3)
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=20)
    return output.decode(errors="replace")


@pytest.mark.django_db
def test_the_served_access_log_holds_no_search_term_or_token():
    log = serve_and_ask(f"/mentees/?q={CANARY}", f"/invite/{TOKEN}/", log_format="plain")
    assert '"GET /mentees/ HTTP/1.1"' in log, log
    assert '"GET /invite/…/ HTTP/1.1" 404' in log, log  # answered from the database: no such invitation
    assert CANARY not in log, [line for line in log.splitlines() if CANARY in line]
    assert TOKEN not in log, [line for line in log.splitlines() if TOKEN in line]


@pytest.mark.django_db
def test_production_logs_are_one_json_object_a_line_with_the_request_and_nothing_typed():
    """Each line parses as JSON; each request has its line with its id, route name, status and
    time; no line holds the search term or the invitation token."""
    log = serve_and_ask(f"/mentees/?q={CANARY}", f"/invite/{TOKEN}/", log_format="json")
    lines = [json.loads(line) for line in log.splitlines() if line.strip()]
    requests = {line["route"]: line for line in lines if line["logger"] == "alongside.request" and "route" in line}
    assert requests["mentee_list"]["status"] == 302 and requests["mentee_list"]["method"] == "GET"
    assert requests["invitation_accept"]["status"] == 404
    for line in requests.values():
        assert len(line["request_id"]) == 32 and line["duration_ms"] >= 0
    assert any(line["logger"].startswith("gunicorn") for line in lines)  # gunicorn's own lines are JSON too
    assert CANARY not in log and TOKEN not in log
