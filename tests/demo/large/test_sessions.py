"""demo.large.sessions: the large seed's session logs, on a handful (a few hundred, not a million)."""

import random

import pytest
from django.db import connection
from django.db.models import Max
from django.utils import timezone

from demo.large.bulk import checked_per_statement
from demo.large.copies import copy_email, copy_slug, seed_copies
from demo.large.sessions import TALK_WAITING, seed_large_sessions
from mentoring.fields import decrypt
from mentoring.models import (
    MODES_IN_A_PLACE,
    Activity,
    Hub,
    MentoringSession,
    MentoringSessionVersion,
    MentorWellbeing,
    NeedRating,
    Pair,
    PairStatus,
    PlaceType,
    SessionMode,
    User,
)
from mentoring.selectors.sessions import quiet_pairs, talk_requests_waiting
from tests.demo.large.test_copies import _large_set_of_a_handful

pytestmark = pytest.mark.django_db

LOGS = 400


def _seed(hub: Hub, *, count: int = LOGS, quiet_share: float = 0.4) -> int:
    with checked_per_statement():
        return seed_large_sessions(hubs=[hub], rng=random.Random(11), count=count, quiet_share=quiet_share)


def _raw(column: str, hub: Hub) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM mentoring_mentoringsession WHERE hub_id = %s AND {column} IS NOT NULL",  # noqa: S608
            [hub.pk],
        )
        return [row[0] for row in cursor.fetchall()]


def test_the_logs_fall_in_each_pairs_span_by_its_mentor_each_with_its_first_version(hub, carys):
    _large_set_of_a_handful(hub, sessions=0)
    assert _seed(hub) == LOGS
    today = timezone.localdate()
    sessions = list(MentoringSession.objects.filter(hub=hub).select_related("pair__mentor", "pair__mentee"))
    assert len(sessions) == LOGS
    assert {session.pair.status for session in sessions} == {PairStatus.ACTIVE, PairStatus.ENDED}
    hers: dict[int, set[int]] = {}
    for mentee_id, area_id in NeedRating.objects.filter(assessment__mentee__hub=hub).values_list(
        "assessment__mentee_id", "need_area_id"
    ):
        hers.setdefault(mentee_id, set()).add(area_id)
    for session in sessions:
        pair = session.pair
        assert pair.activated_on is not None
        assert pair.activated_on <= session.held_on <= min(pair.ended_on or today, today), session.pk
        assert (session.logged_by_id, session.hub_id) == (pair.mentor.user_id, pair.hub_id)
        assert timezone.localdate(session.created_at) >= session.held_on
        assert session.created_at <= timezone.now()
        # What the form and the services would have let her save.
        session.full_clean(exclude=["pair", "hub", "logged_by", "client_id"])
        assert (session.place_type != "") == (session.mode in MODES_IN_A_PLACE)
        assert set(session.need_areas) <= hers.get(pair.mentee_id, set())
        assert session.need_areas == sorted(session.need_areas)
        assert session.activities == sorted(session.activities) and session.activities
        assert not session.expenses_amount or session.expenses_what
        assert not (session.travel_miles or session.travel_fare) or session.travel_minutes
    assert {s.mode for s in sessions} == set(SessionMode.values)
    assert {s.place_type for s in sessions} >= {"", PlaceType.CAFE, PlaceType.SERVICES}
    assert {a for s in sessions for a in s.activities} >= {Activity.LISTENING, Activity.ACCOMPANYING}
    assert {s.wellbeing for s in sessions} >= {MentorWellbeing.FINE, MentorWellbeing.CHAT}
    assert any(s.notes for s in sessions) and any(not s.notes for s in sessions)
    assert any(s.next_steps for s in sessions) and any(s.travel_miles for s in sessions)
    assert any(s.expenses_amount for s in sessions)
    assert len({s.client_id for s in sessions}) == LOGS

    # Her words are real ciphertext under the field's key, each read back through the model.
    stored = _raw("notes", hub)
    assert stored and all(token.startswith("gAAAA") for token in stored)
    assert sorted(decrypt(token) for token in stored) == sorted(s.notes for s in sessions if s.notes)
    assert all(decrypt(token) for token in _raw("expenses_what", hub))

    # One version each, the first, its fields as the services would have kept them.
    versions = {v.session_id: v for v in MentoringSessionVersion.objects.filter(session__hub=hub)}
    assert MentoringSessionVersion.objects.filter(session__hub=hub).count() == LOGS == len(versions)
    for session in sessions:
        version = versions[session.pk]
        assert (version.version, session.version) == (1, 1)
        assert version.fields == session.snapshot()
        assert (version.saved_by_id, version.saved_at) == (session.logged_by_id, session.created_at)

    # Each pair's last contact is its newest log (none for a pair without one).
    newest = dict(
        MentoringSession.objects.filter(hub=hub).values("pair").annotate(n=Max("held_on")).values_list("pair", "n")
    )
    for pair in Pair.objects.filter(hub=hub):
        assert pair.last_contact_on == newest.get(pair.pk), pair.pk

    # Some running pairs gone quiet, the others not; a few mentors waiting for a call today.
    quiet = set(quiet_pairs(user=carys).values_list("pk", flat=True))
    running = set(Pair.objects.filter(hub=hub, status=PairStatus.ACTIVE).values_list("pk", flat=True))
    assert quiet and running - quiet
    waiting = list(talk_requests_waiting(user=carys))
    assert 1 <= len(waiting) <= TALK_WAITING
    assert all(s.held_on == today and s.pair.status == PairStatus.ACTIVE for s in waiting)
    answered = MentoringSession.objects.filter(hub=hub, talk_answered_at__isnull=False)
    assert all(s.talk_answered_by_id == carys.pk for s in answered)

    # Again: nothing more.
    assert _seed(hub) == 0
    assert MentoringSession.objects.count() == LOGS
    assert MentoringSessionVersion.objects.count() == LOGS


def test_the_logs_are_shared_by_each_pairs_length_with_none_quiet_when_asked(hub, carys):
    _large_set_of_a_handful(hub, sessions=0)
    assert _seed(hub, count=LOGS, quiet_share=0) == LOGS
    assert not quiet_pairs(user=carys).filter(last_contact_on__isnull=False).exists()
    pairs = list(Pair.objects.filter(hub=hub, last_contact_on__isnull=False))
    today = timezone.localdate()
    spans = {p.pk: (min(p.ended_on or today, today) - (p.activated_on or today)).days for p in pairs}
    counts = {p.pk: p.sessions.count() for p in pairs}
    longest, shortest = max(spans, key=lambda pk: spans[pk]), min(spans, key=lambda pk: spans[pk])
    if spans[longest] > 3 * spans[shortest]:  # a pair's own pace is at most 3x another's
        assert counts[longest] > counts[shortest]


def test_a_copy_has_the_logs_again_for_its_own_pairs_and_mentors(hub, carys):
    _large_set_of_a_handful(hub, sessions=0)
    _seed(hub)
    assert seed_copies(hubs=[hub], scale=2) == [2]
    twin_hub = Hub.objects.get(slug=copy_slug(hub.slug, 2))
    originals = list(MentoringSession.objects.filter(hub=hub).select_related("pair__mentor__user").order_by("pk"))
    copies = list(MentoringSession.objects.filter(hub=twin_hub).select_related("pair__mentor__user").order_by("pk"))
    assert len(copies) == len(originals) == LOGS
    for original, copy in zip(originals, copies, strict=True):
        assert copy.pair.hub_id == twin_hub.pk and copy.pair.mentee.hub_id == twin_hub.pk
        assert copy.logged_by_id == copy.pair.mentor.user_id
        assert copy.pair.mentor.user.email == copy_email(original.pair.mentor.user.email, 2)
        assert copy.client_id != original.client_id
        assert (copy.held_on, copy.notes, copy.need_areas, copy.wellbeing) == (
            original.held_on,
            original.notes,
            original.need_areas,
            original.wellbeing,
        )
        assert copy.pair.last_contact_on == original.pair.last_contact_on
        version = copy.versions.get()
        assert version.fields == copy.snapshot() and version.saved_by_id == copy.logged_by_id
    # Her twin answers the copy's calls to talk, and has the same calls waiting as she has.
    twin = User.objects.get(email=copy_email(carys.email, 2))
    answered = MentoringSession.objects.filter(hub=twin_hub, talk_answered_by__isnull=False)
    assert all(s.talk_answered_by_id == twin.pk for s in answered)
    waiting = talk_requests_waiting(user=twin)
    assert waiting.exists() and {s.hub_id for s in waiting} == {twin_hub.pk}
    assert len(waiting) == len(talk_requests_waiting(user=carys))
