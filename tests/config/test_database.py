"""config.database and the settings' CONN_MAX_AGE: a threaded server (the local demo's runserver)
must not keep a database connection per browser socket, or PostgreSQL runs out of them."""

import http.client
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.db import connection, connections

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
KEPT_ALIVE = 6  # a browser keeps about this many sockets open to one host


def local_conn_max_age() -> int:
    """CONN_MAX_AGE as `make run` sees it: the local settings, the environment's database."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    env.pop("CONN_MAX_AGE", None)
    script = "from django.conf import settings; print(settings.DATABASES['default']['CONN_MAX_AGE'])"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return int(result.stdout.strip().splitlines()[-1])


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture
def threaded_server() -> Iterator[str]:
    """The server runserver runs, in this process: one thread per browser socket."""
    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler)
    server.set_app(WSGIHandler())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def idle_connections() -> int:
    with connection.cursor() as cursor:
        # The test's transaction would otherwise keep reading the activity it first saw.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND state = 'idle' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_the_local_demos_threaded_server_keeps_no_idle_connection_per_open_socket(threaded_server):
    settings_dict = connections["default"].settings_dict  # every thread's connection shares it
    kept = settings_dict["CONN_MAX_AGE"]
    settings_dict["CONN_MAX_AGE"] = local_conn_max_age()
    sockets = [http.client.HTTPConnection(threaded_server, timeout=10) for _ in range(KEPT_ALIVE)]
    try:
        before = idle_connections()
        for socket in sockets:  # each request reads the database (her invitation by its token)
            socket.request("GET", "/invite/not-a-token/", headers={"Host": "testserver"})
            response = socket.getresponse()
            response.read()
            assert response.status < 500
        # The sockets stay open, as a browser's do; their threads wait for the next request.
        deadline = time.monotonic() + 3
        while idle_connections() > before and time.monotonic() < deadline:
            time.sleep(0.1)
        assert idle_connections() <= before
    finally:
        for socket in sockets:
            socket.close()
        settings_dict["CONN_MAX_AGE"] = kept
