"""mentoring.services.intake: consents, assessments and reviews, referrals."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from mentoring.models import Assessment, ConsentKind, Mentee, MenteeStatus
from mentoring.models.mentees import NameKey, name_key, possible_same_women
from mentoring.selectors.intake import distance_travelled
from mentoring.services.intake import POSSIBLE_SAME_WOMAN, assessment_save, assessment_start, referral_create
from mentoring.services.mentees import mentee_change_status, mentee_update_profile
from tests.factories import HubFactory, MenteeFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_a_review_is_prefilled_and_shows_distance_travelled(carys, amber, areas, consent):
    consent(amber, carys)
    first = assessment_start(mentee=amber, acting_user=carys)
    assessment_save(
        assessment=first,
        acting_user=carys,
        fields={"assessed_on": timezone.localdate() - timedelta(weeks=12)},
        needs={areas["housing"].pk: {"affects_now": "yes", "her_words": "Sofa surfing", "self_rating": 2}},
        complete=True,
    )
    review = assessment_start(mentee=amber, acting_user=carys)
    assert review.kind == Assessment.Kind.REVIEW
    carried = review.needs.get(need_area=areas["housing"])
    assert (carried.her_words, carried.self_rating) == ("Sofa surfing", 2)
    assessment_save(
        assessment=review,
        acting_user=carys,
        fields={},
        needs={areas["housing"].pk: {"affects_now": "yes", "her_words": "A flat at last", "self_rating": 7}},
        complete=True,
    )
    dates, series = distance_travelled(amber)
    assert len(dates) == 2
    housing = next(s for s in series if s.need_area == areas["housing"].name)
    assert [value for _, value in housing.points] == [2, 7]
    assert housing.change == 5


def test_her_words_are_encrypted_in_the_database(carys, amber, areas, consent):
    consent(amber, carys)
    assessment = assessment_start(mentee=amber, acting_user=carys)
    assessment_save(
        assessment=assessment,
        acting_user=carys,
        fields={"strengths": "Stubborn in a good way"},
        needs={areas["drugs"].pk: {"affects_now": "yes", "her_words": "Clean for 30 days"}},
    )
    mentee_update_profile(mentee=amber, acting_user=carys, contact_details="07700 900123", code_word="bluebell")
    with connection.cursor() as cursor:
        cursor.execute("SELECT her_words FROM mentoring_needrating")
        words = cursor.fetchone()[0]
        cursor.execute("SELECT contact_details, code_word FROM mentoring_mentee WHERE id = %s", [amber.pk])
        contact, code = cursor.fetchone()
        cursor.execute("SELECT strengths FROM mentoring_assessment")
        strengths = cursor.fetchone()[0]
    for raw in (words, contact, code, strengths):
        assert raw.startswith("gAAAA")
    assert "Clean" not in words and "07700" not in contact and "bluebell" not in code


def test_sharing_cannot_be_marked_without_consent(carys, amber, areas, consent):
    consent(amber, carys)
    assessment = assessment_start(mentee=amber, acting_user=carys)
    with pytest.raises(ValidationError):
        assessment_save(
            assessment=assessment,
            acting_user=carys,
            fields={},
            needs={areas["housing"].pk: {"share_with_mentor": True}},
        )


def test_re_referral_keeps_her_history(carys, amber):
    mentee_change_status(mentee=amber, to_status=MenteeStatus.WITHDRAWN, reason="Moved away", acting_user=carys)
    referral_create(hub=amber.hub, mentee=amber, acting_user=carys, source="housing")
    amber.refresh_from_db()
    assert amber.status == MenteeStatus.REFERRED
    assert amber.referrals.count() == 1
    assert [c.to_status for c in amber.status_changes.order_by("created_at", "pk")] == [
        "referred",
        "withdrawn",
        "referred",
    ]


# --- completing needs her needs in her words, or her wish not to say yet ---


def test_an_intake_with_none_of_her_needs_in_her_words_cant_be_completed(carys, amber, areas, consent):
    consent(amber, carys)
    intake = assessment_start(mentee=amber, acting_user=carys)
    with pytest.raises(ValidationError, match="No need area has her words yet"):
        assessment_save(
            assessment=intake,
            acting_user=carys,
            fields={"strengths": "I never give up."},
            needs={areas["housing"].pk: {"affects_now": "yes", "her_words": "  ", "self_rating": 3}},
            complete=True,
        )
    intake.refresh_from_db()
    amber.refresh_from_db()
    assert intake.state == Assessment.State.DRAFT
    assert amber.status == MenteeStatus.ASSESSING


def test_her_wish_not_to_say_yet_is_dated_and_named_and_lets_the_intake_complete(carys, amber, consent):
    consent(amber, carys)
    intake = assessment_start(mentee=amber, acting_user=carys)
    last_week = timezone.localdate() - timedelta(days=7)
    assessment_save(
        assessment=intake,
        acting_user=carys,
        fields={"assessed_on": last_week},
        needs={},
        needs_not_said=True,
        complete=True,
    )
    intake.refresh_from_db()
    amber.refresh_from_db()
    assert (intake.needs_not_said_on, intake.needs_not_said_by) == (last_week, carys)
    assert amber.status == MenteeStatus.WAITING and amber.need_count == 0


def test_her_wish_not_to_say_yet_beside_her_words_is_refused_naming_the_area(carys, amber, areas, consent):
    consent(amber, carys)
    intake = assessment_start(mentee=amber, acting_user=carys)
    with pytest.raises(ValidationError, match="Housing and homelessness has her words"):
        assessment_save(
            assessment=intake,
            acting_user=carys,
            fields={},
            needs={areas["housing"].pk: {"affects_now": "yes", "her_words": "Sofa surfing"}},
            needs_not_said=True,
            complete=True,
        )


# --- each date follows the events before it ---


def test_an_assessment_dated_before_her_referral_is_refused(carys, hub, areas, consent):
    referral = referral_create(
        hub=hub, chosen_name="Nova", acting_user=carys, referred_on=timezone.localdate() - timedelta(days=3)
    )
    consent(referral.mentee, carys)
    intake = assessment_start(mentee=referral.mentee, acting_user=carys)
    with pytest.raises(ValidationError, match="before her referral") as refused:
        assessment_save(
            assessment=intake,
            acting_user=carys,
            fields={"assessed_on": timezone.localdate() - timedelta(days=4)},
            needs={areas["housing"].pk: {"her_words": "Sofa surfing"}},
        )
    assert "assessed_on" in refused.value.error_dict


def test_a_review_dated_before_the_assessment_it_follows_is_refused(carys, amber, areas, consent):
    consent(amber, carys)
    needs = {areas["housing"].pk: {"affects_now": "yes", "her_words": "Sofa surfing", "self_rating": 2}}
    intake = assessment_start(mentee=amber, acting_user=carys)
    assessment_save(assessment=intake, acting_user=carys, fields={}, needs=needs, complete=True)
    review = assessment_start(mentee=amber, acting_user=carys)
    with pytest.raises(ValidationError, match="before her last assessment"):
        assessment_save(
            assessment=review,
            acting_user=carys,
            fields={"assessed_on": timezone.localdate() - timedelta(days=1)},
            needs=needs,
            complete=True,
        )


def test_her_record_opens_on_the_date_of_her_referral(carys, hub):
    referred_on = timezone.localdate() - timedelta(days=10)
    referral = referral_create(hub=hub, chosen_name="Nova", acting_user=carys, referred_on=referred_on)
    assert referral.mentee.status_changes.get().changed_on == referred_on


# --- a way of contacting her that she withdraws consent to stops being safe at once ---


def test_withdrawing_consent_to_letters_stops_letters_being_a_safe_way(carys, amber, consent, safe_ways):
    safe_ways(amber, carys, "letter", "text")
    consent(amber, carys, ConsentKind.CONTACT_LETTER, given=False)
    amber.refresh_from_db()
    assert amber.safe_channels == ["text"] and amber.letters_safe is False
    assert amber.safe_ways == ["text"]


def test_a_new_referral_like_a_known_woman_is_refused_until_she_is_confirmed_new(carys, hub, amber):
    mentee_update_profile(mentee=amber, acting_user=carys, contact_details="Amber@Example.test ")
    with pytest.raises(ValidationError) as refused:
        referral_create(hub=hub, acting_user=carys, chosen_name="AMBER", contact_details="amber@example.test")
    assert refused.value.code == POSSIBLE_SAME_WOMAN
    assert Mentee.objects.filter(hub=hub).count() == 1

    referral = referral_create(
        hub=hub, acting_user=carys, chosen_name="AMBER", contact_details="amber@example.test", confirmed_new=True
    )
    assert referral.mentee.contact_details == "amber@example.test"
    assert Mentee.objects.filter(hub=hub).count() == 2


def test_the_same_woman_is_looked_for_across_the_organisation_only(carys, hub, other_hub):
    born = timezone.localdate().replace(year=1988)
    MenteeFactory.create(hub=other_hub, chosen_name="Bea Mae", date_of_birth=born)
    elsewhere = HubFactory.create(organisation=OrganisationFactory.create(name="Another organisation", slug="another"))
    MenteeFactory.create(hub=elsewhere, chosen_name="Iris", date_of_birth=born)
    with pytest.raises(ValidationError):
        referral_create(hub=hub, acting_user=carys, chosen_name="bea  mae", date_of_birth=born)
    # Another organisation's woman, another date of birth, or the name alone: nobody to ask about.
    referral_create(hub=hub, acting_user=carys, chosen_name="Iris", date_of_birth=born)
    referral_create(
        hub=hub, acting_user=carys, chosen_name="Bea Mae", date_of_birth=born.replace(day=born.day % 28 + 1)
    )
    referral_create(hub=hub, acting_user=carys, chosen_name="Bea Mae")
    assert Mentee.objects.filter(hub=hub).count() == 3


def test_the_same_woman_check_decrypts_only_women_with_her_name(carys, hub, django_assert_num_queries):
    for n in range(5):
        MenteeFactory.create(hub=hub, chosen_name=f"Other {n}", contact_details="07700 900999")
    MenteeFactory.create(hub=hub, chosen_name="Nova", contact_details="07700 900999")
    with django_assert_num_queries(1) as queries:
        found = possible_same_women(
            organisation_id=hub.organisation_id, chosen_name="nova", date_of_birth=None, contact_details="07700900999"
        )
    assert [w.chosen_name for w in found] == ["Nova"]
    # Her name is compared in the database (through the name index), so the one query reads only Nova.
    assert "regexp_replace" in queries.captured_queries[0]["sql"]


def test_the_same_woman_check_finds_her_name_through_its_index(hub):
    MenteeFactory.create(hub=hub, chosen_name="Nova")
    by_name = Mentee.objects.annotate(name_key=NameKey("chosen_name")).filter(name_key=name_key("  NO va "))
    with connection.cursor() as cursor:
        # A handful of rows would be read by a scan anyway: forbid it, so the plan shows whether
        # the index can answer (it can only if the query's expression is the index's). The name
        # alone is asked: with so few rows the planner may as well go through her organisation's
        # hubs, which says nothing about the expression. Nor may it walk the whole name-order
        # index and filter each entry (an index-only scan it costs the same on one row).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexonlyscan = off")
        sql, params = by_name.only("pk").query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "mentee_name_key_idx" in plan
    in_her_organisation = by_name.filter(hub__organisation_id=hub.organisation_id).only("pk")
    assert [m.pk for m in in_her_organisation] == list(
        Mentee.objects.filter(chosen_name="Nova").values_list("pk", flat=True)
    )
