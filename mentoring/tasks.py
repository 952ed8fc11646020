"""Celery tasks: thin, ids only, each calls a service."""

from smtplib import SMTPException

from celery import shared_task

from config.health import HEARTBEAT_SECONDS, worker_heartbeat_record
from mentoring.services.people import (
    SEND_INVITATION_TASK,
    form_tokens_purge,
    invitation_send,
    invitations_expire,
    stashes_purge,
)
from mentoring.services.sessions import NOTIFY_TALK_TASK, talk_request_notify

# A mail server that is down or refuses for a while is tried again, waiting longer each time
# (about 1, 2, 4... minutes, never more than 10, five times over about half an hour). Each try makes
# a new link, so only the email that arrives last carries a working one; a send that failed
# committed nothing (invitation_send is one transaction). A message run again after its email went
# (a worker stopped before acknowledging it) finds her link out and sends nothing.
INVITATION_RETRIES = 5
INVITATION_RETRY_BACKOFF_MAX = 10 * 60


@shared_task(
    name=SEND_INVITATION_TASK,
    autoretry_for=(SMTPException, OSError),
    retry_backoff=60,
    retry_backoff_max=INVITATION_RETRY_BACKOFF_MAX,
    retry_jitter=True,
    max_retries=INVITATION_RETRIES,
)
def send_invitation(invitation_id: int) -> bool:
    return invitation_send(invitation_id=invitation_id)


@shared_task
def expire_invitations() -> int:
    """Periodic (beat): pending invitations past their expiry stop working and show as expired."""
    return invitations_expire()


@shared_task
def ping() -> str:
    """Used by the worker integration test and health checks: proves a worker consumes the queue."""
    return "pong"


@shared_task
def purge_stashed_submissions() -> int:
    """Periodic (beat): forget typed-in form data that nobody came back for within a day, and the
    one-time tokens of forms older than that."""
    return stashes_purge() + form_tokens_purge()


@shared_task(expires=HEARTBEAT_SECONDS)
def worker_heartbeat() -> None:
    """Periodic (beat): a worker says it is alive, for the readiness check. A beat that waited in
    the queue longer than its own period says nothing, rather than vouch for a worker late."""
    worker_heartbeat_record()


@shared_task(name=NOTIFY_TALK_TASK, autoretry_for=(SMTPException, OSError), retry_backoff=60, max_retries=5)
def notify_talk_requested(session_id: int) -> int:
    """A mentor asked to talk today: her hub's coordinators hear of it at once (ids only here)."""
    return talk_request_notify(session_id=session_id)
