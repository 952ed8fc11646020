"""Writes of mentoring sessions: logging one (exactly once, however often the phone sends it),
correcting it (every version kept, a stale edit refused with both versions), and her supervisors
hearing that she needs to talk today.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from celery import current_app as celery_app
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from mentoring.models import (
    LONGEST_SESSION_MINUTES,
    MODES_IN_A_PLACE,
    SESSION_FIELDS,
    MentoringSession,
    MentoringSessionVersion,
    MentorWellbeing,
    NeedArea,
    Pair,
    Role,
    User,
)
from mentoring.policies.people import is_coordinator_in
from mentoring.policies.sessions import can_edit_session, is_her_active_pair
from mentoring.services.expenses import claim_for_session

NOTIFY_TALK_TASK = "mentoring.tasks.notify_talk_requested"
LONGEST_TRIP_MILES = Decimal("500")


class SessionConflict(Exception):
    """The log was saved from another device since this edit began: both versions are shown."""

    def __init__(self, current: MentoringSession) -> None:
        super().__init__("This log was changed since you opened it.")
        self.current = current


def _day(value: date) -> str:
    return value.strftime("%-d %b %Y")


def _checked(pair: Pair, fields: dict[str, Any]) -> dict[str, Any]:
    """Her answers, checked against the pair and her organisation: every problem at once, by field."""
    fields = {name: fields.get(name) for name in SESSION_FIELDS if name in fields}
    errors: dict[str, list[str]] = {}
    held_on = fields.get("held_on")
    if held_on is None:
        errors.setdefault("held_on", []).append("Say when you met.")
    elif held_on > timezone.localdate():
        errors.setdefault("held_on", []).append("The date can't be in the future.")
    elif pair.activated_on and held_on < pair.activated_on:
        errors.setdefault("held_on", []).append(
            f"The date ({_day(held_on)}) is before the pair started ({_day(pair.activated_on)})."
        )
    minutes = fields.get("duration_minutes")
    if minutes is None or not 1 <= minutes <= LONGEST_SESSION_MINUTES:
        errors.setdefault("duration_minutes", []).append("How long was it? Between 1 minute and 12 hours.")
    if fields.get("mode") not in MODES_IN_A_PLACE:
        fields["place_type"] = ""  # a phone call happens nowhere worth recording
    miles = fields.get("travel_miles")
    if miles is not None and not 0 <= miles <= LONGEST_TRIP_MILES:
        errors.setdefault("travel_miles", []).append("Miles travelled: between 0 and 500.")
    if fields.get("expenses_amount") and not (fields.get("expenses_what") or "").strip():
        errors.setdefault("expenses_what", []).append("Say what the expense was for, so it can be paid.")
    areas = [int(pk) for pk in fields.get("need_areas") or []]
    organisation_id = pair.hub.organisation_id
    known = (
        set(
            NeedArea.objects.filter(
                Q(organisation__isnull=True) | Q(organisation_id=organisation_id), pk__in=areas
            ).values_list("pk", flat=True)
        )
        if areas
        else set()
    )
    if set(areas) - known:
        errors.setdefault("need_areas", []).append("One of the need areas isn't one of your organisation's.")
    fields["need_areas"] = sorted(set(areas))
    fields["activities"] = sorted(set(fields.get("activities") or []))
    if errors:
        raise ValidationError(errors)
    return fields


def _keep_version(session: MentoringSession, acting_user: User) -> None:
    MentoringSessionVersion.objects.create(
        session=session, version=session.version, fields=session.snapshot(), saved_by=acting_user
    )


def _refresh_last_contact(pair_id: int) -> None:
    newest = MentoringSession.objects.filter(pair_id=pair_id).aggregate(newest=Max("held_on"))["newest"]
    Pair.objects.filter(pk=pair_id).update(last_contact_on=newest)


def _ask_for_talk(session: MentoringSession) -> None:
    session.talk_requested_at = timezone.now()
    MentoringSession.objects.filter(pk=session.pk).update(talk_requested_at=session.talk_requested_at)
    # By name and id only: the tasks module calls these services, so importing it would loop.
    transaction.on_commit(lambda: celery_app.signature(NOTIFY_TALK_TASK, args=(session.pk,)).delay())


def session_log(
    *, pair: Pair, acting_user: User, client_id: uuid.UUID | str, **fields: Any
) -> tuple[MentoringSession, bool]:
    """Store her log once. The same client id again (her phone sent it before and lost the answer)
    gives back the row already stored, and False: nothing new, and never an error."""
    client_id = uuid.UUID(str(client_id))
    existing = MentoringSession.objects.filter(client_id=client_id).first()
    if existing is not None:
        if existing.logged_by_id != acting_user.pk or existing.pair_id != pair.pk:
            raise PermissionDenied("That log belongs to someone else.")
        return existing, False
    if not is_her_active_pair(acting_user, pair):
        raise PermissionDenied("Only her mentor logs a session, while the pair is active.")
    checked = _checked(pair, fields)
    now = timezone.now()
    session = MentoringSession(
        client_id=client_id, pair=pair, hub_id=pair.hub_id, logged_by=acting_user, created_at=now, updated_at=now
    )
    for name, value in checked.items():
        setattr(session, name, value)
    session.full_clean(exclude=["pair", "hub", "logged_by", "client_id"])
    try:
        with transaction.atomic():
            session.save(force_insert=True)
            _keep_version(session, acting_user)
            claim_for_session(session=session, acting_user=acting_user)
            Pair.objects.filter(
                Q(last_contact_on__isnull=True) | Q(last_contact_on__lt=session.held_on), pk=pair.pk
            ).update(last_contact_on=session.held_on)
            if session.wellbeing == MentorWellbeing.TALK_TODAY:
                _ask_for_talk(session)
    except IntegrityError:
        # Two copies sent at the same moment: the other one was stored first.
        stored = MentoringSession.objects.filter(client_id=client_id, logged_by=acting_user, pair=pair).first()
        if stored is None:
            raise
        return stored, False
    return session, True


@transaction.atomic
def session_edit(*, session: MentoringSession, acting_user: User, base_version: int, **fields: Any) -> MentoringSession:
    """Her correction, as a new version. Begun from an older version than the one stored (she
    saved it on another device meanwhile): nothing is overwritten, SessionConflict carries both."""
    current = (
        MentoringSession.objects.select_for_update().select_related("pair__mentor", "pair__hub").get(pk=session.pk)
    )
    if not can_edit_session(acting_user, current):
        raise PermissionDenied("A log can be corrected by her mentor for a week after it was saved.")
    if current.version != base_version:
        raise SessionConflict(current)
    checked = _checked(current.pair, fields)
    asked_before = current.talk_requested_at is not None
    for name, value in checked.items():
        setattr(current, name, value)
    current.version += 1
    current.updated_at = timezone.now()
    current.full_clean(exclude=["pair", "hub", "logged_by", "client_id"])
    current.save()
    _keep_version(current, acting_user)
    claim_for_session(session=current, acting_user=acting_user)
    _refresh_last_contact(current.pair_id)
    if current.wellbeing == MentorWellbeing.TALK_TODAY and not asked_before:
        _ask_for_talk(current)
    return current


def session_talk_answered(*, session: MentoringSession, acting_user: User) -> None:
    """Her coordinator has talked with her: it leaves the home page's list."""
    if not is_coordinator_in(acting_user, session.hub_id):
        raise PermissionDenied("Only her hub's coordinators answer a mentor's call to talk.")
    MentoringSession.objects.filter(pk=session.pk, talk_answered_at__isnull=True).update(
        talk_answered_at=timezone.now(), talk_answered_by=acting_user
    )


def talk_request_notify(*, session_id: int) -> int:
    """Tell the coordinators of her hub, the same day, that a mentor asked to talk: who and why
    are for them to open in Alongside, so the email names nobody and says nothing of the session."""
    session = (
        MentoringSession.objects.filter(pk=session_id, talk_answered_at__isnull=True).select_related("hub").first()
    )
    if session is None:
        return 0
    addresses = list(
        User.objects.filter(is_active=True, memberships__hub_id=session.hub_id, memberships__role=Role.COORDINATOR)
        .distinct()
        .values_list("email", flat=True)
    )
    if not addresses:
        return 0
    link = settings.SITE_URL.rstrip("/") + reverse("coordinator_home")
    body = (
        f"A mentor in {session.hub.name} asked to talk today, after a session she logged.\n\n"
        f"Open Alongside to see who, and call her back today: {link}\n"
    )
    send_mail("A mentor asked to talk today", body, None, addresses)
    return len(addresses)
