"""Production: every secret from the environment, no defaults, fail loudly at start."""

from urllib.parse import urlsplit

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.http.request import validate_host

from config.database import database_config, database_roles

from .base import *  # noqa: F403
from .base import LOGGING, REDIS_CACHE_OPTIONS, env

DEBUG = False
DATABASES = {"default": database_config(env, embedded=False)}
# The app's role (DATABASES) and the schema's owner (MIGRATE_DATABASE_URL), who runs migrations
# and grants the app's role its rights; None when one role does both (see config/database_roles.py).
DATABASE_ROLES = database_roles(env, DATABASES["default"])
# `migrate` runs only with MIGRATE_DATABASE_URL (the schema's owner): web and worker don't get it.
MIGRATIONS_NEED_OWNER = True
SECRET_KEY = env.str("SECRET_KEY")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured("SECRET_KEY must be a long random value (50+ characters).")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the site's hosts.")
CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS]

FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS")
for _key in FIELD_ENCRYPTION_KEYS:
    try:
        Fernet(_key)
    except ValueError as exc:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must be Fernet keys.") from exc
if not FIELD_ENCRYPTION_KEYS:
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must hold at least one key.")

# Logs: one JSON object a line unless told otherwise (config/request_log.py).
LOG_FORMAT = env.str("LOG_FORMAT", default="json")
if LOG_FORMAT not in ("json", "plain"):
    raise ImproperlyConfigured("LOG_FORMAT must be json or plain.")
LOGGING["handlers"]["console"]["formatter"] = LOG_FORMAT  # type: ignore[index]

REDIS_URL = env.str("REDIS_URL")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": REDIS_CACHE_OPTIONS,
    }
}
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_ALWAYS_EAGER = False
vars().update(env.email_url("EMAIL_URL"))
REQUIRE_MFA = env.bool("REQUIRE_MFA", default=True)
if not REQUIRE_MFA:
    # Staff screens hold women's records: a password alone is not enough, whatever .env says.
    raise ImproperlyConfigured("REQUIRE_MFA can't be switched off in production.")
# Links in emails (invitations) are built from this, never from a request's Host header: the
# worker that sends them has no request, and a Host header is whatever the client sent.
SITE_URL = env.str("SITE_URL").rstrip("/")
_site = urlsplit(SITE_URL)
if _site.scheme != "https" or not validate_host(_site.hostname or "", ALLOWED_HOSTS) or _site.path:
    raise ImproperlyConfigured("SITE_URL must be the site's https:// address, on one of ALLOWED_HOSTS.")

# The documented set-up has one TLS proxy in front: sign-in limits count the client's address.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"

# Error reports go to Sentry only when SENTRY_DSN is set, stripped of anything typed or sent
# (config/error_reporting.py).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from config import error_reporting

    error_reporting.init(
        SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        release=env.str("SENTRY_RELEASE", default=""),
    )
