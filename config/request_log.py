"""Structured logs: every line can say which request it belongs to (a request id), who made it
(her user id, never her name or address), which route (its name, never the path's query string)
and how long it took; in production each line is one JSON object.

What a line may carry is held to ids, names of routes and numbers: a log message written in the
code says "invitation 12 sent", never whom to. An exception is logged by its type and where it
was raised, without its message, which can quote what someone typed (a database error repeats
the value that clashed).
"""

from __future__ import annotations

import json
import logging
import re
import time
import traceback
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse

_request_id: ContextVar[str] = ContextVar("request_id", default="")
_user_id: ContextVar[int | None] = ContextVar("user_id", default=None)
_route: ContextVar[str] = ContextVar("route", default="")
# A proxy's request id is kept when it looks like one (so its logs and ours meet); anything else
# is replaced, never copied into a log.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")

logger = logging.getLogger("alongside.request")


class RequestLogMiddleware:
    """Outermost: gives the request an id (also sent back as X-Request-ID), and when the response
    is ready logs one line of it: method, route name, status, time taken, user id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def process_view(self, request: HttpRequest, *args: object) -> None:
        """Once the other middleware has run: who is asking, and which route, for the lines the
        view itself logs."""
        _note_who_and_where(request)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        offered = request.headers.get("X-Request-ID", "")
        request_id = offered if _REQUEST_ID.match(offered) else uuid.uuid4().hex
        id_token, user_token, route_token = _request_id.set(request_id), _user_id.set(None), _route.set("")
        try:
            response = self.get_response(request)
            _note_who_and_where(request)  # a sign-in has just made her known
            response["X-Request-ID"] = request_id
            logger.info(
                "request",
                extra={
                    "method": request.method,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            _request_id.reset(id_token)
            _user_id.reset(user_token)
            _route.reset(route_token)


def _note_who_and_where(request: HttpRequest) -> None:
    user = getattr(request, "user", None)
    _user_id.set(user.pk if user is not None and user.is_authenticated else None)
    match = getattr(request, "resolver_match", None)
    if match is not None:
        _route.set(match.view_name)


def current() -> tuple[str, int | None, str]:
    """The request being served: its id, her user id and the route name ("" and None outside one)."""
    return _request_id.get(), _user_id.get(), _route.get()


class RequestContext(logging.Filter):
    """Adds the request id, user id and route of the request being served (if any) to each record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        if not hasattr(record, "user_id"):
            record.user_id = _user_id.get()
        record.route = _route.get()
        return True


# The fields a line may carry beyond the basics: what RequestLogMiddleware and RequestContext add.
EXTRA_FIELDS = ("request_id", "user_id", "route", "method", "status", "duration_ms")


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, the request's fields, and for an
    exception its type and frames (file, line, function) without its message."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in EXTRA_FIELDS:
            value = getattr(record, field, None)
            if value not in (None, ""):
                line[field] = value
        if record.exc_info and record.exc_info[0] is not None:
            exc_type, _, tb = record.exc_info
            line["exception"] = {
                "type": f"{exc_type.__module__}.{exc_type.__qualname__}",
                "frames": [f"{frame.filename}:{frame.lineno} {frame.name}" for frame in traceback.extract_tb(tb)],
            }
        return json.dumps(line, default=str)
