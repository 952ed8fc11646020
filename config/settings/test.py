"""Test settings: real PostgreSQL (DATABASE_URL or embedded), fast hashing, mail kept in memory."""

from cryptography.fernet import Fernet

from config.database import database_config, database_roles

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, env

DATABASES = {"default": database_config(env, embedded=True)}
# The app's role (DATABASES) and the schema's owner (MIGRATE_DATABASE_URL), who runs migrations
# and grants the app's role its rights; None when one role does both (see config/database_roles.py).
DATABASE_ROLES = database_roles(env, DATABASES["default"])
DEBUG = False
if DATABASE_ROLES is not None:
    # pytest-django creates and migrates the test database as the owner; tests/conftest.py
    # (django_db_setup) then switches the suite's connection to the app's role.
    DATABASES["default"].update(DATABASE_ROLES["owner"])
SECRET_KEY = "test-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[]) or [Fernet.generate_key().decode()]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
REQUIRE_MFA = True
# Tests count on a fresh rate-limit and replay state per process, not one shared with other runs.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DEMO_MODE = True
# Fictional data and `seed_demo`; production settings don't install it and the image doesn't ship it.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]
# Serve static files from the source folders (no collectstatic in tests).
STATIC_ROOT = None  # type: ignore[assignment]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
