"""Request paths in logs without what could identify a woman or let someone in.

A search box puts what she typed (often a woman's name) in the query string, and an invitation
link carries its one-time token in the path. Every log that names a request keeps the path
alone, with invitation tokens masked: gunicorn's access log (config/gunicorn_logging.py) and
Django's own request logging (the filter below, on every handler in settings).
"""

from __future__ import annotations

import logging
import re

_TOKEN_PATHS = re.compile(r"^(/invite/)[^/?]+(/[^?]*)?")
_REQUEST_LINE = re.compile(r"^([A-Z]+) (\S+) (HTTP/\S+)$")


def redacted_path(path: str | None) -> str:
    """The request path without a query string and with any invitation token replaced."""
    path = (path or "").split("?", 1)[0]
    return _TOKEN_PATHS.sub(lambda match: match.group(1) + "…" + (match.group(2) or ""), path)


def _redacted(value: object) -> object:
    if not isinstance(value, str):
        return value
    if value.startswith("/"):
        return redacted_path(value)
    line = _REQUEST_LINE.match(value)
    if line:
        return f"{line.group(1)} {redacted_path(line.group(2))} {line.group(3)}"
    return value


class RedactRequestPaths(logging.Filter):
    """For django.request ("Not Found: /path") and runserver's request lines: each argument that is
    a path or a request line loses its query string and any invitation token."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_redacted(arg) for arg in record.args)
        return True
