"""`{{ when|day_time }}`: what `{{ when|date:"j M Y H:i" }}` shows ("5 Mar 2026 14:07"), for long lists.

The `date` filter looks its format up among the locale's format modules and parses it again
on every call, which adds up over a long list.
"""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils.dates import MONTHS_3

register = template.Library()


@register.filter(expects_localtime=True)
def day_time(value: datetime | None) -> str:
    if not isinstance(value, datetime):
        return ""
    return f"{value.day} {MONTHS_3[value.month].title()} {value.year} {value:%H:%M}"
