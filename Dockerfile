# syntax=docker/dockerfile:1
# Alongside, production image: gunicorn (default), or the same image as Celery worker / beat.
# docker-compose.yml runs it; every setting comes from the environment (see .env.example).

# --- 1. front-end assets from the npm registry, at the versions package-lock.json pins ---
# Built here, with Node: Bootstrap's Sass (sass-embedded) and a bundle of the Bootstrap scripts
# the pages use (rollup); only static/vendor leaves this stage, never node_modules.
FROM node:20-bookworm-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY scripts/build_assets.mjs scripts/
COPY static/scss static/scss
RUN node scripts/build_assets.mjs
# The mentor's offline app: service worker, its libraries and the PNG icons (docs/offline.md).
COPY scripts/build_sw.mjs scripts/
COPY static/img/icon.svg static/img/
RUN node scripts/build_sw.mjs

# --- 2. build: Python packages, static/vendor, collectstatic ---
FROM python:3.11-slim-bookworm AS build
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH
RUN python -m venv /opt/venv
# The runtime lock alone: no test runner, linter or embedded database in the image.
COPY requirements/runtime.lock /tmp/runtime.lock
RUN pip install --no-cache-dir --require-hashes --no-deps -r /tmp/runtime.lock

WORKDIR /app
COPY . .
COPY --from=assets /src/static/vendor ./static/vendor

# Production settings refuse to load without their secrets. These are throwaway values made
# for this one command (collectstatic touches neither the database, Redis nor mail); they are
# not kept in the image. DATABASE_URL is set so settings don't start the embedded PostgreSQL.
RUN SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
    FIELD_ENCRYPTION_KEYS="$(python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" \
    ALLOWED_HOSTS=build.invalid \
    SITE_URL=https://build.invalid \
    REDIS_URL=redis://build.invalid:6379/0 \
    EMAIL_URL=consolemail:// \
    DATABASE_URL=postgres://build@localhost/build \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    python manage.py collectstatic --noinput -v 1 \
 && python -m compileall -q /app \
 && chmod -R a+rX /app

# --- 3. runtime: no compilers, no node_modules, no pip cache; runs as a non-root user ---
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=config.settings.production
RUN groupadd --system --gid 10001 alongside \
 && useradd --system --uid 10001 --gid alongside --create-home --home-dir /home/alongside \
    --shell /usr/sbin/nologin alongside
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
WORKDIR /app
# The code is owned by root and read-only to the app; it writes nothing but /tmp.
USER 10001:10001
EXPOSE 8000

# /healthz is public JSON ({"status": "ok"}) and runs SELECT 1. Production settings answer only
# allowed hosts and redirect plain http to https, so the check sends the first ALLOWED_HOSTS
# name and X-Forwarded-Proto: https, as the TLS proxy in front would. No curl in slim images.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request as r; host = os.environ.get('ALLOWED_HOSTS', 'localhost').split(',')[0].strip().lstrip('.'); url = 'http://127.0.0.1:8000/healthz'; res = r.urlopen(r.Request(url, headers={'Host': host, 'X-Forwarded-Proto': 'https'}), timeout=4); sys.exit(0 if res.status == 200 and res.geturl() == url else 1)"]

# One gunicorn configuration (config/gunicorn_settings.py): workers from WEB_CONCURRENCY, and an
# access log of paths only (no search terms, no invitation tokens).
CMD ["gunicorn", "-c", "python:config.gunicorn_settings", "config.wsgi:application"]
