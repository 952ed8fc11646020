import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentoring.models import AccessLog, Mentee, Role
from mentoring.policies.audit import access_log_record
from mentoring.services.intake import goal_create
from mentoring.services.people import membership_add
from mentoring.services.relationships import relationship_record
from mentoring.services.sessions import session_log
from safeguarding.selectors.access_log import (
    NO_LONGER_EXISTS,
    OUTSIDE_HER_HUBS,
    UNKNOWN_KIND,
    VOLUNTEER_RECRUITMENT,
    AccessLogFilters,
    filtered_access_log,
    name_records,
    named_entries,
    people_for_filter,
    recent_access,
)
from tests.conftest import make_person

pytestmark = pytest.mark.django_db


def log(user, obj, hub, action=AccessLog.Action.VIEW, at=None):
    if at is None:
        return access_log_record(user=user, action=action, obj=obj, hub=hub)
    # The log refuses updates (trigger): an entry dated in the past is written as one.
    label = obj._meta.label_lower
    return AccessLog.objects.create(user=user, action=action, object_type=label, object_id=str(obj.pk), hub=hub, at=at)


def raw(user, hub, object_type, object_id):
    return AccessLog.objects.create(user=user, action="view", object_type=object_type, object_id=object_id, hub=hub)


def entries(maz, **filters):
    rows = list(filtered_access_log(user=maz, filters=AccessLogFilters(**filters)))
    return named_entries(user=maz, rows=rows)


def entry_for(maz, obj):
    """Her one entry for this record (making a pair also logs the grant of her record)."""
    (entry,) = entries(maz, object_type=obj._meta.label_lower, object_id=str(obj.pk))
    return entry


# --- naming ---


def test_a_woman_is_named_by_her_chosen_name_and_linked_to_her_record(maz, carys, amber):
    log(carys, amber, amber.hub)
    (entry,) = entries(maz)
    assert entry.record.name == "Amber"
    assert (entry.record.url_name, entry.record.url_pk) == ("mentee_detail", amber.pk)
    assert entry.who == "Carys" and entry.action == "Viewed"


def test_a_pair_is_her_name_with_her_mentors_and_unlinked_for_a_lead(maz, carys, dee_pair):
    log(carys, dee_pair, dee_pair.hub)
    entry = entry_for(maz, dee_pair)
    assert entry.record.name == "Amber with Dee"
    assert entry.record.url_name == ""  # pairs are coordinators' work


def test_a_lead_who_also_coordinates_there_may_open_the_pair(maz, carys, dee_pair):
    membership_add(user=maz, hub=dee_pair.hub, role=Role.COORDINATOR)
    log(carys, dee_pair, dee_pair.hub)
    entry = entry_for(maz, dee_pair)
    assert (entry.record.url_name, entry.record.url_pk) == ("pair_detail", dee_pair.pk)


def test_a_mentor_is_named_by_her_name_and_unlinked_for_a_lead(maz, carys, dee_pair):
    log(carys, dee_pair.mentor, dee_pair.hub)
    entry = entry_for(maz, dee_pair.mentor)
    assert entry.record.name == "Dee (mentor)"
    assert entry.record.url_name == ""


def test_a_relationship_names_both_women(maz, carys, amber, ros_mentor):
    relationship = relationship_record(mentee=amber, mentor=ros_mentor, kind="known", acting_user=carys)
    log(carys, relationship, amber.hub)
    entry = entry_for(maz, relationship)
    assert entry.record.name == "Relationship of Amber with Ros"
    assert entry.record.url_name == ""  # it has no page of its own


def test_a_goal_and_an_assessment_are_hers_and_open_on_her_record(maz, carys, june):
    goal = goal_create(mentee=june, her_words="A place of my own", acting_user=carys)
    assessment = june.assessments.get()
    log(carys, goal, june.hub)
    log(carys, assessment, june.hub)
    named = {e.record.object_type: e.record for e in entries(maz) if e.record.object_type != "mentoring.mentee"}
    assert named["mentoring.goal"].name == "Goal of June"
    assert (named["mentoring.goal"].url_name, named["mentoring.goal"].url_pk) == ("mentee_goals", june.pk)
    assert named["mentoring.assessment"].name == "Assessment of June"
    assert named["mentoring.assessment"].url_name == "mentee_assessments"


def test_every_kind_the_app_logs_is_named(maz, carys, dee_pair, ros_mentor, nova):
    # What the fetch helpers and services write today: her record, a mentor's, a pair, a
    # relationship, a volunteer's recruitment record, a session log and its expenses claim.
    relationship = relationship_record(mentee=dee_pair.mentee, mentor=ros_mentor, kind="known", acting_user=carys)
    session, _ = session_log(
        pair=dee_pair,
        acting_user=dee_pair.mentor.user,
        client_id=uuid.uuid4(),
        held_on=timezone.localdate(),
        duration_minutes=30,
        mode="in_person",
        travel_miles=Decimal("3"),
    )
    for obj in (dee_pair.mentee, dee_pair.mentor, dee_pair, relationship, nova, session, session.claim):
        log(carys, obj, dee_pair.hub)
    for entry in entries(maz):
        assert entry.record.name not in (NO_LONGER_EXISTS, UNKNOWN_KIND, OUTSIDE_HER_HUBS)
        assert "mentoring." not in entry.record.name and "#" not in entry.record.name


def test_a_volunteer_in_recruitment_is_not_named_to_a_lead(maz, carys, nova):
    """She has no account and isn't the lead's to read: the entry says what kind of record, not whose."""
    log(carys, nova, nova.hub)
    entry = entry_for(maz, nova)
    assert entry.record.name == VOLUNTEER_RECRUITMENT and entry.record.url_name == ""
    assert nova.name not in entry.record.name


def test_a_gone_or_unknown_record_is_said_in_words(maz, carys, hub):
    raw(carys, hub, "mentoring.mentee", "999999")
    raw(carys, hub, "mentoring.mentee", "not-a-number")
    raw(carys, hub, "mentoring.somethingnew", "3")
    names = sorted(e.record.name for e in entries(maz))
    assert names == [NO_LONGER_EXISTS, NO_LONGER_EXISTS, UNKNOWN_KIND]
    assert all(e.record.url_name == "" for e in entries(maz))


def test_a_woman_now_of_another_hub_is_not_named(maz, carys, amber, other_hub):
    log(carys, amber, amber.hub)
    Mentee.objects.filter(pk=amber.pk).update(hub=other_hub)
    (entry,) = entries(maz)
    assert entry.record.name == OUTSIDE_HER_HUBS and entry.record.url_name == ""


def test_names_take_a_bounded_number_of_queries(maz, carys, dee_pair, ros_mentor, new_mentor, hub):
    def count(records):
        with CaptureQueriesContext(connection) as captured:
            name_records(user=maz, records=records)
        return len(captured)

    few = [("mentoring.mentee", str(dee_pair.mentee_id)), ("mentoring.pair", str(dee_pair.pk))]
    women = [Mentee.objects.create(hub=hub, chosen_name=f"Woman {i}") for i in range(8)]
    many = few + [("mentoring.mentee", str(w.pk)) for w in women]
    maz_memberships = count([])  # her memberships, read once
    assert count(few) == count(many) > maz_memberships


def test_naming_writes_no_access_log_entry(maz, carys, amber):
    log(carys, amber, amber.hub)
    before = AccessLog.objects.count()
    entries(maz)
    recent_access(user=maz)
    assert AccessLog.objects.count() == before


# --- scope and filters ---


def test_only_her_hubs_entries(maz, carys, priya, amber, bea):
    log(carys, amber, amber.hub)
    log(priya, bea, bea.hub)
    assert [e.record.name for e in entries(maz)] == ["Amber"]


def test_nobody_else_reads_the_log(carys, amber, olu):
    log(carys, amber, amber.hub)
    assert list(filtered_access_log(user=carys, filters=AccessLogFilters())) == []
    assert list(filtered_access_log(user=olu, filters=AccessLogFilters())) == []


def test_filters_by_person_record_kind_and_date(maz, carys, ros, amber, june):
    today = timezone.localdate()
    now = timezone.now()
    log(carys, amber, amber.hub, at=now - timedelta(days=10))
    log(ros, amber, amber.hub, action=AccessLog.Action.GRANT)
    log(carys, june, june.hub, action=AccessLog.Action.EXPORT)
    assert {e.who for e in entries(maz, person=ros.pk)} == {"Ros"}
    assert {e.record.name for e in entries(maz, object_type="mentoring.mentee", object_id=str(june.pk))} == {"June"}
    assert [e.action for e in entries(maz, action=AccessLog.Action.EXPORT)] == ["Exported"]
    assert len(entries(maz, since=today - timedelta(days=1))) == 2
    assert len(entries(maz, until=today - timedelta(days=5))) == 1
    # A whole day: "to today" includes this moment.
    assert len(entries(maz, since=today, until=today)) == 2


def test_newest_first(maz, carys, amber, june):
    now = timezone.now()
    log(carys, june, june.hub, at=now - timedelta(hours=2))
    log(carys, amber, amber.hub, at=now - timedelta(hours=1))
    assert [e.record.name for e in entries(maz)] == ["Amber", "June"]


def test_the_home_shows_the_latest_few(maz, carys, amber):
    for _ in range(12):
        log(carys, amber, amber.hub)
    assert len(recent_access(user=maz)) == 10


def test_people_to_choose_are_her_hubs_people_and_someone_gone_with_entries(maz, carys, amber, priya, other_hub):
    names = [name for _, name in people_for_filter(user=maz)]
    assert "Carys" in names and "Maz" in names and "Priya" not in names
    # Priya has entries in Maz's hub (she once worked there); chosen, she is offered too.
    log(priya, amber, amber.hub)
    assert "Priya" in [name for _, name in people_for_filter(user=maz, chosen=priya.pk)]
    # Someone with no entries there is not, even if asked for by id.
    kit = make_person("kit@example.test", "Kit", other_hub, Role.COORDINATOR)
    assert "Kit" not in [name for _, name in people_for_filter(user=maz, chosen=kit.pk)]
