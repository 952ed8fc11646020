"""`day_time` shows what `date:"j M Y H:i"` shows, in the local time zone."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.utils import timezone


@pytest.mark.parametrize(
    "when",
    [
        datetime(2026, 1, 5, 9, 3, tzinfo=UTC),
        datetime(2026, 5, 31, 23, 30, tzinfo=UTC),  # BST: already 1 June in London
        datetime(2026, 10, 25, 0, 59, tzinfo=UTC),
        datetime(2026, 12, 31, 23, 59, tzinfo=UTC),
    ],
)
def test_same_as_the_date_filter(when):
    with timezone.override("Europe/London"):
        ours = Template("{% load row_dates %}{{ when|day_time }}").render(Context({"when": when}))
        django = Template('{{ when|date:"j M Y H:i" }}').render(Context({"when": when}))
    assert ours == django


def test_nothing_for_no_date():
    assert Template("{% load row_dates %}{{ when|day_time }}").render(Context({"when": None})) == ""


@pytest.mark.parametrize("day", [date(2026, 1, 5), date(2026, 3, 1), date(2026, 9, 10), date(2026, 12, 6)])
def test_weekday_day_is_what_the_date_filter_shows(day):
    ours = Template("{% load row_dates %}{{ day|weekday_day }}").render(Context({"day": day}))
    django = Template('{{ day|date:"D j M Y" }}').render(Context({"day": day}))
    assert ours == django
