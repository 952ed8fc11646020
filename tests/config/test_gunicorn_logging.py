"""config.gunicorn_settings and gunicorn_logging: the access log keeps paths, never what she
searched for (often a woman's name) or an invitation's one-time token."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from config.log_redaction import redacted_path

ROOT = Path(__file__).resolve().parents[2]
CANARY = "Wrencanary"
TOKEN = "tok3n-never-logged"


def test_redacted_path():
    assert redacted_path(f"/mentees/?q={CANARY}") == "/mentees/"
    assert redacted_path(f"/invite/{TOKEN}/") == "/invite/…/"
    assert redacted_path("/mentees/12/") == "/mentees/12/"


def _database_env(database: dict[str, str]) -> dict[str, str]:
    """The test database for the server process. The embedded PostgreSQL listens on a socket
    directory, which a URL can't carry here: libpq takes it from PGHOST when the URL has no host."""
    host = database["HOST"] or "127.0.0.1"
    if host.startswith("/"):
        return {"DATABASE_URL": f"postgres://{database['USER']}@/{database['NAME']}", "PGHOST": host}
    return {"DATABASE_URL": f"postgres://{database['USER']}@{host}:{database['PORT'] or 5432}/{database['NAME']}"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.django_db
def test_the_served_access_log_holds_no_search_term_or_token():
    database = settings.DATABASES["default"]
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        **_database_env(database),
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
        for path in (f"/mentees/?q={CANARY}", f"/invite/{TOKEN}/"):
            # A redirect to sign in, or no such invitation: the request line is logged either way.
            with contextlib.suppress(urllib.error.HTTPError):
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5)
        time.sleep(0.3)
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=20)
    log = output.decode(errors="replace")
    assert '"GET /mentees/ HTTP/1.1"' in log, log
    assert '"GET /invite/…/ HTTP/1.1" 404' in log, log  # answered from the database: no such invitation
    assert CANARY not in log, [line for line in log.splitlines() if CANARY in line]
    assert TOKEN not in log, [line for line in log.splitlines() if TOKEN in line]
