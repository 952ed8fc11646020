"""mentoring.selectors.intake: the consents in force on her record."""

import pytest

from mentoring.models import ConsentKind
from mentoring.selectors.intake import consents_in_force
from mentoring.services.intake import consent_record

pytestmark = pytest.mark.django_db


def test_the_latest_decision_of_each_kind_is_in_force_and_her_safe_ways_read_the_same_rows(
    carys, june, django_assert_num_queries
):
    consent_record(mentee=june, kind=ConsentKind.CONTACT_TEXT, given=True, method="verbal", acting_user=carys)
    consent_record(mentee=june, kind=ConsentKind.CONTACT_TEXT, given=False, method="verbal", acting_user=carys)
    consent_record(mentee=june, kind=ConsentKind.CONTACT_EMAIL, given=True, method="written", acting_user=carys)
    june.refresh_from_db()
    with django_assert_num_queries(1):
        in_force = consents_in_force(june)
        june.safe_ways  # noqa: B018 (reads her consents: from the rows just read)
    assert in_force[ConsentKind.CONTACT_TEXT].given is False
    assert in_force[ConsentKind.CONTACT_EMAIL].given is True
