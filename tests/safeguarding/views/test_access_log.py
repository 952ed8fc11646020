from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mentoring.models import AccessLog, Mentee
from mentoring.policies.audit import access_log_record
from tests.conftest import shows_name
from tests.querycount import assert_queries_do_not_grow, count_queries

pytestmark = pytest.mark.django_db

URL = reverse("safeguarding:access_log")


def view(user, obj, action=AccessLog.Action.VIEW):
    return access_log_record(user=user, action=action, obj=obj, hub=obj.hub, reason="Weekly review")


def page(client, **query):
    response = client.get(URL, query)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def lead(client, maz):
    client.force_login(maz)
    return client


def test_names_each_record_and_links_where_she_may_open_it(lead, carys, dee_pair):
    view(carys, dee_pair.mentee)
    view(carys, dee_pair)
    html = page(lead)
    assert f'<a href="/mentees/{dee_pair.mentee_id}/">Amber</a>' in html
    assert "Amber with Dee" in html and f"/pairs/{dee_pair.pk}/" not in html  # pairs are coordinators'
    assert "mentoring.mentee #" not in html and "mentoring.pair #" not in html
    assert "Weekly review" in html


def test_a_records_entries_and_show_all(lead, carys, amber, june):
    view(carys, amber)
    view(carys, june)
    html = page(lead)
    row_link = f"?type=mentoring.mentee&amp;id={june.pk}"
    assert row_link in html
    html = page(lead, type="mentoring.mentee", id=str(june.pk), kind="view")
    assert "Showing entries for June" in html and 'href="?kind=view">Show all</a>' in html  # keeps the kind
    assert not shows_name(html.split("Show all")[1], "Amber")
    assert "Show this record's entries" not in html


def test_a_made_up_record_filter_is_ignored(lead, carys, amber):
    view(carys, amber)
    html = page(lead, type="Amber's record", id="1")
    assert "Showing entries for" not in html and "Amber" in html


def test_filters_by_person_and_kind(lead, carys, ros, amber, june):
    view(carys, amber)
    view(ros, june, action=AccessLog.Action.EXPORT)
    html = page(lead, person=str(ros.pk))
    assert shows_name(html, "June") and not shows_name(html.split("<table")[1], "Amber")
    html = page(lead, kind=AccessLog.Action.EXPORT)
    assert "Exported" in html.split("<table")[1] and "Viewed" not in html.split("<table")[1]


def test_bad_and_reversed_dates_are_said_and_kept(lead, carys, amber):
    view(carys, amber)
    html = page(lead, **{"from": "2026-02-30", "to": "2026-01-01"})
    assert "Enter a date, like 3 May 2026." in html
    assert 'value="2026-02-30"' in html and 'value="2026-01-01"' in html
    assert 'aria-invalid="true"' in html
    html = page(lead, **{"from": "2026-03-01", "to": "2026-01-01"})
    assert "This date is before the &#x27;From&#x27; date" in html
    assert 'value="2026-03-01"' in html
    assert shows_name(html, "Amber")  # the bad dates narrow nothing until fixed


def test_an_unknown_person_is_said(lead, carys, amber):
    view(carys, amber)
    assert "Choose someone from the list." in page(lead, person="999999")


def test_dates_narrow_the_log(lead, carys, amber):
    view(carys, amber)
    today = timezone.localdate()
    assert shows_name(page(lead, **{"from": today.isoformat()}), "Amber")
    html = page(lead, to=(today - timedelta(days=1)).isoformat())
    assert "No entries match." in html


def test_pages_of_fifty_newest_first_keeping_filters(lead, carys, amber, june):
    for _ in range(51):
        view(carys, amber)
    view(carys, june)  # the newest
    html = page(lead, person=str(carys.pk))
    assert html.count('data-label="When"') == 50
    assert f"person={carys.pk}&amp;page=2" in html
    assert html.index("June") < html.index("Amber</a>")
    html = page(lead, person=str(carys.pk), page="2")
    assert html.count('data-label="When"') == 2  # 52 of hers: 50, then 2
    assert "Page 2 of 2" in html and f"?person={carys.pk}&amp;page=1" in html


def test_the_table_stacks_on_a_phone(lead, carys, amber):
    view(carys, amber)
    html = page(lead)
    assert 'class="table table-sm align-middle table-stack"' in html and "table-responsive" not in html
    assert '<form method="get"' in html and 'role="search"' in html
    for label in ('for="id_person"', 'for="id_kind"', 'for="id_from"', 'for="id_to"'):
        assert label in html


def test_reading_the_log_logs_nothing(lead, carys, amber):
    view(carys, amber)
    before = AccessLog.objects.count()
    page(lead)
    assert AccessLog.objects.count() == before


def test_query_count_is_fixed_and_does_not_grow(lead, carys, dee_pair, hub):
    def add(n):
        for i in range(n):
            woman = Mentee.objects.create(hub=hub, chosen_name=f"Woman {i}")
            view(carys, woman)
            view(carys, dee_pair)
            view(carys, dee_pair.mentor)

    queries = assert_queries_do_not_grow(lead, URL, add)
    # Nine for every signed-in page (session, her, her memberships, her sign-in session, TOTP);
    # then the people to choose, the count, the page, the people on it, and per kind on the
    # page its names and which she may open (pairs and mentors answer "none" without asking:
    # she coordinates nowhere).
    assert queries <= 9 + 4 + 4, queries
    # Doubling the entries adds none.
    add(20)
    assert count_queries(lead, URL) == queries


def test_only_safeguarding_leads(client, carys, olu, ann):
    for user in (carys, olu, ann):
        client.force_login(user)
        assert client.get(URL).status_code == 403
    client.logout()
    assert client.get(URL).status_code == 302


def test_page_links_carry_only_the_filters_understood(lead, carys, amber):
    for _ in range(51):
        view(carys, amber)
    html = page(lead, kind="view", note="Amber's bad day", type="not a type", id="x", **{"from": "nonsense"})
    assert 'href="?kind=view&amp;page=2"' in html
    assert "bad day" not in html.split('aria-label="Pages"')[1]
