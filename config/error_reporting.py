"""Error reporting to Sentry, switched on by SENTRY_DSN (off when it is unset).

An error report is built from what a request and a program hold at the moment something fails,
and here that can be a woman's name, her words or a disclosure. So reports carry the kind of
error, where it happened (files, lines, functions) and ids, and nothing that was typed or sent:
no request body, query string, cookies or headers, no local variables, no error messages (a
database error repeats the value that clashed), no log messages, no user beyond her id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.logging import LoggingIntegration

from config import request_log
from config.log_redaction import redacted_path

if TYPE_CHECKING:
    from sentry_sdk._types import Event  # the SDK's own type for an event, for type checking only

# What of a request may be reported: how it was asked, never what it carried.
REQUEST_KEEPS = ("method",)


def scrub(event: Event, hint: dict[str, Any] | None = None) -> Event:
    """What leaves for Sentry: the error's kind and place, ids and the route; nothing typed."""
    request = event.get("request")
    if isinstance(request, dict):
        kept = {key: request[key] for key in REQUEST_KEEPS if key in request}
        if request.get("url"):
            # The path alone, as in the logs: ids at most, never a search term or an invitation token.
            kept["url"] = redacted_path(urlsplit(str(request["url"])).path)
        event["request"] = kept
    # Who and where, as the logs say it, so a report and its request's log lines meet.
    request_id, user_id, route = request_log.current()
    event["user"] = {"id": str(user_id)} if user_id is not None else {}
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    if route:
        event["transaction"] = route
    for exception in event.get("exception", {}).get("values", []) or []:
        exception["value"] = ""
        for frame in (exception.get("stacktrace") or {}).get("frames", []) or []:
            frame.pop("vars", None)
            frame.pop("pre_context", None)
            frame.pop("context_line", None)
            frame.pop("post_context", None)
    if "logentry" in event:
        event["logentry"] = {"message": (event["logentry"] or {}).get("message", "")}
    event.pop("extra", None)
    event.pop("breadcrumbs", None)
    event.pop("message", None)
    return event


def init(dsn: str, *, environment: str, release: str = "", transport: Any = None) -> None:
    """`transport` is for the tests, which keep the reports rather than send them."""
    sentry_sdk.init(
        transport=transport,
        dsn=dsn,
        environment=environment,
        release=release or None,
        send_default_pii=False,
        include_local_variables=False,
        include_source_context=False,
        max_breadcrumbs=0,
        # Errors only: no performance traces or profiles (they would carry queries and timings
        # per page, and nobody has decided they may leave).
        traces_sample_rate=0.0,
        integrations=[
            DjangoIntegration(),
            CeleryIntegration(),
            LoggingIntegration(level=None, event_level=None),  # log lines stay in the logs
        ],
        before_send=scrub,
    )
