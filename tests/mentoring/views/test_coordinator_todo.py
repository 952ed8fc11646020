"""The coordinator's home as a to-do list: each kind of work waiting in the hubs she coordinates,
a few of each with a link to act, "and N more" to the filtered list, a kind word when there is none,
and one query per kind however many there are."""

from __future__ import annotations

import uuid
from datetime import timedelta
from itertools import count
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from mentoring.models import Mentee, MentorStage, Pair, Role
from mentoring.selectors.homes import SHOWN_PER_SECTION
from mentoring.services.applicants import applicant_change_stage, applicant_close, applicant_create
from mentoring.services.intake import assessment_start
from mentoring.services.mentees import mentee_create
from mentoring.services.mentors import mentor_change_stage
from mentoring.services.pairs import pair_propose
from mentoring.services.people import membership_add
from mentoring.services.sessions import session_log
from tests.conftest import _consent, _make_ready, make_active_pair, make_person, make_waiting
from tests.querycount import count_queries

pytestmark = pytest.mark.django_db

_n = count()


def _home(client) -> str:
    return client.get(reverse("coordinator_home")).content.decode()


def add_one_of_each(hub, coordinator, *, overdue_days: int = 3) -> dict[str, Any]:
    """One record of every kind of work in this hub, made through the services; the review and
    renewal dates moved into the past as time would."""
    n = next(_n)
    referred = mentee_create(hub=hub, chosen_name=f"Referred{n}", acting_user=coordinator)
    drafting = mentee_create(hub=hub, chosen_name=f"Drafting{n}", acting_user=coordinator)
    _consent(drafting, coordinator)
    draft = assessment_start(mentee=drafting, acting_user=coordinator)
    reviewing = make_waiting(mentee_create(hub=hub, chosen_name=f"Reviewing{n}", acting_user=coordinator), coordinator)
    Mentee.objects.filter(pk=reviewing.pk).update(review_due_on=timezone.localdate() - timedelta(days=overdue_days))
    paired_user = make_person(f"paired{n}@example.test", f"Paired{n}", hub, Role.MENTOR)
    paired_with = mentee_create(hub=hub, chosen_name=f"Paired{n}", acting_user=coordinator)
    pair = make_active_pair(paired_with, paired_user, coordinator)
    Pair.objects.filter(pk=pair.pk).update(next_review_on=timezone.localdate() - timedelta(days=overdue_days))
    proposing_user = make_person(f"proposing{n}@example.test", f"Proposing{n}", hub, Role.MENTOR)
    proposed_to = make_waiting(mentee_create(hub=hub, chosen_name=f"Proposed{n}", acting_user=coordinator), coordinator)
    proposal = pair_propose(
        mentee=proposed_to, mentor=_make_ready(proposing_user, coordinator), acting_user=coordinator
    )
    renewing = _make_ready(
        make_person(f"renewing{n}@example.test", f"Renewing{n}", hub, Role.MENTOR),
        coordinator,
        issued_days_ago=3 * 365 + overdue_days,
    )
    training_user = make_person(f"training{n}@example.test", f"Training{n}", hub, Role.MENTOR)
    training = mentor_change_stage(
        mentor=training_user.mentor_record, to_stage=MentorStage.TRAINING, acting_user=coordinator
    )
    enquiry = applicant_create(hub=hub, name=f"Enquirer{n}", acting_user=coordinator)
    quiet_with = mentee_create(hub=hub, chosen_name=f"Quiet{n}", acting_user=coordinator)
    quiet = make_active_pair(
        quiet_with, make_person(f"quiet{n}@example.test", f"Quiet{n}", hub, Role.MENTOR), coordinator
    )
    Pair.objects.filter(pk=quiet.pk).update(activated_on=timezone.localdate() - timedelta(weeks=5))
    talking_user = make_person(f"talking{n}@example.test", f"Talking{n}", hub, Role.MENTOR)
    talking_with = mentee_create(hub=hub, chosen_name=f"Talked{n}", acting_user=coordinator)
    talk, _ = session_log(
        pair=make_active_pair(talking_with, talking_user, coordinator),
        acting_user=talking_user,
        client_id=uuid.uuid4(),
        held_on=timezone.localdate(),
        duration_minutes=30,
        mode="phone",
        wellbeing="talk_today",
    )
    return {
        "quiet": quiet,
        "talk": talk,
        "referred": referred,
        "draft": draft,
        "drafting": drafting,
        "reviewing": reviewing,
        "pair": pair,
        "proposal": proposal,
        "renewing": renewing,
        "training": training,
        "enquiry": enquiry,
    }


def test_each_kind_of_work_is_listed_with_a_link_to_act(client, carys, hub):
    made = add_one_of_each(hub, carys)
    client.force_login(carys)
    page = _home(client)
    referred, drafting, draft = made["referred"], made["drafting"], made["draft"]
    assert f'href="{reverse("mentee_assessments", args=[referred.pk])}">{referred.chosen_name}</a>' in page
    assert f'href="{reverse("assessment_edit", args=[drafting.pk, draft.pk])}">{drafting.chosen_name}</a>' in page
    reviewing = made["reviewing"]
    assert f'href="{reverse("mentee_assessments", args=[reviewing.pk])}">{reviewing.chosen_name}</a>' in page
    assert "her review overdue" in page
    pair = made["pair"]
    assert (
        f'href="{reverse("pair_detail", args=[pair.pk])}">{pair.mentee.chosen_name} and {pair.mentor.name}</a>' in page
    )
    assert "the pair's review overdue" in page
    proposal = made["proposal"]
    assert f'href="{reverse("pair_detail", args=[proposal.pk])}">{proposal.mentee.chosen_name} and' in page
    assert f'href="{reverse("mentor_dbs", args=[made["renewing"].pk])}">{made["renewing"].name}</a>' in page
    assert "renewal overdue since" in page
    assert f'href="{reverse("mentor_detail", args=[made["training"].pk])}">{made["training"].name}</a>' in page
    enquiry = made["enquiry"]
    assert f'href="{reverse("applicant_detail", args=[enquiry.pk])}">{enquiry.name}</a>' in page
    assert "No referrals waiting." not in page
    quiet = made["quiet"]
    assert f'href="{reverse("pair_sessions", args=[quiet.pk])}">{quiet.mentee.chosen_name} and' in page
    assert "no session logged since" in page
    talk = made["talk"]
    assert f'href="{reverse("mentor_detail", args=[talk.pair.mentor_id])}">{talk.logged_by}</a>' in page
    assert f'action="{reverse("session_talked", args=[talk.pk])}"' in page


def test_empty_sections_say_so(client, carys):
    client.force_login(carys)
    page = _home(client)
    for kind in (
        "No referrals waiting.",
        "No intakes in draft.",
        "No pair reviews due.",
        "No women's reviews due.",
        "No proposals waiting for an answer.",
        "No DBS renewals due.",
        "No mentors in training.",
        "No enquiries to follow up.",
    ):
        assert kind in page


def test_a_few_of_each_oldest_first_and_the_rest_behind_a_link_to_the_filtered_list(client, carys, hub):
    today = timezone.localdate()
    women = [
        mentee_create(hub=hub, chosen_name=f"Woman{k:02}", acting_user=carys) for k in range(SHOWN_PER_SECTION + 2)
    ]
    for k, woman in enumerate(women):
        make_waiting(woman, carys)
        # Woman00's review is the most overdue: she comes first.
        Mentee.objects.filter(pk=woman.pk).update(review_due_on=today - timedelta(days=50 - k))
    client.force_login(carys)
    page = _home(client)
    shown = [woman.chosen_name for woman in women if f">{woman.chosen_name}</a>" in page]
    assert shown == [f"Woman{k:02}" for k in range(SHOWN_PER_SECTION)]
    assert f'<a href="{reverse("mentee_list")}?review_due=1">and 2 more</a>' in page
    # The link's list holds exactly the women counted here.
    listed = client.get(reverse("mentee_list") + "?review_due=1").content.decode()
    assert f"{SHOWN_PER_SECTION + 2} mentees" in listed


def test_only_her_hubs_and_chosen_names(client, carys, hub, other_hub, priya):
    made = add_one_of_each(other_hub, priya)
    Mentee.objects.filter(pk=made["referred"].pk).update(legal_name="Legal Surname")
    client.force_login(carys)
    page = _home(client)
    assert made["referred"].chosen_name not in page and "No referrals waiting." in page
    assert made["training"].name not in page
    assert made["enquiry"].name not in page
    client.force_login(priya)
    page = _home(client)
    assert made["referred"].chosen_name in page and "Legal Surname" not in page


def test_proposals_link_to_the_pairs_waiting_for_an_answer(client, carys, hub, dee_pair):
    made = add_one_of_each(hub, carys)
    client.force_login(carys)
    listed = client.get(reverse("pair_list") + "?waiting=1").content.decode()
    assert f'href="{reverse("pair_detail", args=[made["proposal"].pk])}"' in listed
    assert f'href="{reverse("pair_detail", args=[dee_pair.pk])}"' not in listed  # active: nothing awaited
    assert f'href="{reverse("pair_list")}?waiting=1"' in _home(client)


def test_queries_stay_fixed_however_much_is_waiting_in_two_hubs(client, carys, hub, other_hub):
    membership_add(user=carys, hub=other_hub, role=Role.COORDINATOR)
    client.force_login(carys)
    for where in (hub, other_hub):
        add_one_of_each(where, carys)
    _home(client)  # warm per-process caches
    few = count_queries(client, reverse("coordinator_home"))
    for _ in range(3):
        for where in (hub, other_hub):
            add_one_of_each(where, carys)
    page = _home(client)
    assert "and 3 more" in page  # eight of each kind, five shown
    assert count_queries(client, reverse("coordinator_home")) == few
    # Beyond what any signed-in page costs: her hubs with their counts, and one per kind of work.
    assert few == count_queries(client, reverse("ping")) + 1 + 10


def test_enquiries_to_follow_up_are_those_with_no_application_yet(client, carys, hub):
    today = timezone.localdate()
    waiting = [
        applicant_create(hub=hub, name=f"Asked{k}", enquired_on=today - timedelta(days=30 - k), acting_user=carys)
        for k in range(SHOWN_PER_SECTION + 1)
    ]
    applied = applicant_create(hub=hub, name="Applied", acting_user=carys)
    applicant_change_stage(applicant=applied, to_stage=MentorStage.APPLICATION, acting_user=carys)
    withdrew = applicant_create(hub=hub, name="Withdrew", acting_user=carys)
    applicant_close(applicant=withdrew, status="withdrawn", reason="No time", acting_user=carys)
    client.force_login(carys)
    page = _home(client)
    shown = [a.name for a in waiting if f">{a.name}</a>" in page]
    assert shown == [f"Asked{k}" for k in range(SHOWN_PER_SECTION)]  # the longest waiting first
    assert ">Applied</a>" not in page and ">Withdrew</a>" not in page
    assert f'<a href="{reverse("applicant_list")}?stage=enquiry">and 1 more</a>' in page
    listed = client.get(reverse("applicant_list") + "?stage=enquiry").content.decode()
    assert f"{SHOWN_PER_SECTION + 1} women" in listed
