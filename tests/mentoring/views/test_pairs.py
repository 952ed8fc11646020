"""mentoring.views.pairs: the pair list and a pair's page."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mentoring.models import Pair, Role
from mentoring.services.intake import consent_record
from mentoring.services.mentees import mentee_create
from mentoring.services.mentors import mentor_update_profile
from mentoring.services.pairs import pair_agreement_save, pair_propose
from tests.conftest import _make_ready, make_active_pair, make_person, make_waiting
from tests.once import form_token
from tests.querycount import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


def test_pair_list_query_count_does_not_grow(client, hub, carys):
    client.force_login(carys)

    def add_pairs(n: int) -> None:
        for k in range(n):
            user = make_person(f"m{Pair.objects.count()}-{k}@example.test", "M", hub, Role.MENTOR)
            mentee = mentee_create(hub=hub, chosen_name=f"W{k}", acting_user=carys)
            make_active_pair(mentee, user, carys)

    assert_queries_do_not_grow(client, reverse("pair_list"), add_pairs, rows=5)


def test_pair_page_says_whether_the_mentors_lived_experience_may_be_shared(client, carys, dee_pair):
    client.force_login(carys)
    url = reverse("pair_detail", args=[dee_pair.pk])
    assert "hasn't agreed to her lived experience being shared" in client.get(url).content.decode()
    mentor_update_profile(
        mentor=dee_pair.mentor, acting_user=carys, lived_experience_consent=True, share_lived_experience=True
    )
    assert "Amber may be told which experiences they share" in client.get(url).content.decode()


# --- the agreement offers only her safe ways; dates follow the events before them ---


def _page(response) -> str:
    return html.unescape(response.content.decode())


def test_the_agreement_offers_only_her_safe_ways_and_refuses_another_naming_her_answers(
    client, carys, dee, dee_pair, amber, safe_ways
):
    safe_ways(amber, carys, "text", letters_safe=False)
    client.force_login(dee)
    url = reverse("pair_agreement", args=[dee_pair.pk])
    offered = set(re.findall(r'name="contact_channels" value="(\w+)"', _page(client.get(url))))
    assert offered == {"text"}
    response = client.post(
        url,
        {
            "agreed_on": timezone.localdate().isoformat(),
            "contact_channels": ["text", "letter"],
            "contact_hours": "Weekdays 9 to 5",
            "if_worried_about_safety": "I'll tell you first.",
        },
    )
    page = _page(response)
    assert "“Letter” can't be agreed: “Letter” isn't ticked as a safe way on her record" in page
    assert "“Is it safe to send letters?” is “No”" in page
    assert "Weekdays 9 to 5" in page and "I'll tell you first." in page
    assert not dee_pair.agreements.exists()


def test_her_mentors_phone_marks_an_agreed_way_that_is_no_longer_safe(client, carys, dee, dee_pair, amber, safe_ways):
    safe_ways(amber, carys, "text", "phone")
    pair_agreement_save(
        pair=dee_pair, acting_user=carys, contact_channels=["text", "phone"], if_worried_about_safety="Tell her."
    )
    consent_record(mentee=amber, kind="contact_phone", given=False, method="verbal", acting_user=carys)
    client.force_login(dee)
    page = _page(client.get(reverse("mentor_home")))
    assert "Safe ways:</strong> Text message</li>" in page
    assert "<s>Phone call</s> <strong>(no longer one of her safe ways: don't use it)</strong>" in page


def test_a_consent_dated_before_the_proposal_names_both_dates_and_keeps_the_date_typed(
    client, carys, june, ros, mentor_with
):
    pair = pair_propose(mentee=june, mentor=mentor_with(ros, carys), acting_user=carys)
    client.force_login(carys)
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(
        reverse("pair_consent", args=[pair.pk]),
        {"who": "mentee", "mentee-who": "mentee", "mentee-method": "verbal", "mentee-on": yesterday.isoformat()},
    )
    page = _page(response)
    today = timezone.localdate()
    assert f"The date she agreed ({yesterday:%-d %b %Y}) is before the pair was proposed ({today:%-d %b %Y})." in page
    assert f'value="{yesterday.isoformat()}"' in page
    pair.refresh_from_db()
    assert pair.mentee_consent_on is None


def test_pair_list_says_in_words_which_reviews_are_overdue_and_whose_review_it_is(client, carys, dee_pair, hub, ros):
    today = timezone.localdate()
    Pair.objects.filter(pk=dee_pair.pk).update(next_review_on=today - timedelta(days=2))
    zoe = mentee_create(hub=hub, chosen_name="Zoe", acting_user=carys)
    on_the_day = make_active_pair(zoe, ros, carys)
    Pair.objects.filter(pk=on_the_day.pk).update(next_review_on=today)
    client.force_login(carys)
    page = client.get(reverse("pair_list")).content.decode()
    assert '<th scope="col">Pair\'s next review</th>' in page
    rows = {name: row for row in page.split("<tr>") for name in ("Amber", "Zoe") if f">{name}</a>" in row}
    assert '<span class="badge text-bg-warning">overdue</span>' in rows["Amber"]
    assert '<span class="badge text-bg-warning">due today</span>' in rows["Zoe"]


def test_pair_page_names_each_woman_once_and_says_the_review_is_the_pairs(client, hub, carys, dee_pair):
    # Demo accounts carry their role in their name ("Ros (mentor)"): the page must not add it again.
    mentor_user = make_person("rosm@example.test", "Ros (mentor)", hub, Role.MENTOR)
    mentee = mentee_create(hub=hub, chosen_name="Gail", acting_user=carys)
    make_waiting(mentee, carys)
    proposal = pair_propose(mentee=mentee, mentor=_make_ready(mentor_user, carys), acting_user=carys)
    client.force_login(carys)
    page = client.get(reverse("pair_detail", args=[proposal.pk])).content.decode()
    assert "(mentor) (mentor)" not in page and "(mentee)" not in page
    assert '<h3 class="h6">Ros (mentor)</h3>' in page and '<h3 class="h6">Gail</h3>' in page
    Pair.objects.filter(pk=dee_pair.pk).update(next_review_on=timezone.localdate() - timedelta(days=1))
    page = client.get(reverse("pair_detail", args=[dee_pair.pk])).content.decode()
    assert "The pair's next review:" in page and '<span class="badge text-bg-warning">overdue</span>' in page


def test_a_review_sent_twice_is_recorded_once_and_a_refused_one_keeps_its_token(client, carys, dee_pair):
    client.force_login(carys)
    review = reverse("pair_review", args=[dee_pair.pk])
    token = form_token(client, reverse("pair_detail", args=[dee_pair.pk]), action=review)
    refused = client.post(review, {"on": "2099-01-01", "notes": "Going well", "once_token": token})
    assert refused.status_code == 200
    assert f'value="{token}"' in refused.content.decode()
    data = {"on": timezone.localdate().isoformat(), "notes": "Going well", "once_token": token}
    client.post(review, data)
    repeat = client.post(review, data)
    assert repeat["Location"] == reverse("pair_detail", args=[dee_pair.pk])
    assert dee_pair.reviews.count() == 1
