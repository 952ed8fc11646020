"""Writes of people: memberships, sign-in sessions, invitations, hub settings and stashed form input."""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
from datetime import timedelta

from celery import current_app as celery_app
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mentoring.models import (
    Hub,
    Invitation,
    Membership,
    Mentor,
    Role,
    StashedSubmission,
    User,
)
from mentoring.policies.people import can_invite, forget_memberships, hub_ids_for

logger = logging.getLogger(__name__)

SEND_INVITATION_TASK = "mentoring.tasks.send_invitation"


@transaction.atomic
def membership_add(*, user: User, hub: Hub, role: str, acting_user: User | None = None) -> Membership:
    membership, _ = Membership.objects.get_or_create(
        user=user, hub=hub, role=role, defaults={"created_by": acting_user}
    )
    forget_memberships(user)
    if role == Role.MENTOR:
        # Her mentor record starts with the role: the coordinator fills in stages, checks and training.
        Mentor.objects.get_or_create(user=user, defaults={"hub": hub, "created_by": acting_user})
    return membership


def end_all_sessions(*, user: User) -> int:
    """End every session she has, wherever it is."""
    from allauth.usersessions.models import UserSession
    from django.contrib.sessions.models import Session

    ended = 0
    for user_session in UserSession.objects.filter(user=user):
        user_session.end()
        ended += 1
    # Sessions from before tracking, or that tracking missed: decode and match the owner.
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def user_deactivate(*, user: User, acting_user: User) -> User:
    """A deactivated person loses every session at once; her records and history stay."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    transaction.on_commit(lambda: end_all_sessions(user=user))
    logger.info("user %s deactivated by user %s", user.pk, acting_user.pk)
    return user


@transaction.atomic
def user_reactivate(*, user: User, acting_user: User) -> User:
    user.is_active = True
    user.save(update_fields=["is_active"])
    logger.info("user %s reactivated by user %s", user.pk, acting_user.pk)
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invitation_create(*, email: str, hub: Hub, role: str, invited_by: User) -> Invitation:
    if not can_invite(invited_by, hub, role):
        raise PermissionDenied("You can't invite that role to this hub.")
    email = email.strip().lower()
    if Membership.objects.filter(user__email=email, hub=hub, role=role).exists():
        raise ValidationError({"email": "This person already holds that role in this hub."})
    # A fresh invitation replaces any earlier pending one for the same place.
    Invitation.objects.filter(email=email, hub=hub, role=role, status=Invitation.Status.PENDING).update(
        status=Invitation.Status.REVOKED
    )
    invitation = Invitation(
        email=email,
        hub=hub,
        role=role,
        invited_by=invited_by,
        expires_at=timezone.now() + settings.INVITATION_VALID_FOR,
    )
    invitation.full_clean()
    invitation.save()
    # The task gets the id only; it makes the token itself, so no secret passes through the broker.
    # It is enqueued by name: the tasks module calls these services, so importing it would loop.
    transaction.on_commit(lambda: celery_app.signature(SEND_INVITATION_TASK, args=(invitation.pk,)).delay())
    return invitation


@transaction.atomic
def invitation_send(*, invitation_id: int) -> bool:
    """Make a new one-time token and email the link. The email carries no personal data."""
    invitation = Invitation.objects.select_for_update().filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_usable:
        return False
    token = secrets.token_urlsafe(32)
    invitation.token_hash = _token_hash(token)
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["token_hash", "sent_at"])
    link = settings.SITE_URL.rstrip("/") + reverse("invitation_accept", kwargs={"token": token})
    days = settings.INVITATION_VALID_FOR.days
    body = (
        "Hello,\n\n"
        "You have been invited to create an account on Alongside.\n\n"
        f"Open this link within {days} days to set your password:\n{link}\n\n"
        "The link works once. If you were not expecting this email, you can ignore it.\n"
    )
    send_mail("Your invitation", body, None, [invitation.email])
    logger.info("invitation %s sent", invitation.pk)
    return True


def invitation_for_token(token: str) -> Invitation | None:
    return Invitation.objects.select_related("hub").filter(token_hash=_token_hash(token)).first()


@transaction.atomic
def invitation_accept(
    *, token: str, password: str | None = None, display_name: str = "", existing_user: User | None = None
) -> User:
    """Use the link once: create her account (or add the role to her existing one)."""
    invitation = Invitation.objects.select_for_update().filter(token_hash=_token_hash(token)).first()
    if invitation is None or not invitation.is_usable:
        raise ValidationError("This invitation link can't be used. Ask whoever invited you for a new one.")
    user = User.objects.filter(email=invitation.email).first()
    if user is None:
        if not password:
            raise ValidationError("Choose a password.")
        user = User.objects.create_user(invitation.email, password, display_name=display_name.strip())
    elif existing_user is None or existing_user.pk != user.pk:
        raise ValidationError("Sign in with the invited email address to accept.")
    membership_add(user=user, hub=invitation.hub, role=invitation.role, acting_user=invitation.invited_by)
    invitation.status = Invitation.Status.ACCEPTED
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.token_hash = None
    invitation.save(update_fields=["status", "accepted_at", "accepted_by", "token_hash"])
    return user


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, acting_user: User) -> Invitation:
    if invitation.status == Invitation.Status.PENDING:
        invitation.status = Invitation.Status.REVOKED
        invitation.token_hash = None
        invitation.save(update_fields=["status", "token_hash"])
    return invitation


def invitations_expire(*, now: object = None) -> int:
    """Mark pending invitations past their expiry as expired and forget their tokens."""
    moment = now or timezone.now()
    return Invitation.objects.filter(status=Invitation.Status.PENDING, expires_at__lte=moment).update(
        status=Invitation.Status.EXPIRED, token_hash=None
    )


@transaction.atomic
def hub_update_settings(*, hub: Hub, review_interval_weeks: int, acting_user: User) -> Hub:
    if hub.pk not in hub_ids_for(acting_user, [Role.ORG_ADMIN]):
        raise PermissionDenied("Only an org admin of this hub can change its settings.")
    hub.review_interval_weeks = review_interval_weeks
    hub.full_clean()
    hub.save(update_fields=["review_interval_weeks"])
    return hub


STASH_MAX_AGE = timedelta(days=1)


def stash_save(*, user: User, path: str, data: dict[str, list[str]]) -> StashedSubmission:
    clean = {key: values for key, values in data.items() if key != "csrfmiddlewaretoken"}
    StashedSubmission.objects.filter(user=user, path=path).delete()
    return StashedSubmission.objects.create(user=user, path=path[:300], data=json.dumps(clean))


def stash_restore(*, user: User, path: str) -> dict[str, list[str]] | None:
    """Return (and forget) what she typed on this page before her session timed out."""
    stash = StashedSubmission.objects.filter(
        user=user, path=path, created_at__gte=timezone.now() - STASH_MAX_AGE
    ).first()
    if stash is None:
        return None
    StashedSubmission.objects.filter(user=user, path=path).delete()
    data: dict[str, list[str]] = json.loads(stash.data)
    return data


def stashes_purge() -> int:
    deleted, _ = StashedSubmission.objects.filter(created_at__lt=timezone.now() - STASH_MAX_AGE).delete()
    return deleted
