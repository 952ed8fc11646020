"""config.request_log: each request gets an id (sent back, and on every line it logs), one line
says how it went, and a JSON line keeps ids and numbers: an exception's message, which can quote
what someone typed, is left out."""

from __future__ import annotations

import json
import logging
import sys

import pytest
from django.urls import reverse

from config.request_log import JsonFormatter, RequestContext

pytestmark = pytest.mark.django_db
CANARY = "Wrencanary"


@pytest.fixture
def logged(caplog):
    """Records as the console handler sees them: through the request-context filter."""
    context = RequestContext()
    caplog.handler.addFilter(context)
    caplog.set_level(logging.INFO)
    yield caplog
    caplog.handler.removeFilter(context)


def test_a_request_has_an_id_and_one_line_with_route_status_time_and_her_user_id(client, carys, logged):
    client.force_login(carys)
    response = client.get(reverse("mentee_list"), {"q": CANARY})
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    [line] = [json.loads(JsonFormatter().format(r)) for r in logged.records if r.name == "alongside.request"]
    assert line["request_id"] == request_id and line["user_id"] == carys.pk
    assert line["route"] == "mentee_list" and line["status"] == 200 and line["method"] == "GET"
    assert line["duration_ms"] > 0
    assert CANARY not in json.dumps(line)


def test_every_line_a_view_logs_carries_its_request_id(client, olu, ros, hub, logged):
    client.force_login(olu)
    response = client.post(reverse("person_roles", args=[ros.pk]), {"hub": hub.pk, "role": "safeguarding_lead"})
    assert response.status_code == 302, response
    lines = [json.loads(JsonFormatter().format(r)) for r in logged.records]
    [granted] = [line for line in lines if "granted by user" in line["message"]]
    assert granted["request_id"] == response["X-Request-ID"] and granted["user_id"] == olu.pk
    assert granted["route"] == "person_roles"
    assert ros.email not in json.dumps(lines)


def test_a_proxys_request_id_is_kept_and_anything_else_replaced(client):
    kept = client.get(reverse("healthz"), headers={"X-Request-ID": "proxy-1234abcd"})
    assert kept["X-Request-ID"] == "proxy-1234abcd"
    replaced = client.get(reverse("healthz"), headers={"X-Request-ID": f"{CANARY} <script>"})
    assert replaced["X-Request-ID"] != f"{CANARY} <script>" and len(replaced["X-Request-ID"]) == 32


def test_an_exception_is_logged_by_its_type_and_frames_without_its_message():
    try:
        raise ValueError(f"duplicate key value ({CANARY}@example.test)")
    except ValueError:
        record = logging.LogRecord("mentoring", logging.ERROR, __file__, 1, "saving failed", None, sys.exc_info())
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "saving failed"
    assert line["exception"]["type"] == "builtins.ValueError"
    assert line["exception"]["frames"] and __file__ in line["exception"]["frames"][0]
    assert CANARY not in json.dumps(line)
