"""The local demo: `make run`. Not for real people's data."""

from cryptography.fernet import Fernet

from config.database import database_config, database_roles

from .base import *  # noqa: F403
from .base import BASE_DIR, INSTALLED_APPS, LOGGING, env

DATABASES = {"default": database_config(env, embedded=True)}
# The app's role (DATABASES) and the schema's owner (MIGRATE_DATABASE_URL), who runs migrations
# and grants the app's role its rights; None when one role does both (see config/database_roles.py).
DATABASE_ROLES = database_roles(env, DATABASES["default"])

DEBUG = env.bool("DEBUG", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
REQUIRE_MFA = env.bool("REQUIRE_MFA", default=False)  # off only in the local demo
# runserver gives each browser connection its own thread, and a thread keeps its database
# connection while the browser keeps the socket open: kept between requests, they pile up until
# PostgreSQL refuses new ones. Closed after each request, the demo holds one per request running.
# (gunicorn's sync workers, in production, each keep one: see config/database.py.)
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)


def _local_secret(name: str, make: "type[object] | None" = None) -> str:
    """A per-clone secret kept in .run/ (git-ignored), so the demo never ships a fixed one."""
    path = BASE_DIR / ".run" / name
    path.parent.mkdir(exist_ok=True)
    if not path.exists():
        path.write_text(Fernet.generate_key().decode())
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env.str("SECRET_KEY", default="") or _local_secret("secret_key")
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[]) or [_local_secret("field_key")]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DEMO_MODE = True
# Fictional data and `seed_demo`; production settings don't install it and the image doesn't ship it.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]
# runserver prints a line per request of its own; the app's request line is for production.
LOGGING["loggers"]["alongside.request"]["level"] = env.str("REQUEST_LOG_LEVEL", default="WARNING")  # type: ignore[index]
