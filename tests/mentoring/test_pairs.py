"""Matching from the database and the life of a pair: rights granted and revoked, constraints
honoured, ineligible mentors never proposed, and the coordinator's screens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from mentoring.models import (
    AccessLog,
    MeetingMode,
    Mentee,
    MenteeStatus,
    Mentor,
    MentorStage,
    NeedArea,
    Pair,
    PairStatus,
    RelationshipKind,
    Role,
)
from mentoring.policies.mentees import can_view_mentee
from mentoring.selectors.matching import batch_for_hub, suggestions_for
from mentoring.services.intake import assessment_save, assessment_start, consent_record
from mentoring.services.mentees import mentee_change_status, mentee_create
from mentoring.services.mentors import (
    mentor_change_stage,
    mentor_record_dbs,
    mentor_update_profile,
    training_module_add,
)
from mentoring.services.pairs import (
    pair_activate,
    pair_agreement_save,
    pair_end,
    pair_pause,
    pair_propose,
    pair_record_consent,
    pair_resume,
)
from mentoring.services.relationships import relationship_record, relationship_withdraw
from tests.conftest import make_active_pair, make_person, make_ready_mentor, make_waiting
from tests.querycount import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


def assess(mentee: Mentee, coordinator, *, needs: dict[str, int], wanted=(), **wants) -> None:
    """A completed intake through the services: need area slug -> her priority."""
    consent_record(mentee=mentee, kind="data_processing", given=True, method="verbal", acting_user=coordinator)
    assessment = assessment_start(mentee=mentee, acting_user=coordinator)
    areas = {area.slug: area for area in NeedArea.objects.filter(organisation__isnull=True)}
    assessment_save(
        assessment=assessment,
        acting_user=coordinator,
        complete=True,
        fields={"strengths": "I never give up.", **wants},
        needs={
            areas[slug].pk: {"affects_now": "yes", "her_words": "In her words", "priority": priority, "self_rating": 4}
            for slug, priority in needs.items()
        },
        shared_experience_wanted=[areas[slug] for slug in wanted],
    )


@pytest.fixture
def june(hub, carys) -> Mentee:
    mentee = mentee_create(hub=hub, chosen_name="June", acting_user=carys)
    assess(mentee, carys, needs={"housing": 1, "drugs": 2}, meeting_modes=[MeetingMode.WALK])
    return make_waiting(mentee, carys)


def mentor_with(user, coordinator, *, lived=(), **profile) -> Mentor:
    mentor = make_ready_mentor(user, coordinator)
    areas = NeedArea.objects.filter(organisation__isnull=True, slug__in=lived)
    return mentor_update_profile(
        mentor=mentor, acting_user=coordinator, lived_experience=areas, lived_experience_consent=True, **profile
    )


def test_lived_experience_of_her_priorities_ranks_first_with_its_reasons(june, hub, carys, ros):
    kim = make_person("kim@example.test", "Kim", hub, Role.MENTOR)
    mentor_with(ros, carys, lived=["housing"], meeting_modes=[MeetingMode.WALK])
    mentor_with(kim, carys, lived=[], meeting_modes=[MeetingMode.WALK])
    suggestions = suggestions_for(june)
    assert [c.mentor_name for c in suggestions.candidates] == ["Ros", "Kim"]
    top = suggestions.candidates[0]
    labels = [label for label, _ in top.reasons]
    assert any("Housing" in label or "housing" in label for label in labels)
    # Whole points on screen: the shown reasons add up to the shown score, give or take rounding.
    assert abs(sum(points for _, points in top.reasons) - top.score) < len(top.reasons)


def test_lived_experience_without_her_consent_is_not_used(june, hub, carys, ros):
    mentor = mentor_with(ros, carys, lived=["housing"])
    with_consent = suggestions_for(june).candidates[0].score
    mentor_update_profile(mentor=mentor, acting_user=carys, lived_experience_consent=False)
    assert suggestions_for(june).candidates[0].score < with_consent


@pytest.mark.parametrize("kind", RelationshipKind.values)
def test_each_recorded_relationship_excludes_or_flags(june, carys, ros, kind):
    mentor = mentor_with(ros, carys)
    relationship = relationship_record(mentee=june, mentor=mentor, kind=kind, acting_user=carys)
    suggestions = suggestions_for(june)
    if relationship.effect == "exclude":
        assert suggestions.candidates == []
        assert sum(suggestions.ruled_out.values()) == 1
        with pytest.raises(ValidationError):
            pair_propose(mentee=june, mentor=mentor, acting_user=carys)
    else:
        assert suggestions.candidates[0].flags == [relationship.get_kind_display()]
    # Withdrawn, it no longer counts; the record stays.
    relationship_withdraw(relationship=relationship, acting_user=carys)
    again = suggestions_for(june)
    assert again.candidates and again.candidates[0].flags == []
    assert mentor.relationships.count() == 1


@pytest.mark.parametrize("problem", ["dbs_expired", "not_active", "training_missing", "full"])
def test_ineligible_mentors_are_never_suggested_or_proposed(june, hub, carys, ros, olu, problem):
    mentor = mentor_with(ros, carys)
    if problem == "dbs_expired":
        mentor_record_dbs(
            mentor=mentor,
            level="enhanced",
            certificate_number="1",
            issued_on=timezone.localdate() - timedelta(days=4 * 365),
            renewal_due=timezone.localdate() - timedelta(days=1),
            acting_user=carys,
        )
    elif problem == "not_active":
        mentor_change_stage(mentor=mentor, to_stage=MentorStage.PAUSED, acting_user=carys)
    elif problem == "training_missing":
        training_module_add(
            organisation_id=hub.organisation_id, name="Safeguarding basics", is_core=True, acting_user=olu
        )
    else:
        mentor_update_profile(mentor=mentor, acting_user=carys, capacity=0)
    suggestions = suggestions_for(june)
    assert suggestions.candidates == []
    assert sum(suggestions.ruled_out.values()) == 1
    with pytest.raises(ValidationError):
        pair_propose(mentee=june, mentor=mentor, acting_user=carys)
    assert not Pair.objects.filter(mentee=june).exists()


def test_a_required_language_rules_out_mentors_who_dont_speak_it(hub, carys, ros):
    mentee = mentee_create(hub=hub, chosen_name="Ola", languages="Polish, English", acting_user=carys)
    assess(mentee, carys, needs={"money": 1}, mentor_language="Polish")
    make_waiting(mentee, carys)
    mentor_with(ros, carys, languages="English")
    suggestions = suggestions_for(mentee)
    assert suggestions.candidates == []
    assert suggestions.ruled_out == {"doesn't speak Polish": 1}


def test_pair_lifecycle_grants_and_revokes_the_mentors_view_at_once(june, hub, carys, ros):
    mentor = mentor_with(ros, carys)
    pair = pair_propose(mentee=june, mentor=mentor, acting_user=carys)
    assert pair.status == PairStatus.PROPOSED and pair.reasons
    assert not can_view_mentee(ros, june)
    with pytest.raises(ValidationError):
        pair_activate(pair=pair, acting_user=carys)  # nobody has agreed yet
    pair_record_consent(pair=pair, who="mentee", method="verbal", acting_user=carys)
    pair = pair_record_consent(pair=pair, who="mentor", method="written", acting_user=carys)
    assert pair.status == PairStatus.AWAITING_CONSENT
    pair = pair_activate(pair=pair, acting_user=carys)
    june.refresh_from_db()
    assert june.status == MenteeStatus.MATCHED
    assert pair.activated_on is not None
    assert pair.next_review_on == pair.activated_on + timedelta(weeks=6)
    assert can_view_mentee(ros, june)
    pair = pair_pause(pair=pair, acting_user=carys, reason="Mentor unwell")
    assert not can_view_mentee(ros, june)
    pair = pair_resume(pair=pair, acting_user=carys)
    assert can_view_mentee(ros, june)
    pair_end(pair=pair, end_reason="goals_met", her_feedback="She got me through.", acting_user=carys)
    assert not can_view_mentee(ros, june)
    june.refresh_from_db()
    assert june.status == MenteeStatus.ENDED
    actions = list(
        AccessLog.objects.filter(object_type="mentoring.mentee", object_id=str(june.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions.count(AccessLog.Action.GRANT) == 2 and actions.count(AccessLog.Action.REVOKE) == 2


def test_ending_with_a_wish_for_a_new_mentor_puts_her_back_on_the_waiting_list(amber, carys, dee_pair, ros):
    pair_end(pair=dee_pair, end_reason="mentor_left", wants_new_mentor=True, acting_user=carys)
    amber.refresh_from_db()
    assert amber.status == MenteeStatus.WAITING
    # A new pair is possible; the old one is kept.
    pair = pair_propose(mentee=amber, mentor=make_ready_mentor(ros, carys), acting_user=carys)
    assert amber.pairs.count() == 2 and pair.status == PairStatus.PROPOSED


def test_her_feedback_is_encrypted_at_rest(carys, dee_pair):
    from django.db import connection

    pair_end(pair=dee_pair, end_reason="mutual", her_feedback="Dee listened.", acting_user=carys)
    with connection.cursor() as cursor:
        cursor.execute("SELECT her_feedback FROM mentoring_pair WHERE id = %s", [dee_pair.pk])
        (raw,) = cursor.fetchone()
    assert "Dee listened" not in raw


def test_one_open_pair_per_woman(june, hub, carys, ros):
    kim = make_person("kim@example.test", "Kim", hub, Role.MENTOR)
    pair_propose(mentee=june, mentor=mentor_with(ros, carys), acting_user=carys)
    with pytest.raises(ValidationError):
        pair_propose(mentee=june, mentor=mentor_with(kim, carys), acting_user=carys)


def test_her_status_cant_be_closed_by_hand_while_a_pair_runs(amber, carys, dee_pair):
    with pytest.raises(ValidationError):
        mentee_change_status(mentee=amber, to_status="withdrawn", reason="Moved away", acting_user=carys)


def test_agreement_versions_are_kept_and_the_mentor_can_write_them(carys, dee, dee_pair, ros):
    first = pair_agreement_save(
        pair=dee_pair, acting_user=carys, contact_channels=["text"], if_worried_about_safety="Tell her first."
    )
    second = pair_agreement_save(
        pair=dee_pair, acting_user=dee, contact_channels=["text", "phone"], if_worried_about_safety="Tell her first."
    )
    assert (first.version, second.version) == (1, 2)
    assert dee_pair.agreements.count() == 2
    with pytest.raises(PermissionDenied):
        pair_agreement_save(pair=dee_pair, acting_user=ros, if_worried_about_safety="x")


def test_batch_proposals_honour_capacity_and_favour_the_longest_wait(hub, carys, ros):
    mentor_with(ros, carys)  # one place
    women = []
    for name, days in (("Early", 40), ("Late", 3)):
        mentee = mentee_create(hub=hub, chosen_name=name, acting_user=carys)
        assess(mentee, carys, needs={"housing": 1})
        make_waiting(mentee, carys)
        Mentee.objects.filter(pk=mentee.pk).update(status_changed_at=timezone.now() - timedelta(days=days))
        women.append(mentee)
    rows, left = batch_for_hub(hub)
    assert [row.mentee_name for row in rows] == ["Early"]
    assert [row.mentee_name for row in left] == ["Late"]


def test_batch_screen_propose_and_turn_down(client, hub, carys, ros):
    mentor = mentor_with(ros, carys)
    mentee = mentee_create(hub=hub, chosen_name="Nell", acting_user=carys)
    assess(mentee, carys, needs={"housing": 1})
    make_waiting(mentee, carys)
    client.force_login(carys)
    url = reverse("hub_batch_match", args=[hub.pk])
    assert "Nell" in client.get(url).content.decode()
    client.post(url, {"mentee": mentee.pk, "mentor": mentor.pk, "decision": "reject"})
    assert Pair.objects.get(mentee=mentee).status == PairStatus.NOT_TAKEN
    # Turned down once, the same two aren't suggested again.
    assert batch_for_hub(hub)[0] == []


def test_mentor_home_shows_only_her_active_pairs_and_loses_them_at_once(client, carys, dee, dee_pair, hub):
    other = mentee_create(hub=hub, chosen_name="Zara", acting_user=carys)
    client.force_login(dee)
    page = client.get(reverse("mentor_home")).content.decode()
    assert "Amber" in page and "Zara" not in page and other.pk
    pair_end(pair=dee_pair, end_reason="mutual", acting_user=carys)
    page = client.get(reverse("mentor_home")).content.decode()
    assert "Amber" not in page
    assert client.get(reverse("mentee_detail", args=[dee_pair.mentee_id])).status_code == 404


def test_matching_screen_explains_and_proposes(client, june, carys, ros):
    mentor = mentor_with(ros, carys, lived=["housing"])
    client.force_login(carys)
    page = client.get(reverse("mentee_match", args=[june.pk])).content.decode()
    assert "Ros" in page and "points" in page
    response = client.post(reverse("mentee_match", args=[june.pk]), {"mentor": mentor.pk})
    pair = Pair.objects.get(mentee=june)
    assert response["Location"] == reverse("pair_detail", args=[pair.pk])


def test_matching_screen_says_why_when_nobody_fits(client, june, carys, ros):
    mentor_with(ros, carys, capacity=0)
    client.force_login(carys)
    page = client.get(reverse("mentee_match", args=[june.pk])).content.decode()
    assert "No mentor can be suggested" in page and "no free place" in page


def test_pair_list_query_count_does_not_grow(client, hub, carys):
    client.force_login(carys)

    def add_pairs(n: int) -> None:
        for k in range(n):
            user = make_person(f"m{Pair.objects.count()}-{k}@example.test", "M", hub, Role.MENTOR)
            mentee = mentee_create(hub=hub, chosen_name=f"W{k}", acting_user=carys)
            make_active_pair(mentee, user, carys)

    assert_queries_do_not_grow(client, reverse("pair_list"), add_pairs, rows=5)


def test_mentor_home_query_count_does_not_grow(client, hub, carys, ros):
    client.force_login(ros)
    make_ready_mentor(ros, carys)
    mentor_update_profile(mentor=Mentor.objects.get(user=ros), acting_user=carys, capacity=6)

    def add_pairs(n: int) -> None:
        for k in range(n):
            mentee = mentee_create(hub=hub, chosen_name=f"W{k}", acting_user=carys)
            pair = make_active_pair(mentee, ros, carys)
            pair_agreement_save(pair=pair, acting_user=carys, if_worried_about_safety="Tell her first.")

    assert_queries_do_not_grow(client, reverse("mentor_home"), add_pairs, rows=3)


@pytest.mark.parametrize("stage", [MentorStage.PAUSED, MentorStage.LEFT, MentorStage.TRAINING])
def test_a_mentor_with_an_active_pair_cant_leave_or_pause_while_she_still_sees_her(carys, dee, dee_pair, amber, stage):
    mentor = dee_pair.mentor
    with pytest.raises(ValidationError):
        mentor_change_stage(mentor=mentor, to_stage=stage, acting_user=carys)
    assert can_view_mentee(dee, amber)
    pair_end(pair=dee_pair, end_reason="mentor_left", wants_new_mentor=True, acting_user=carys)
    mentor_change_stage(mentor=mentor, to_stage=stage, acting_user=carys)
    assert not can_view_mentee(dee, amber)


def test_pair_page_says_whether_the_mentors_lived_experience_may_be_shared(client, carys, dee_pair):
    client.force_login(carys)
    url = reverse("pair_detail", args=[dee_pair.pk])
    assert "hasn't agreed to her lived experience being shared" in client.get(url).content.decode()
    mentor_update_profile(
        mentor=dee_pair.mentor, acting_user=carys, lived_experience_consent=True, share_lived_experience=True
    )
    assert "Amber may be told which experiences they share" in client.get(url).content.decode()
