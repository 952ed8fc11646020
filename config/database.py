"""Database settings: DATABASE_URL when set, otherwise an embedded PostgreSQL.

The embedded server (pgserver) lets a fresh clone run with no set-up. Its data
directory lives inside the project (git-ignored) because pgserver, run as root,
opens read/execute on every parent folder of it.
"""

import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import environ

PROJECT_DIR = Path(__file__).resolve().parent.parent
EMBEDDED_DATA_DIR = PROJECT_DIR / ".pgdata"


def embedded_database_url() -> str:
    """Start (or reuse) the embedded server and return its URL.

    cleanup_mode=None keeps the server running across processes (runserver's
    reloader, pytest, gunicorn workers); `make stop` stops it with pg_ctl.
    """
    runtime = PROJECT_DIR / ".run"
    runtime.mkdir(exist_ok=True)
    runtime.chmod(0o700)  # XDG_RUNTIME_DIR must be private
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime))
    import pgserver

    server = pgserver.get_server(EMBEDDED_DATA_DIR, cleanup_mode=None)
    return str(server.get_uri())


def database_config(env: environ.Env) -> dict[str, Any]:
    url = env.str("DATABASE_URL", default="")
    if url:
        config: dict[str, Any] = env.db_url_config(url)
    else:
        # pgserver gives postgresql://postgres:@/postgres?host=<socket dir>;
        # Django wants the socket directory in HOST.
        parsed = urlparse(embedded_database_url())
        config = {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "postgres",
            "USER": parsed.username or "postgres",
            "PASSWORD": "",
            "HOST": parse_qs(parsed.query)["host"][0],
            "PORT": "",
        }
    config.setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    config["CONN_HEALTH_CHECKS"] = True
    config["ATOMIC_REQUESTS"] = False
    return config
