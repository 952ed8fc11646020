"""funding.selectors.programme_overview: the whole insights page goes through one suppression call."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from funding.models import SuppressionThreshold
from funding.selectors import programme_overview
from funding.suppression import SECONDARY_MARK, TOTAL, Figure, Shown, Status, audit
from mentoring.models import Role
from mentoring.services.people import membership_add
from tests.conftest import make_person
from tests.factories import HubFactory, MenteeFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def page_as_the_reader_sees_it(overview, hub_keys):
    """The overview's figures (mentees and mentors per hub, and the totals) as `audit` takes them."""
    figures, shown = [], {}
    for kind in ("mentees", "mentors"):
        cells = [(kind, key) for key in hub_keys]
        figures += [Figure.of_cell(cell) for cell in cells] + [Figure.sum_of((kind, TOTAL), cells)]
        texts = [getattr(row, kind) for row in overview.hubs] + [getattr(overview, f"{kind}_total")]
        for figure, text in zip(figures[-len(texts) :], texts, strict=True):
            if text.isdigit():
                shown[figure.key] = Shown(Status.PUBLISHED, text, int(text))
            else:
                shown[figure.key] = Shown(Status.PRIMARY if text.startswith("<") else Status.SECONDARY, text)
    return figures, shown


@pytest.fixture
def demo_hubs(organisation, hub, other_hub):
    """The demo's mentee counts: Kingsmere 4, Saltmarsh Bay 6, Tamar Vale 4 (by name, as shown)."""
    tamar = HubFactory.create(organisation=organisation, name="Tamar Vale", slug="tamar-vale")
    for place, count in ((other_hub, 4), (hub, 6), (tamar, 4)):
        MenteeFactory.create_batch(count, hub=place)
    return [other_hub, hub, tamar]


@pytest.fixture
def trustee(demo_hubs):
    user = make_person("trustee@example.test", "Ann", demo_hubs[0], Role.DECISION_MAKER)
    for place in demo_hubs[1:]:
        membership_add(user=user, hub=place, role=Role.DECISION_MAKER)
    return user


def test_the_demo_leak_is_closed(trustee, demo_hubs):
    """The old page showed Kingsmere <5, Saltmarsh Bay 6, Tamar Vale <5 and a total of 14, which
    gives both small hubs away as exactly 4. Now neither can be narrowed."""
    overview = programme_overview(user=trustee)
    assert [(row.name, row.mentees) for row in overview.hubs] == [
        ("Kingsmere", "<5"),
        ("Saltmarsh Bay", SECONDARY_MARK),
        ("Tamar Vale", "<5"),
    ]
    assert overview.mentees_total == "14"
    figures, shown = page_as_the_reader_sees_it(overview, ["Kingsmere", "Saltmarsh Bay", "Tamar Vale"])
    ranges = audit(figures, shown)
    assert ranges["mentees", "Kingsmere"] == ranges["mentees", "Tamar Vale"] == (1, 4)


def test_mentors_and_mentees_go_through_the_same_call(trustee, demo_hubs):
    """No mentors anywhere: the mentor column is all zeros, shown as 0, beside the suppressed
    mentee column."""
    overview = programme_overview(user=trustee)
    assert [row.mentors for row in overview.hubs] == ["0", "0", "0"]
    assert overview.mentors_total == "0"


def test_the_organisations_threshold_applies(trustee, organisation):
    SuppressionThreshold.objects.create(organisation=organisation, threshold=7)
    overview = programme_overview(user=trustee)
    # 6 is small now too; with a total of 14 each of three at most 6 would be at least 2
    assert [row.mentees for row in overview.hubs] == ["<7", "<7", "<7"]
    assert overview.mentees_total == SECONDARY_MARK
    assert overview.threshold == 7
    figures, shown = page_as_the_reader_sees_it(overview, ["Kingsmere", "Saltmarsh Bay", "Tamar Vale"])
    assert audit(figures, shown, threshold=7)["mentees", "Kingsmere"] == (1, 6)


def test_hubs_of_several_organisations_take_the_highest_threshold(trustee):
    other = OrganisationFactory.create()
    SuppressionThreshold.objects.create(organisation=other, threshold=8)
    elsewhere = HubFactory.create(organisation=other, name="Zennor")
    MenteeFactory.create_batch(20, hub=elsewhere)
    membership_add(user=trustee, hub=elsewhere, role=Role.DECISION_MAKER)
    overview = programme_overview(user=trustee)
    assert overview.threshold == 8
    assert overview.hubs[0].mentees == "<8"


@pytest.mark.parametrize("threshold", [4, 0])
def test_a_threshold_below_five_is_refused(organisation, threshold):
    setting = SuppressionThreshold(organisation=organisation, threshold=threshold)
    with pytest.raises(ValidationError):
        setting.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        setting.save()


def test_the_page_without_hubs(client):
    user = UserFactory.create()
    overview = programme_overview(user=user)
    assert overview.hubs == []
    assert overview.mentees_total == overview.mentors_total == "0"
