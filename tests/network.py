"""Helpers for tests that start a server of their own (gunicorn, a Celery worker, a private Redis)."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote


def free_port() -> int:
    """A port on 127.0.0.1 nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def redis_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@contextlib.contextmanager
def private_redis() -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A redis-server of the test's own on a free port, keeping nothing on disk: its URL and
    process. Stopped on leaving, if the test hasn't stopped it already."""
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            if redis_answers(port):
                break
            time.sleep(0.05)
        assert redis_answers(port), "the private redis-server did not start"
        yield f"redis://127.0.0.1:{port}/0", server
    finally:
        if server.poll() is None:
            server.kill()
        server.wait(timeout=10)


def database_env(database: dict[str, Any]) -> dict[str, str]:
    """The test database, as the environment of a process the test starts (DATABASE_URL, as the
    role the test's connection uses). The embedded PostgreSQL listens on a socket directory, which
    a URL can't carry here: libpq takes it from PGHOST when the URL has no host."""
    user = quote(database["USER"], safe="")
    if database.get("PASSWORD"):
        user += ":" + quote(database["PASSWORD"], safe="")
    host = database["HOST"] or "127.0.0.1"
    if host.startswith("/"):
        return {"DATABASE_URL": f"postgres://{user}@/{database['NAME']}", "PGHOST": host}
    return {"DATABASE_URL": f"postgres://{user}@{host}:{database['PORT'] or 5432}/{database['NAME']}"}
