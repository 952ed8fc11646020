"""`{{ when|day_time }}` and `{{ day|weekday_day }}`: what `{{ when|date:"j M Y H:i" }}` and
`{{ day|date:"D j M Y" }}` show ("5 Mar 2026 14:07", "Thu 5 Mar 2026"), for long lists.

The `date` filter looks its format up among the locale's format modules and parses it again
on every call, which adds up over a long list.
"""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR

register = template.Library()


@register.filter(expects_localtime=True)
def day_time(value: datetime | None) -> str:
    if not isinstance(value, datetime):
        return ""
    return f"{value.day} {MONTHS_3[value.month].title()} {value.year} {value:%H:%M}"


@register.filter
def weekday_day(value: date | None) -> str:
    """What `{{ day|date:"D j M Y" }}` shows ("Thu 5 Mar 2026"), for long lists."""
    if not isinstance(value, date):
        return ""
    return f"{WEEKDAYS_ABBR[value.weekday()]} {value.day} {MONTHS_3[value.month].title()} {value.year}"


@register.filter
def review_flag(value: date | None) -> str:
    """ "overdue" for a review date gone by, "due today" on the day, else "": said in words beside
    the date, so a list doesn't rely on colour alone."""
    if not isinstance(value, date):
        return ""
    today = timezone.localdate()
    if value < today:
        return "overdue"
    return "due today" if value == today else ""
