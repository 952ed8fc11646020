"""Fetching is reading: every policy's fetch helper hands over a record and writes one access-log
entry for it, with its purpose; a refusal writes none. Her mentor's phone home logs each woman."""

import pytest
from django.http import Http404
from django.test import Client

from mentoring.models import AccessLog, Mentor, RelationshipKind
from mentoring.policies.mentees import get_mentee_for_user
from mentoring.policies.mentors import get_mentor_for_user
from mentoring.policies.pairs import get_pair_for_agreement, get_pair_for_user
from mentoring.policies.relationships import get_relationship_for_user
from mentoring.selectors.pairs import mentor_active_pairs
from mentoring.services.relationships import relationship_record

pytestmark = pytest.mark.django_db


READS = (AccessLog.Action.VIEW, AccessLog.Action.REVEAL, AccessLog.Action.EXPORT)


def entries_for(obj, user):
    """Her reads of this record (setting up a pair also logs the grant of the mentor's right)."""
    return list(
        AccessLog.objects.filter(
            object_type=obj._meta.label_lower, object_id=str(obj.pk), user=user, action__in=READS
        ).values_list("action", "reason")
    )


@pytest.fixture
def dee_mentor(dee) -> Mentor:
    return Mentor.objects.get(user=dee)


@pytest.fixture
def relationship(carys, amber, dee_mentor):
    return relationship_record(
        mentee=amber, mentor=dee_mentor, kind=RelationshipKind.KNOWN, acting_user=carys, effect="flag"
    )


@pytest.fixture
def fetchers(dee_pair, dee_mentor, relationship):
    """Each fetch helper, the record it hands over and who may and may not have it."""
    return {
        "mentee": (lambda user: get_mentee_for_user(user, dee_pair.mentee_id, purpose="Test"), dee_pair.mentee),
        "mentor": (lambda user: get_mentor_for_user(user, dee_mentor.pk, purpose="Test"), dee_mentor),
        "pair": (lambda user: get_pair_for_user(user, dee_pair.pk, purpose="Test"), dee_pair),
        "agreement": (lambda user: get_pair_for_agreement(user, dee_pair.pk, purpose="Test"), dee_pair),
        "relationship": (lambda user: get_relationship_for_user(user, relationship.pk, purpose="Test"), relationship),
    }


@pytest.mark.parametrize("kind", ["mentee", "mentor", "pair", "agreement", "relationship"])
def test_each_fetch_writes_one_entry_and_a_refusal_none(kind, fetchers, carys, priya):
    fetch, record = fetchers[kind]
    assert fetch(carys) == record
    assert entries_for(record, carys) == [(AccessLog.Action.VIEW, "Test")]
    with pytest.raises(Http404):
        fetch(priya)  # another hub's coordinator
    assert entries_for(record, priya) == []


def test_a_reveal_is_logged_as_a_reveal_with_her_reason(carys, amber):
    get_mentee_for_user(carys, amber.pk, action="reveal_legal_name", purpose="Court letter", log_as="reveal")
    assert entries_for(amber, carys) == [(AccessLog.Action.REVEAL, "Court letter")]


def test_her_mentors_home_logs_each_woman_shown(dee, dee_pair):
    assert [pair.pk for pair in mentor_active_pairs(user=dee)] == [dee_pair.pk]
    assert entries_for(dee_pair.mentee, dee) == [(AccessLog.Action.VIEW, "Her mentor's home page")]


def test_her_mentors_home_page_writes_the_entry(dee, dee_pair):
    client = Client()
    client.force_login(dee)
    assert client.get("/mentor/").status_code == 200
    assert len(entries_for(dee_pair.mentee, dee)) == 1


def test_a_mentor_without_pairs_logs_nothing(ros):
    assert mentor_active_pairs(user=ros) == []
    assert not AccessLog.objects.filter(user=ros).exists()
