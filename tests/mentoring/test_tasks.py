"""Celery: a real worker against the real Redis runs a task (make test provides REDIS_URL), and the
invitation email is retried when the mail server fails, and sent once, neither lost nor twice,
when the worker sending it is killed (real workers on a private Redis)."""

import contextlib
import email
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from smtplib import SMTPException, SMTPServerDisconnected

import pytest
import redis
from django.conf import settings
from django.core import mail
from django.core.mail.backends import locmem
from django.db import connection
from django.utils import timezone

from config.celery import app
from mentoring.models import Invitation, Role
from mentoring.services.people import invitation_for_token
from mentoring.tasks import INVITATION_RETRIES, INVITATION_RETRY_BACKOFF_MAX, ping, send_invitation
from tests import network

ROOT = Path(__file__).resolve().parents[2]
WORKER = [
    sys.executable,
    "-m",
    "celery",
    "-A",
    "config",
    "worker",
    "--without-heartbeat",
    "--without-gossip",
    "--without-mingle",
]


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("REDIS_URL", "")
    assert url, "REDIS_URL must point at a Redis server: run the tests with `make test`"
    return url


def test_a_real_worker_consumes_a_task(redis_url):
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "REDIS_URL": redis_url}
    worker = subprocess.Popen(
        [*WORKER, "--pool=solo", "-Q", queue, "-l", "WARNING"],
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


# Seconds Redis waits for an acknowledgement before it hands a message out again (an hour in
# production): short here, so the message a killed worker held comes back within the test.
VISIBILITY_TIMEOUT = 2


def wait_for(condition: Callable[[], object], what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {timeout}s for {what}")
        time.sleep(0.05)


class Workers:
    """Celery workers a test starts, as production runs them (prefork) but on a private Redis,
    on the test database as the app's role, with the test settings and their mail held by
    tests/mentoring/held_mail.py: the first message waits (`held` holds the pid of the process
    sending it) until the test kills that process, every later one is written to `folder`."""

    def __init__(self, broker_url: str, folder: Path):
        self.broker_url = broker_url
        self.broker = redis.Redis.from_url(broker_url)
        self.folder = folder
        self.held = folder / "held"
        self.started: list[subprocess.Popen[bytes]] = []
        self.logs: list[Path] = []

    def start(self) -> subprocess.Popen[bytes]:
        env = {key: value for key, value in os.environ.items() if key != "MIGRATE_DATABASE_URL"}
        env.update(
            DJANGO_SETTINGS_MODULE="tests.mentoring.worker_settings",
            REDIS_URL=self.broker_url,
            CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
            FIELD_ENCRYPTION_KEYS=",".join(settings.FIELD_ENCRYPTION_KEYS),
            HELD_MAIL_DIR=str(self.folder),
            **network.database_env(connection.settings_dict),
        )
        log = self.folder / f"worker-{len(self.started) + 1}.log"
        with log.open("wb") as out:
            worker = subprocess.Popen(
                [*WORKER, "--pool=prefork", "--concurrency=1", "-l", "INFO"],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a process group of its own, its pool's process with it
            )
        self.started.append(worker)
        self.logs.append(log)
        wait_for(lambda: " ready." in log.read_text(), f"worker {len(self.started)} to start")
        return worker

    def send(self, invitation_id: int) -> str:
        """As invitation_create does on commit: the id only."""
        task_id = uuid.uuid4().hex
        with app.connection_for_write(self.broker_url) as broker_connection:
            send_invitation.apply_async((invitation_id,), task_id=task_id, connection=broker_connection)
        return task_id

    def sending_pid(self) -> int:
        """The process that is sending the first message, once it is."""
        wait_for(lambda: self.held.exists() and self.held.read_text(), "a worker to be sending the email")
        return int(self.held.read_text())

    def returned(self, task_id: str) -> str:
        """What the task returned, once a worker says it succeeded."""
        line = f"[{task_id}] succeeded in "
        wait_for(lambda: line in self.log(), f"task {task_id} to succeed")
        [said] = [text for text in self.log().splitlines() if line in text]
        return said.rsplit(": ", 1)[1]

    def acknowledged(self) -> None:
        wait_for(lambda: self.broker.zcard("unacked_index") == self.broker.llen("celery") == 0, "the acknowledgement")

    def sent(self) -> list[Path]:
        return sorted(self.folder.glob("*.eml"))

    def log(self) -> str:
        return "".join(log.read_text() for log in self.logs)

    @staticmethod
    def kill(worker: subprocess.Popen[bytes]) -> None:
        """SIGKILL to the worker and its pool's process (its process group), as when its container
        is killed: no goodbye to Redis or PostgreSQL."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)


@pytest.fixture
def workers(committed_db, tmp_path) -> Iterator[Workers]:
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False  # the test settings run tasks in-process
    with network.private_redis() as (broker_url, _):
        started = Workers(broker_url, tmp_path)
        try:
            yield started
        finally:
            app.conf.task_always_eager = eager
            for worker in started.started:
                started.kill(worker)


@pytest.fixture
def invitation(committed_db, olu, hub) -> Invitation:
    return Invitation.objects.create(
        email="new@example.test",
        hub=hub,
        role=Role.MENTOR,
        invited_by=olu,
        expires_at=timezone.now() + timedelta(days=7),
    )


def assert_sent_once_with_a_working_link(workers: Workers, invitation: Invitation) -> None:
    [sent] = workers.sent()
    message = email.message_from_bytes(sent.read_bytes())
    assert message["To"] == invitation.email
    body = message.get_payload(decode=True)
    assert isinstance(body, bytes)
    token = body.decode().split("/invite/")[1].split("/")[0]
    invitation.refresh_from_db()
    assert invitation.sent_at is not None and invitation_for_token(token) == invitation
    # The workers' logs name the invitation by its id, never her address.
    assert f"invitation {invitation.pk} sent" in workers.log() and invitation.email not in workers.log()


def test_an_invitation_whose_worker_is_killed_mid_send_is_sent_once_by_the_next_worker(workers, invitation):
    """A worker killed while it sends the email has committed nothing and, the task being
    acknowledged late, acknowledged nothing. Once the visibility timeout has passed, the next
    worker is handed the message again and sends the email: once, with a link that works; a
    further delivery of the same message sends nothing.

    The pool is prefork, as in production: a solo worker runs the task inside the loop that would
    acknowledge it early, so it would hold the message unacknowledged even without acks_late."""
    first = workers.start()
    task_id = workers.send(invitation.pk)
    workers.sending_pid()
    workers.kill(first)
    # Nothing committed: her link is made inside the send's transaction.
    invitation.refresh_from_db()
    assert invitation.token_hash is None and invitation.sent_at is None
    # Not lost: taken and never acknowledged, the message waits out the visibility timeout.
    unacknowledged = workers.broker.zrange("unacked_index", 0, -1, withscores=True)
    assert len(unacknowledged) == 1, "acknowledged when taken: lost with the worker"
    assert workers.broker.llen("celery") == 0
    [(_, taken_at)] = unacknowledged

    # A worker puts back, as it starts, what has waited unacknowledged that long (kombu looks
    # again only every hundred seconds or so after): start the next one once it has.
    time.sleep(max(0.0, taken_at + VISIBILITY_TIMEOUT + 0.1 - time.time()))
    workers.start()
    assert workers.returned(task_id) == "True"
    workers.acknowledged()
    assert_sent_once_with_a_working_link(workers, invitation)
    assert "Traceback" not in workers.logs[1].read_text(), workers.logs[1].read_text()

    # Delivered again after the email went (a worker stopped before acknowledging): nothing more goes.
    assert workers.returned(workers.send(invitation.pk)) == "False"
    assert len(workers.sent()) == 1


def test_an_invitation_whose_pool_process_is_killed_mid_send_is_sent_at_once_by_the_same_worker(workers, invitation):
    """Only the process running the task dies (the kernel's out-of-memory killer): the worker
    puts the message back at once (task_reject_on_worker_lost), not after the visibility
    timeout, and its next pool process sends the email, once."""
    workers.start()
    task_id = workers.send(invitation.pk)
    os.kill(workers.sending_pid(), signal.SIGKILL)
    assert workers.returned(task_id) == "True"
    workers.acknowledged()
    assert_sent_once_with_a_working_link(workers, invitation)
