"""Celery app. Tasks take ids only: their arguments and results pass through Redis."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("alongside")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
