"""The benchmark's outside floor: the least a signed-in Django page costs on this machine.

A bare Django project, not Alongside: LoginRequiredMiddleware, sessions in PostgreSQL, one query
on the user, one template. bench/pages.py serves it with its own gunicorn worker on the same
PostgreSQL server (its own database) and times it with the same client, round-robin with the key
pages, so each page's ratio to it says what the project itself costs. (The project's own `/ping/`
carries all of the project's middleware, so ratios to it flatter every page.)
"""

import os
from pathlib import Path

import environ

HERE = Path(__file__).resolve().parent
env = environ.Env()

SECRET_KEY = "bench-floor-only-not-secret"  # a local benchmark server, never deployed
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
]
ROOT_URLCONF = "bench.floor.urls"
WSGI_APPLICATION = "bench.floor.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [HERE / "templates"],
        "OPTIONS": {"context_processors": ["django.contrib.auth.context_processors.auth"]},
    }
]
DATABASES = {"default": env.db_url_config(os.environ["FLOOR_DATABASE_URL"])}
# As the project's web processes keep theirs (config/database.py).
DATABASES["default"]["CONN_MAX_AGE"] = 60
SESSION_ENGINE = "django.contrib.sessions.backends.db"
LOGIN_URL = "/login/"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
