"""The test settings, for a Celery worker a test starts: its mail goes to tests/mentoring/held_mail.py."""

from config.settings.test import *  # noqa: F403

EMAIL_BACKEND = "tests.mentoring.held_mail.HoldTheFirstMessage"
