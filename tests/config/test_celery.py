"""config.celery: the beat schedule, and the settings a worker runs with."""

import os
import subprocess
import sys
from pathlib import Path

from config.celery import app

ROOT = Path(__file__).resolve().parents[2]


def test_beat_schedules_the_invitation_expiry():
    schedule = app.conf.beat_schedule
    assert schedule["expire-invitations"]["task"] == "mentoring.tasks.expire_invitations"
    assert "mentoring.tasks.expire_invitations" in app.tasks


def test_beat_sends_the_worker_heartbeat_every_minute():
    """/readyz reports a worker alive while this keeps arriving (config/health.py)."""
    heartbeat = app.conf.beat_schedule["worker-heartbeat"]
    assert heartbeat["task"] == "mentoring.tasks.worker_heartbeat" in app.tasks
    assert heartbeat["schedule"] == 60


def test_a_worker_started_without_a_settings_module_runs_with_productions_as_the_web_does():
    """config/celery.py and config/wsgi.py default DJANGO_SETTINGS_MODULE alike: a worker started
    bare never runs quietly as the demo while the web runs as production."""
    # Each file run on its own: importing the config package imports config.celery first.
    script = (
        "import os, runpy, django.core.wsgi\n"
        "django.core.wsgi.get_wsgi_application = lambda: None\n"  # production's settings refuse to load here
        "for path in ('config/wsgi.py', 'config/celery.py'):\n"
        "    runpy.run_path(path)\n"
        "    print(os.environ.pop('DJANGO_SETTINGS_MODULE'))\n"
    )
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["config.settings.production", "config.settings.production"]
