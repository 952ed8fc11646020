"""Celery app. Tasks take ids only: their arguments and results pass through Redis."""

import os

from celery import Celery

# As config/wsgi.py: a worker started without DJANGO_SETTINGS_MODULE runs as production does
# (and refuses to start without production's settings), never quietly as the local demo.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("alongside")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
