"""Settings shared by every environment. Everything that differs comes from the environment."""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
DEMO_MODE = False  # local and test settings turn this on; it allows seed_demo
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",  # allauth's MFA pages need it
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "guardian",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "csp",
    "pgtrigger",
    "pghistory",
    "mentoring",
    "safeguarding",
    "funding",
]

MIDDLEWARE = [
    # Outermost: every log line of a request carries its id, and one line says how it went.
    "config.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Signing out, or a phone whose account was switched off: its browser deletes the site's data.
    "mentoring.middleware.ClearSiteDataMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "mentoring.middleware.SessionTimeoutMiddleware",
    # Records the acting user (and URL: ids only, never names) with every history event.
    "pghistory.middleware.HistoryMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Her signed-in devices, "last used" kept to the minute (allauth's writes it on every request).
    "mentoring.middleware.UserSessionActivityMiddleware",
    "mentoring.middleware.RequireMFAMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "mentoring.middleware.NoStoreForAuthenticatedMiddleware",
    "mentoring.middleware.PermissionsPolicyMiddleware",
    # Innermost, so it sees a view's exception first: a cache outage answers "try again in a minute".
    "mentoring.middleware.CacheOutageMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "mentoring.context_processors.navigation",
            ],
        },
    },
]

# DATABASES and DATABASE_ROLES are each settings module's own: the local demo and the tests may
# start an embedded PostgreSQL, production may not (config/database.py).
# Production refuses to migrate without the owner's URL rather than try as the app's role.
MIGRATIONS_NEED_OWNER = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "mentoring.User"
AUTHENTICATION_BACKENDS = [
    "mentoring.adapters.CurrentAddressBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# --- allauth: email login, no public sign-up (people join by invitation) ---
ACCOUNT_ADAPTER = "mentoring.adapters.InvitationOnlyAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"  # the invitation link already proves the address
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Alongside] "
# Her own address changes only after she gives her password again, and takes over as her login
# only once she opens the link sent to it; an address another account holds, or an invitation
# waits for, is refused (mentoring/forms/people.py, adapters.py). One address per account.
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_FORMS = {
    "add_email": "mentoring.forms.people.AddEmailForm",
    "reset_password": "mentoring.forms.people.PasswordResetForm",
}
# allauth's defaults, stated so that nobody loosens them by accident. They count
# in the cache, which is Redis (shared between workers) wherever REDIS_URL is set.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    # Per address, then per account. The account limit is far above what one address can reach
    # (60 an hour), so nobody can lock a named colleague out from her desk; it only stops a guess
    # spread over many addresses. She is emailed after a few failures (adapters.py).
    "login_failed": "5/5m/ip,100/h/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}
MFA_ADAPTER = "mentoring.adapters.StaffKeepMFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Alongside"
USERSESSIONS_TRACK_ACTIVITY = True
REQUIRE_MFA = env.bool("REQUIRE_MFA", default=True)

# --- sessions: idle timeouts per role, an absolute limit, cookies that don't travel ---
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Messages name people ("Ros can sign in again."): kept in her session in PostgreSQL, never in a
# cookie the browser holds (Django's default tries a cookie first).
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_IDLE_TIMEOUT_STAFF = timedelta(minutes=env.int("SESSION_IDLE_MINUTES_STAFF", default=15))
SESSION_IDLE_TIMEOUT_MENTOR = timedelta(minutes=env.int("SESSION_IDLE_MINUTES_MENTOR", default=30))
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=env.int("SESSION_ABSOLUTE_HOURS", default=12))
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True

# --- confidentiality ---
# Several keys, newest first: new writes use the first, reads try each (rotation).
FIELD_ENCRYPTION_KEYS: list[str] = env.list("FIELD_ENCRYPTION_KEYS", default=[])
GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user object, anonymous sees nothing
PGHISTORY_APPEND_ONLY = True

# --- security headers on every response ---
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # allauth renders the TOTP QR code as a data: URI; Bootstrap's icons are data: SVGs
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- cache (allauth's rate limits and TOTP replay protection live here) ---
REDIS_URL = env.str("REDIS_URL", default="")
# A Redis that doesn't answer within a second counts as down (mentoring.middleware.CacheOutageMiddleware),
# rather than holding a sign-in until the worker times out.
REDIS_CACHE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": REDIS_CACHE_OPTIONS,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery: Redis when REDIS_URL is set, otherwise tasks run in-process ---
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 3600
CELERY_TASK_IGNORE_RESULT = True
# A task's message is acknowledged when it has run, not when a worker takes it: a worker that
# stops mid-task (a deploy, a crash) leaves it to be run again, not lost. Redis hands such a
# message out again once this long has passed without an acknowledgement, so it must outlast the
# longest wait before a retry (see mentoring/tasks.py) or a retry would be run twice.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=60 * 60)}
CELERY_BEAT_SCHEDULE = {
    "expire-invitations": {"task": "mentoring.tasks.expire_invitations", "schedule": 15 * 60},
    "purge-stashed-submissions": {"task": "mentoring.tasks.purge_stashed_submissions", "schedule": 60 * 60},
    # The readiness check (/readyz) reports a worker as alive while this keeps arriving.
    "worker-heartbeat": {"task": "mentoring.tasks.worker_heartbeat", "schedule": 60},
}

# --- email: never carries personal content (see invitation_send in mentoring/services/people.py) ---
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Alongside <no-reply@alongside.invalid>")
INVITATION_VALID_FOR = timedelta(days=env.int("INVITATION_VALID_DAYS", default=7))
# Links in emails point here (the site's public address).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Logs carry ids and events, never personal content.
# One JSON object a line where LOG_FORMAT is json (production's default), plain text elsewhere.
LOG_FORMAT = env.str("LOG_FORMAT", default="plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "config.request_log.JsonFormatter"},
    },
    "filters": {
        "redact_paths": {"()": "config.log_redaction.RedactRequestPaths"},
        "request_context": {"()": "config.request_log.RequestContext"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["redact_paths", "request_context"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "pgserver": {"level": "WARNING"},
        # The request line is for production's logs; the demo's runserver prints its own.
        "alongside.request": {"level": env.str("REQUEST_LOG_LEVEL", default="INFO")},
    },
}
