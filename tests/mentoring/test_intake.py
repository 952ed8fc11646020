"""Intake: referral to waiting list, consents, assessments and reviews, in services and screens."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from mentoring.models import Assessment, ConsentKind, Mentee, MenteeStatus, NeedArea, NeedRating
from mentoring.selectors.intake import distance_travelled
from mentoring.services.intake import assessment_save, assessment_start, consent_record, goal_create, referral_create
from mentoring.services.mentees import mentee_change_status, mentee_update_profile
from tests.factories import MenteeFactory
from tests.querycount import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas():
    return {area.slug: area for area in NeedArea.objects.filter(organisation__isnull=True)}


def consent(mentee, user, kind=ConsentKind.DATA_PROCESSING, given=True):
    return consent_record(mentee=mentee, kind=kind, given=given, method="verbal", acting_user=user)


def assessment_post(areas, **overrides):
    data = {"assessed_on": timezone.localdate().isoformat(), "strengths": "I never give up"}
    for slug, rating in (("housing", 2), ("mental-health", 4), ("isolation", 3)):
        pk = areas[slug].pk
        data.update(
            {
                f"need_{pk}_affects": "yes",
                f"need_{pk}_words": f"My words about {slug}",
                f"need_{pk}_rating": str(rating),
            }
        )
    data.update(overrides)
    return data


def test_standard_need_areas_are_seeded(areas):
    assert len(areas) >= 14
    assert {"domestic-abuse", "housing", "immigration", "exploitation"} <= set(areas)


def test_referral_to_waiting_list_in_the_browser_flow(client, carys, hub, areas):
    client.force_login(carys)
    response = client.post(
        reverse("referral_create"),
        {"chosen_name": "Nova", "hub": hub.pk, "source": "self", "referred_on": timezone.localdate().isoformat()},
    )
    mentee = Mentee.objects.get(chosen_name="Nova")
    assert response["Location"] == reverse("mentee_consents", args=[mentee.pk])
    assert mentee.status == MenteeStatus.REFERRED

    # No assessment without her consent to keeping her information.
    client.post(reverse("assessment_start", args=[mentee.pk]))
    assert not mentee.assessments.exists()

    client.post(
        reverse("mentee_consents", args=[mentee.pk]),
        {
            "kind": "data_processing",
            "given": "true",
            "method": "verbal",
            "decided_on": timezone.localdate().isoformat(),
            "what_she_was_told": "Who sees her record and why",
        },
    )
    client.post(reverse("assessment_start", args=[mentee.pk]))
    assessment = mentee.assessments.get()
    url = reverse("assessment_edit", args=[mentee.pk, assessment.pk])

    client.post(url, {**assessment_post(areas), "save": "1"})  # a draft first
    assessment.refresh_from_db()
    assert assessment.state == Assessment.State.DRAFT
    page = client.get(url).content.decode()
    assert "My words about housing" in page  # resumable

    client.post(url, {**assessment_post(areas), "complete": "1"})
    mentee.refresh_from_db()
    assert mentee.status == MenteeStatus.WAITING
    assert mentee.need_count == 3
    assert mentee.review_due_on == timezone.localdate() + timedelta(weeks=12)
    assert "Nova" in client.get(reverse("waiting_list")).content.decode()


def test_a_review_is_prefilled_and_shows_distance_travelled(carys, amber, areas):
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


def test_her_words_are_encrypted_in_the_database(carys, amber, areas):
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


# --- bad input gets a clear message and loses nothing typed ---


def test_future_date_of_birth_is_refused_and_what_was_typed_stays(client, carys, amber):
    client.force_login(carys)
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.post(
        reverse("mentee_edit", args=[amber.pk]),
        {
            "chosen_name": "Amber",
            "date_of_birth": future,
            "contact_details": "Ring the refuge first",
            "languages": "English, Polish",
            "safe_times": "Weekday mornings",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "can&#x27;t be in the future" in page or "can't be in the future" in page
    assert "Ring the refuge first" in page and "Weekday mornings" in page and "English, Polish" in page
    amber.refresh_from_db()
    assert amber.date_of_birth is None


def test_rating_of_11_is_refused_and_everything_typed_stays(client, carys, amber, areas):
    consent(amber, carys)
    client.force_login(carys)
    assessment = assessment_start(mentee=amber, acting_user=carys)
    pk = areas["housing"].pk
    data = assessment_post(areas, **{f"need_{pk}_rating": "11"})
    response = client.post(reverse("assessment_edit", args=[amber.pk, assessment.pk]), {**data, "complete": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Her rating goes from 0 to 10." in page
    assert 'value="11"' in page and "My words about mental-health" in page and "I never give up" in page
    assessment.refresh_from_db()
    assert assessment.state == Assessment.State.DRAFT
    assert not NeedRating.objects.filter(assessment=assessment, self_rating=11).exists()


def test_assessment_without_data_consent_is_refused_and_keeps_typing(client, carys, amber, areas):
    consent(amber, carys)
    assessment = assessment_start(mentee=amber, acting_user=carys)
    consent(amber, carys, given=False)  # she withdraws
    client.force_login(carys)
    response = client.post(
        reverse("assessment_edit", args=[amber.pk, assessment.pk]), {**assessment_post(areas), "save": "1"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "consented to us keeping her information" in page
    assert "My words about housing" in page
    assert not assessment.needs.exists()
    with pytest.raises(ValidationError):
        assessment_start(mentee=MenteeFactory.create(hub=amber.hub), acting_user=carys)


def test_typed_input_survives_a_session_timeout(client, carys, amber):
    import time

    client.force_login(carys)
    client.get(reverse("home"))
    session = client.session
    session["alongside_seen"] = time.time() - 3600
    session.save()
    url = reverse("mentee_edit", args=[amber.pk])
    response = client.post(url, {"chosen_name": "Amber", "access_needs": "Step-free access please"})
    assert response["Location"].startswith(reverse("account_login"))
    client.force_login(carys)
    page = client.get(url).content.decode()
    assert "Step-free access please" in page
    assert "we kept what you typed" in page
    assert "Step-free access please" not in client.get(url).content.decode()  # once only


# --- consent: withdrawal takes effect at once ---


def test_withdrawing_share_with_mentor_hides_her_items_from_the_mentor_at_once(client, carys, dee, amber, areas):
    consent(amber, carys)
    consent(amber, carys, kind=ConsentKind.SHARE_WITH_MENTOR)
    assessment = assessment_start(mentee=amber, acting_user=carys)
    assessment_save(
        assessment=assessment,
        acting_user=carys,
        fields={},
        complete=True,
        needs={
            areas["housing"].pk: {"affects_now": "yes", "her_words": "Need somewhere safe", "share_with_mentor": True},
            areas["alcohol"].pk: {
                "affects_now": "yes",
                "her_words": "Private, not for sharing",
                "share_with_mentor": False,
            },
        },
    )
    goal_create(mentee=amber, her_words="Get my own key", share_with_mentor=True, acting_user=carys)
    client.force_login(dee)
    page = client.get(reverse("mentee_detail", args=[amber.pk])).content.decode()
    assert "Need somewhere safe" in page and "Get my own key" in page
    assert "Private, not for sharing" not in page

    consent(amber, carys, kind=ConsentKind.SHARE_WITH_MENTOR, given=False)
    page = client.get(reverse("mentee_detail", args=[amber.pk])).content.decode()
    assert "Need somewhere safe" not in page and "Get my own key" not in page


def test_mentor_sees_safe_contact_and_nothing_else(client, carys, dee, amber):
    mentee_update_profile(
        mentee=amber,
        acting_user=carys,
        safe_channels=["text"],
        voicemail_safe=False,
        code_word="bluebell",
        contact_details="07700 900123",
        access_needs="Wheelchair",
    )
    client.force_login(dee)
    page = client.get(reverse("mentee_detail", args=[amber.pk])).content.decode()
    assert "Text message" in page and "never leave one" in page and "bluebell" in page
    for hidden in ("07700", "Wheelchair", "Amber Example"):
        assert hidden not in page
    for tab in ("mentee_consents", "mentee_assessments", "mentee_goals", "mentee_history", "mentee_summary"):
        assert client.get(reverse(tab, args=[amber.pk])).status_code == 404


def test_sharing_cannot_be_marked_without_consent(carys, amber, areas):
    consent(amber, carys)
    assessment = assessment_start(mentee=amber, acting_user=carys)
    with pytest.raises(ValidationError):
        assessment_save(
            assessment=assessment,
            acting_user=carys,
            fields={},
            needs={areas["housing"].pk: {"share_with_mentor": True}},
        )


# --- status lifecycle ---


def test_status_changes_are_recorded_and_only_allowed_moves_happen(carys, amber):
    with pytest.raises(ValidationError):
        mentee_change_status(mentee=amber, to_status=MenteeStatus.MATCHED, reason="", acting_user=carys)
    with pytest.raises(ValidationError):
        mentee_change_status(mentee=amber, to_status=MenteeStatus.WITHDRAWN, reason="", acting_user=carys)
    mentee_change_status(mentee=amber, to_status=MenteeStatus.WITHDRAWN, reason="Moved away", acting_user=carys)
    change = amber.status_changes.first()
    assert (change.from_status, change.to_status, change.reason, change.changed_by) == (
        "referred",
        "withdrawn",
        "Moved away",
        carys,
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


# --- the list ---


def test_mentee_list_filters(client, carys, hub, areas):
    waiting = MenteeFactory.create(
        hub=hub,
        chosen_name="Wendy",
        status=MenteeStatus.WAITING,
        need_count=4,
        status_changed_at=timezone.now() - timedelta(weeks=5),
    )
    due = MenteeFactory.create(
        hub=hub,
        chosen_name="Dora",
        status=MenteeStatus.MATCHED,
        need_count=1,
        review_due_on=timezone.localdate() - timedelta(days=1),
    )
    client.force_login(carys)

    def names(**params):
        page = client.get(reverse("mentee_list"), params).content.decode()
        return {name for name in ("Wendy", "Dora") if f">{name}</a>" in page}

    assert names() == {"Wendy", "Dora"}
    assert names(status="waiting") == {"Wendy"}
    assert names(min_needs="3") == {"Wendy"}
    assert names(waited="4") == {"Wendy"}
    assert names(waited="6") == set()
    assert names(review_due="1") == {"Dora"}
    consent(waiting, carys)
    assessment = assessment_start(mentee=waiting, acting_user=carys)
    assessment_save(
        assessment=assessment,
        acting_user=carys,
        fields={},
        complete=True,
        needs={areas["immigration"].pk: {"affects_now": "yes"}},
    )
    assert names(need=str(areas["immigration"].pk)) == {"Wendy"}
    assert due.pk


def test_filtered_mentee_list_query_count_does_not_grow(client, carys, hub, areas):
    client.force_login(carys)
    url = reverse("mentee_list") + f"?status=waiting&min_needs=1&need={areas['housing'].pk}&review_due=1"

    def add(n):
        MenteeFactory.create_batch(n, hub=hub, status=MenteeStatus.WAITING, need_count=2)

    assert_queries_do_not_grow(client, url, add, rows=30)
    assert_queries_do_not_grow(client, reverse("waiting_list"), add, rows=10)


def test_chosen_name_search_has_its_trigram_index_where_postgresql_offers_pg_trgm():
    """Migration 0010 adds the index when the server ships pg_trgm (these machines' PostgreSQL
    does; the embedded one doesn't, and search still works there without it)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        available = cursor.fetchone() is not None
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'mentoring_mentee_name_trgm'")
        assert (cursor.fetchone() is not None) == available
