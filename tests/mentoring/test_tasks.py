"""Celery: a real worker against the real Redis runs a task (make test provides REDIS_URL), and the
invitation email is retried when the mail server fails and isn't lost when a worker stops."""

import os
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path
from smtplib import SMTPException, SMTPServerDisconnected

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.utils import timezone

from config.celery import app
from mentoring.models import Invitation, Role
from mentoring.services.people import invitation_for_token
from mentoring.tasks import INVITATION_RETRIES, INVITATION_RETRY_BACKOFF_MAX, ping, send_invitation

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("REDIS_URL", "")
    assert url, "REDIS_URL must point at a Redis server: run the tests with `make test`"
    return url


def test_a_real_worker_consumes_a_task(redis_url):
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "REDIS_URL": redis_url}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    eager = app.conf.task_always_eager
    app.conf.update(task_always_eager=False, broker_url=redis_url, result_backend=redis_url)
    try:
        result = ping.apply_async(queue=queue, ignore_result=False)
        assert result.get(timeout=30) == "pong"
        assert result.successful()
    finally:
        app.conf.update(task_always_eager=eager)
        worker.terminate()
        output, _ = worker.communicate(timeout=30)
    assert "Traceback" not in output, output


class MailServerDownOnce(locmem.EmailBackend):
    """A mail server that refuses the first message it is given, then takes the rest."""

    refused = 0

    def send_messages(self, messages):
        if MailServerDownOnce.refused == 0:
            MailServerDownOnce.refused += 1
            raise SMTPServerDisconnected("the mail server went away")
        return super().send_messages(messages)


@pytest.mark.django_db
def test_an_invitation_the_mail_server_refused_is_sent_on_a_retry(olu, hub, settings):
    """A send that failed committed nothing; the retry makes a new link and it arrives."""
    settings.EMAIL_BACKEND = f"{__name__}.MailServerDownOnce"
    MailServerDownOnce.refused = 0
    invitation = Invitation.objects.create(
        email="new@example.test",
        hub=hub,
        role=Role.MENTOR,
        invited_by=olu,
        expires_at=timezone.now() + timedelta(days=7),
    )
    # Run as a worker would, in-process: the refusal becomes a retry rather than an error here.
    assert send_invitation.apply(args=(invitation.pk,), throw=False).get() is True
    assert MailServerDownOnce.refused == 1
    [message] = mail.outbox
    invitation.refresh_from_db()
    assert invitation.sent_at is not None
    assert invitation_for_token(message.body.split("/invite/")[1].split("/")[0]) == invitation


def test_the_invitation_task_is_acknowledged_after_it_runs_and_retries_within_the_redelivery_wait():
    """A worker that stops mid-send leaves the message to be sent again (acknowledged late, put
    back if the worker is lost); Redis hands an unacknowledged message out again after the
    visibility timeout, which must outlast the longest wait before a retry or a retry would run twice."""
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert send_invitation.max_retries == INVITATION_RETRIES > 0
    assert SMTPException in send_invitation.autoretry_for
    visibility = app.conf.broker_transport_options["visibility_timeout"]
    assert visibility > send_invitation.retry_backoff_max == INVITATION_RETRY_BACKOFF_MAX
