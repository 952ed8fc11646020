"""Celery tasks: thin, ids only, each calls a service."""

from celery import shared_task

from mentoring.services.people import (
    SEND_INVITATION_TASK,
    form_tokens_purge,
    invitation_send,
    invitations_expire,
    stashes_purge,
)


@shared_task(name=SEND_INVITATION_TASK)
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
