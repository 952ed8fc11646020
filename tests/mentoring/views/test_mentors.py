"""mentoring.views.mentors: the coordinator's mentor list and a mentor's record, and the org admin's
training curriculum."""

from __future__ import annotations

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from mentoring.models import Mentee, MentorStage, NeedArea, Role, TrainingModule, User
from mentoring.services.mentees import mentee_create
from mentoring.services.mentors import (
    mentor_change_stage,
    mentor_record_dbs,
    mentor_update_profile,
    reference_add,
    training_module_add,
)
from mentoring.services.pairs import pair_propose
from mentoring.services.people import membership_add
from mentoring.services.relationships import relationship_record
from tests.conftest import make_person, make_waiting, shows_name
from tests.once import form_token
from tests.querycount import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


def _waiting(hub, coordinator: User, name: str) -> Mentee:
    return make_waiting(mentee_create(hub=hub, chosen_name=name, acting_user=coordinator), coordinator)


# --- the list ---


def test_list_shows_only_her_hubs_mentors(client, carys, ros, priya, other_hub, new_mentor, ros_mentor):
    kit = new_mentor(other_hub, "Kit")
    client.force_login(carys)
    page = client.get(reverse("mentor_list")).content.decode()
    assert shows_name(page, "Ros") and not shows_name(page, "Kit")
    assert f'href="{reverse("mentor_detail", args=[ros_mentor.pk])}"' in page
    assert f'href="{reverse("mentor_detail", args=[kit.pk])}"' not in page


def test_list_is_for_coordinators_only(client, maz, olu):
    for person in (maz, olu):
        client.force_login(person)
        assert client.get(reverse("mentor_list")).status_code == 403


def test_list_filters_by_stage_and_name(client, carys, hub, ros_mentor, new_mentor):
    lin = new_mentor(hub, "Lin")
    mentor_change_stage(mentor=lin, to_stage=MentorStage.TRAINING, acting_user=carys)
    client.force_login(carys)
    page = client.get(reverse("mentor_list"), {"stage": "training"}).content.decode()
    assert "Lin" in page and not shows_name(page, "Ros")
    page = client.get(reverse("mentor_list"), {"q": "ro"}).content.decode()
    assert "Ros" in page and not shows_name(page, "Lin")
    # An unknown stage is ignored rather than an error.
    page = client.get(reverse("mentor_list"), {"stage": "nonsense"}).content.decode()
    assert "Ros" in page and "Lin" in page


def test_list_filters_by_hub(client, carys, hub, other_hub, ros_mentor, new_mentor):
    membership_add(user=carys, hub=other_hub, role=Role.COORDINATOR)
    new_mentor(other_hub, "Kit")
    client.force_login(carys)
    page = client.get(reverse("mentor_list")).content.decode()
    assert "Kit" in page and "Ros" in page
    page = client.get(reverse("mentor_list"), {"hub": other_hub.pk}).content.decode()
    assert "Kit" in page and not shows_name(page, "Ros")


def test_free_place_filter_counts_open_pairs(client, carys, hub, core_module, ros_mentor, make_ready, new_mentor):
    full = make_ready(new_mentor(hub, "Fen"), carys)
    pair_propose(mentee=_waiting(hub, carys, "Gwen"), mentor=full, acting_user=carys)  # capacity 1: full
    roomy = make_ready(new_mentor(hub, "Hana"), carys)
    mentor_update_profile(mentor=roomy, capacity=2, acting_user=carys)
    pair_propose(mentee=_waiting(hub, carys, "Iris"), mentor=roomy, acting_user=carys)
    mentor_update_profile(mentor=ros_mentor, capacity=0, acting_user=carys)
    client.force_login(carys)
    page = client.get(reverse("mentor_list"), {"free": "1"}).content.decode()
    assert "Hana" in page and not shows_name(page, "Fen") and not shows_name(page, "Ros")
    assert "1 of 2" in page
    page = client.get(reverse("mentor_list")).content.decode()
    assert "0 of 1" in page  # Fen


def test_dbs_due_filter_and_flags(client, carys, hub, ros_mentor, new_mentor):
    today = timezone.localdate()
    overdue = new_mentor(hub, "Orla")
    mentor_record_dbs(
        mentor=overdue,
        level="basic",
        certificate_number="1",
        issued_on=today - relativedelta(years=3, days=5),
        acting_user=carys,
    )
    soon = new_mentor(hub, "Suki")
    mentor_record_dbs(
        mentor=soon,
        level="basic",
        certificate_number="1",
        issued_on=today - timedelta(days=300),
        renewal_due=today + timedelta(days=20),
        acting_user=carys,
    )
    later = new_mentor(hub, "Lena")
    mentor_record_dbs(
        mentor=later, level="basic", certificate_number="1", issued_on=today - timedelta(days=10), acting_user=carys
    )
    client.force_login(carys)
    page = client.get(reverse("mentor_list"), {"dbs_due": "1"}).content.decode()
    assert "Orla" in page and "Suki" in page
    assert "Lena" not in page and not shows_name(page, "Ros")  # Ros has no check at all: she shows as not ready
    assert "overdue" in page and "due soon" in page


def test_a_mentor_who_has_left_is_not_due_a_dbs_renewal(client, carys, hub, new_mentor):
    """Neither the list's filter nor the to-do home asks for a renewal from someone who has gone:
    both read the one rule."""
    today = timezone.localdate()
    for name in ("Orla", "Greta"):
        mentor_record_dbs(
            mentor=new_mentor(hub, name),
            level="basic",
            certificate_number="1",
            issued_on=today - relativedelta(years=3, days=5),
            acting_user=carys,
        )
    greta = hub.mentors.get(user__display_name="Greta")
    mentor_change_stage(mentor=greta, to_stage=MentorStage.LEFT, acting_user=carys)
    client.force_login(carys)
    listed = client.get(reverse("mentor_list"), {"dbs_due": "1"}).content.decode()
    assert "Orla" in listed and "Greta" not in listed
    renewals = client.get(reverse("coordinator_home")).context["todo"].dbs_renewals_due
    assert [mentor.name for mentor in renewals.items] == ["Orla"]


def test_list_query_count_does_not_grow(client, carys, hub, core_module, make_ready, new_mentor):
    client.force_login(carys)

    def add_rows(n: int) -> None:
        for _ in range(n):
            mentor = make_ready(new_mentor(hub, "Someone"), carys)
            pair_propose(mentee=_waiting(hub, carys, "Her"), mentor=mentor, acting_user=carys)

    assert_queries_do_not_grow(client, reverse("mentor_list"), add_rows, rows=8)


def test_list_is_paginated(client, carys, hub, new_mentor):
    for _ in range(26):
        new_mentor(hub, "Someone")
    client.force_login(carys)
    page = client.get(reverse("mentor_list")).content.decode()
    assert "Page 1 of 2" in page


# --- her record ---


def test_detail_says_what_is_missing(client, carys, ros_mentor, core_module, make_ready):
    client.force_login(carys)
    page = client.get(reverse("mentor_detail", args=[ros_mentor.pk])).content.decode()
    assert "Not ready yet" in page
    assert "No DBS check recorded." in page and "Safeguarding basics" in page
    make_ready(ros_mentor, carys)
    page = client.get(reverse("mentor_detail", args=[ros_mentor.pk])).content.decode()
    assert "Ready to be matched" in page and "Not ready yet" not in page


def test_detail_shows_her_training_the_core_still_to_do_and_only_taught_modules_to_record(
    client, carys, olu, hub, ros_mentor
):
    from datetime import date

    from mentoring.services.mentors import training_module_update, training_record

    org = hub.organisation_id
    done = training_module_add(organisation_id=org, name="Boundaries", is_core=True, acting_user=olu)
    to_do = training_module_add(organisation_id=org, name="Listening", is_core=True, acting_user=olu)
    retired = training_module_add(organisation_id=org, name="Old induction", is_core=False, acting_user=olu)
    dropped = training_module_add(organisation_id=org, name="Never taught now", is_core=False, acting_user=olu)
    training_record(mentor=ros_mentor, module=done, acting_user=carys, completed_on=date(2026, 2, 3))
    training_record(mentor=ros_mentor, module=retired, acting_user=carys, completed_on=date(2025, 5, 6))
    for module in (retired, dropped):
        training_module_update(module=module, acting_user=olu, is_active=False)
    client.force_login(carys)
    page = client.get(reverse("mentor_detail", args=[ros_mentor.pk])).content.decode()
    assert "Done 3 Feb 2026" in page and "Done 6 May 2025" in page and "no longer taught" in page
    assert "Core training to complete: Listening." in page
    assert "Never taught now" not in page  # switched off before she did it: not part of her record
    record_form = page[page.index('id="training-module"') :].split("</select>")[0]
    assert f'value="{to_do.pk}"' in record_form and f'value="{done.pk}"' in record_form
    assert f'value="{retired.pk}"' not in record_form


def test_detail_shows_her_record_but_never_the_certificate_number(
    client, carys, ros_mentor, core_module, amber, make_ready
):
    areas = list(NeedArea.objects.filter(is_active=True)[:1])
    mentor_update_profile(
        mentor=ros_mentor,
        lived_experience=areas,
        lived_experience_consent=True,
        availability=["mon_am", "sat_eve"],
        meeting_modes=["walk"],
        languages="English, Welsh",
        acting_user=carys,
    )
    make_ready(ros_mentor, carys)
    reference_add(mentor=ros_mentor, referee="Jo at the food bank", outcome="satisfactory", acting_user=carys)
    relationship_record(mentee=amber, mentor=ros_mentor, kind="friends", acting_user=carys)
    client.force_login(carys)
    page = client.get(reverse("mentor_detail", args=[ros_mentor.pk])).content.decode()
    assert "001234567890" not in page
    assert "Enhanced" in page and areas[0].name in page and "Welsh" in page
    assert "Out and about" in page and "Satisfactory" in page and "Jo at the food bank" in page
    assert "Amber" in page and "never match" in page
    assert "Done " in page and "core" in page
    assert page.count(">free<") == 2
    assert "Enquiry → Active" in page and "by Carys" in page


def test_detail_is_404_for_anyone_but_her_hubs_coordinators(client, ros_mentor, priya, maz, olu, ann, dee):
    url = reverse("mentor_detail", args=[ros_mentor.pk])
    for person in (priya, maz, olu, ann, dee):
        client.force_login(person)
        assert client.get(url).status_code == 404, person


def test_detail_read_is_logged(client, carys, ros_mentor):
    from mentoring.models import AccessLog

    client.force_login(carys)
    client.get(reverse("mentor_detail", args=[ros_mentor.pk]))
    entry = AccessLog.objects.get(object_type="mentoring.mentor")
    assert (entry.object_id, entry.user) == (str(ros_mentor.pk), carys)


def test_stage_form_moves_her(client, carys, ros_mentor):
    client.force_login(carys)
    response = client.post(
        reverse("mentor_stage", args=[ros_mentor.pk]), {"to_stage": "application", "note": "Form in"}
    )
    assert response.status_code == 302
    ros_mentor.refresh_from_db()
    assert ros_mentor.stage == "application"
    assert ros_mentor.stage_changes.get().changed_by == carys


def test_stage_form_refuses_a_future_date(client, carys, ros_mentor):
    client.force_login(carys)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        reverse("mentor_stage", args=[ros_mentor.pk]), {"to_stage": "application", "changed_on": tomorrow}, follow=True
    )
    assert "can&#x27;t be in the future" in response.content.decode()
    ros_mentor.refresh_from_db()
    assert ros_mentor.stage == "enquiry"


def test_dbs_in_the_future_keeps_what_was_typed(client, carys, ros_mentor):
    client.force_login(carys)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        reverse("mentor_dbs", args=[ros_mentor.pk]),
        {"level": "enhanced", "certificate_number": "009988776655", "issued_on": tomorrow.isoformat()},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "This date can&#x27;t be in the future." in page
    assert 'value="009988776655"' in page and f'value="{tomorrow.isoformat()}"' in page
    assert '<option value="enhanced" selected>' in page
    ros_mentor.refresh_from_db()
    assert ros_mentor.dbs_issued_on is None


def test_dbs_renewal_before_issue_is_refused_on_the_form(client, carys, ros_mentor):
    client.force_login(carys)
    today = timezone.localdate()
    response = client.post(
        reverse("mentor_dbs", args=[ros_mentor.pk]),
        {
            "level": "basic",
            "certificate_number": "1",
            "issued_on": (today - timedelta(days=5)).isoformat(),
            "renewal_due": (today - timedelta(days=6)).isoformat(),
        },
    )
    assert "Renewal must come after the issue date." in response.content.decode()


def test_dbs_form_records_the_check(client, carys, ros_mentor):
    client.force_login(carys)
    issued = timezone.localdate() - timedelta(days=5)
    response = client.post(
        reverse("mentor_dbs", args=[ros_mentor.pk]),
        {"level": "enhanced", "certificate_number": "009988776655", "issued_on": issued.isoformat()},
    )
    assert response.status_code == 302
    ros_mentor.refresh_from_db()
    assert ros_mentor.dbs_renewal_due == issued + relativedelta(years=3)
    assert ros_mentor.dbs_certificate_number == "009988776655"


def test_training_form_records_a_completion(client, carys, ros_mentor, core_module):
    client.force_login(carys)
    response = client.post(reverse("mentor_training", args=[ros_mentor.pk]), {"module": core_module.pk})
    assert response.status_code == 302
    assert ros_mentor.training.get().module == core_module


def test_training_form_refuses_another_organisations_module(client, carys, ros_mentor):
    from tests.factories import HubFactory, OrganisationFactory

    elsewhere = HubFactory.create(organisation=OrganisationFactory.create(slug="elsewhere", name="Elsewhere"))
    admin = make_person("admin@elsewhere.test", "Admin", elsewhere, Role.ORG_ADMIN)
    foreign = training_module_add(
        organisation_id=elsewhere.organisation_id, name="Theirs", is_core=True, acting_user=admin
    )
    client.force_login(carys)
    client.post(reverse("mentor_training", args=[ros_mentor.pk]), {"module": foreign.pk})
    assert not ros_mentor.training.exists()


def test_reference_form(client, carys, ros_mentor):
    client.force_login(carys)
    response = client.post(
        reverse("mentor_reference_add", args=[ros_mentor.pk]),
        {"referee": "Sam, housing officer", "relationship": "support worker", "outcome": "requested"},
    )
    assert response.status_code == 302
    assert ros_mentor.references.get().referee == "Sam, housing officer"


def test_a_reference_sent_twice_is_recorded_once(client, carys, ros_mentor):
    client.force_login(carys)
    url = reverse("mentor_reference_add", args=[ros_mentor.pk])
    data = {"referee": "Sam", "relationship": "support worker", "outcome": "requested"}
    data["once_token"] = form_token(client, url)
    client.post(url, data)
    repeat = client.post(url, data)
    assert repeat["Location"] == reverse("mentor_detail", args=[ros_mentor.pk])
    assert ros_mentor.references.count() == 1


def test_edit_saves_availability_and_consent(client, carys, ros_mentor):
    area = NeedArea.objects.filter(is_active=True).first()
    assert area is not None
    client.force_login(carys)
    page = client.get(reverse("mentor_edit", args=[ros_mentor.pk])).content.decode()
    assert page.count('name="availability"') == 21
    assert "Mon morning" in page and "Sun evening" in page
    response = client.post(
        reverse("mentor_edit", args=[ros_mentor.pk]),
        {
            "lived_experience": [area.pk],
            "lived_experience_consent": "on",
            "share_lived_experience": "on",
            "languages": "English, Polish",
            "areas": "Saltmarsh, Eastcliff",
            "meeting_modes": ["phone", "walk"],
            "availability": ["tue_pm", "thu_eve"],
            "capacity": "2",
            "interests": "gardening",
        },
    )
    assert response.status_code == 302
    ros_mentor.refresh_from_db()
    assert ros_mentor.availability == ["tue_pm", "thu_eve"]
    assert ros_mentor.capacity == 2 and ros_mentor.share_lived_experience
    assert ros_mentor.lived_experience_consent_on == timezone.localdate()
    assert list(ros_mentor.lived_experience.all()) == [area]
    page = client.get(reverse("mentor_edit", args=[ros_mentor.pk])).content.decode()
    assert page.count(" checked") >= 2 + 2 + 2 + 1  # the slots, modes, consents and area are ticked again


def test_edit_sharing_without_consent_keeps_what_was_typed(client, carys, ros_mentor):
    client.force_login(carys)
    response = client.post(
        reverse("mentor_edit", args=[ros_mentor.pk]),
        {"share_lived_experience": "on", "languages": "English, Urdu", "availability": ["wed_am"], "capacity": "9"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "She can agree to share only once she agrees her experience is used." in page
    assert "Between 0 and 6." in page
    assert 'value="English, Urdu"' in page
    assert 'value="wed_am" id="id_availability_' in page and 'value="wed_am" id="id_availability_6" checked' in page
    ros_mentor.refresh_from_db()
    assert ros_mentor.languages == "English"


# --- the curriculum (org admin) ---


def test_org_admin_adds_and_switches_modules(client, olu, hub):
    client.force_login(olu)
    response = client.post(reverse("training_modules"), {"name": "Boundaries", "is_core": "true"})
    assert response.status_code == 302
    module = TrainingModule.objects.get(name="Boundaries")
    assert module.is_core and module.organisation_id == hub.organisation_id
    client.post(reverse("training_module_toggle", args=[module.pk]), {"what": "core"})
    client.post(reverse("training_module_toggle", args=[module.pk]), {"what": "active"})
    module.refresh_from_db()
    assert not module.is_core and not module.is_active
    page = client.get(reverse("training_modules")).content.decode()
    assert "Boundaries" in page and "switched off" in page and "Make core" in page


def test_duplicate_module_name_keeps_what_was_typed(client, olu, hub):
    training_module_add(organisation_id=hub.organisation_id, name="Boundaries", is_core=True, acting_user=olu)
    client.force_login(olu)
    response = client.post(reverse("training_modules"), {"name": "boundaries", "is_core": "false"})
    page = response.content.decode()
    assert response.status_code == 200 and "There is already a module with that name." in page
    assert 'value="boundaries"' in page
