"""Database settings: DATABASE_URL when set, otherwise an embedded PostgreSQL; and the two roles.

The web and worker processes connect as the app's role (DATABASE_URL). Migrations run as the
role that owns the schema (MIGRATE_DATABASE_URL), which grants the app's role only what it needs:
`config/database_roles.py` says what and why.

The embedded server (pgserver) lets a fresh clone run with no set-up. Its data
directory lives inside the project (git-ignored) because pgserver, run as root,
opens read/execute on every parent folder of it.
"""

import os
from pathlib import Path
from typing import Any, TypedDict
from urllib.parse import parse_qs, urlparse

import environ
from django.core.exceptions import ImproperlyConfigured

PROJECT_DIR = Path(__file__).resolve().parent.parent
EMBEDDED_DATA_DIR = PROJECT_DIR / ".pgdata"
# The embedded server's own superuser owns the demo's tables (as it always has, so an existing
# .pgdata keeps working); the app connects as this role, which owns nothing.
EMBEDDED_OWNER = "postgres"
EMBEDDED_APP_ROLE = "alongside_app"


class Credentials(TypedDict):
    USER: str
    PASSWORD: str


class DatabaseRoles(TypedDict):
    owner: Credentials  # migrations
    app: Credentials  # web and worker


def embedded_database_url() -> str:
    """Start (or reuse) the embedded server, make sure the app's role exists, return its URL.

    cleanup_mode=None keeps the server running across processes (runserver's
    reloader, pytest, gunicorn workers); `make stop` stops it with pg_ctl.
    """
    runtime = PROJECT_DIR / ".run"
    runtime.mkdir(exist_ok=True)
    runtime.chmod(0o700)  # XDG_RUNTIME_DIR must be private
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime))
    import pgserver

    server = pgserver.get_server(EMBEDDED_DATA_DIR, cleanup_mode=None)
    uri = str(server.get_uri())
    _ensure_embedded_app_role(uri)
    return uri


def _ensure_embedded_app_role(uri: str) -> None:
    """The embedded server's counterpart of scripts/postgres-init/app-role.sh.

    No password: pgserver trusts every connection over its socket (it listens on no IP address).
    Several processes start at once (the test runner, runserver's reloader), so a role another
    one has just created is not an error.
    """
    import psycopg

    with psycopg.connect(uri, autocommit=True) as conn:
        conn.execute(
            f"""DO $$ BEGIN
                  CREATE ROLE {EMBEDDED_APP_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
                EXCEPTION WHEN duplicate_object THEN NULL;
                END $$"""
        )


def database_config(env: environ.Env, *, embedded: bool) -> dict[str, Any]:
    """The app's connection: DATABASE_URL, or (where `embedded` allows, the local demo and the
    tests) the embedded server as its app role. Production has no fallback: without
    DATABASE_URL it refuses to start rather than start a server of its own, and writes nothing."""
    url = env.str("DATABASE_URL", default="")
    if url:
        config: dict[str, Any] = env.db_url_config(url)
    elif not embedded:
        raise ImproperlyConfigured("DATABASE_URL must be set: production never starts a database of its own.")
    else:
        # pgserver gives postgresql://postgres:@/postgres?host=<socket dir>;
        # Django wants the socket directory in HOST.
        parsed = urlparse(embedded_database_url())
        config = {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "postgres",
            "USER": EMBEDDED_APP_ROLE,
            "PASSWORD": "",
            "HOST": parse_qs(parsed.query)["host"][0],
            "PORT": "",
        }
    # Kept open between requests: gunicorn's sync workers serve one request at a time, so each
    # process holds one connection (WEB_CONCURRENCY in all, plus the worker's). A threaded server
    # (runserver, local settings) must close it after each request instead.
    config.setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    config["CONN_HEALTH_CHECKS"] = True
    config["ATOMIC_REQUESTS"] = False
    return config


def database_roles(env: environ.Env, app: dict[str, Any]) -> DatabaseRoles | None:
    """The owner's and the app's credentials, or None when only one role is configured.

    MIGRATE_DATABASE_URL must reach the same database as DATABASE_URL, as another role: only the
    user and password may differ, so a migration can never land in a database the app doesn't use.
    """
    app_credentials = Credentials(USER=app["USER"], PASSWORD=app["PASSWORD"])
    url = env.str("MIGRATE_DATABASE_URL", default="")
    if not env.str("DATABASE_URL", default=""):
        if url:
            raise ImproperlyConfigured("MIGRATE_DATABASE_URL is set but DATABASE_URL is not.")
        return DatabaseRoles(owner=Credentials(USER=EMBEDDED_OWNER, PASSWORD=""), app=app_credentials)
    if not url:
        return None
    owner = env.db_url_config(url)
    for key in ("ENGINE", "NAME", "HOST", "PORT"):
        if owner.get(key) != app.get(key):
            raise ImproperlyConfigured(f"MIGRATE_DATABASE_URL and DATABASE_URL differ in {key.lower()}.")
    if owner["USER"] == app["USER"]:
        raise ImproperlyConfigured(
            "MIGRATE_DATABASE_URL and DATABASE_URL name the same role: the app's role must not own its tables."
        )
    return DatabaseRoles(owner=Credentials(USER=owner["USER"], PASSWORD=owner["PASSWORD"]), app=app_credentials)
