"""The access matrix: every URL pattern by every kind of person, with the answer each must get.

Deny by default: a URL pattern that isn't declared in the table fails the test, so a new
view can't ship without deciding who may use it. The checker is a plain function so that
a test can prove it catches a view that skips its policy (tests/access_matrix/test_matrix.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

PEOPLE = [
    "anonymous",
    "coordinator",
    "safeguarding_lead",
    "decision_maker",
    "org_admin",
    "mentor_unpaired",
    "mentor_paired",
    "other_hub_coordinator",
    "superuser",
]
SIGNED_IN = [p for p in PEOPLE if p != "anonymous"]


def answers(default: int, anonymous: int | None = 302, **by_person: int) -> dict[str, int]:
    """Expected status for each person: `default` unless named. Anonymous goes to the login page."""
    table = {person: default for person in SIGNED_IN}
    table["anonymous"] = default if anonymous is None else anonymous
    table.update(by_person)
    unknown = set(by_person) - set(PEOPLE)
    assert not unknown, f"unknown people in the matrix: {unknown}"
    return table


def only(*people: str, ok: int = 200, denied: int = 403) -> dict[str, int]:
    return answers(denied, **dict.fromkeys(people, ok))


@dataclass
class Rule:
    expect: dict[str, int]
    method: str = "get"
    kwargs: Callable[[Any], dict[str, Any]] = lambda ctx: {}
    data: Callable[[Any], dict[str, Any]] = lambda ctx: {}
    name: str | None = None  # the URL name to reverse, when the route is named
    note: str = ""
    path: Callable[[Any], str] | None = None  # for routes without a name
    samples: list[str] = field(default_factory=list)


class Rollback(Exception):
    pass


def walk_routes(urlconf: str | None = None) -> Iterator[tuple[str, str | None]]:
    """Every (route, name) in the URL configuration, routes written out in full."""

    def walk(patterns: list[Any], prefix: str, namespace: str | None) -> Iterator[tuple[str, str | None]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = namespace
                if pattern.namespace:
                    ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
                yield prefix + str(pattern.pattern), name

    yield from walk(get_resolver(urlconf).url_patterns, "", None)


def undeclared_routes(table: dict[str, Rule], prefixes: tuple[str, ...], urlconf: str | None = None) -> list[str]:
    return [route for route, _ in walk_routes(urlconf) if route not in table and not route.startswith(prefixes)]


def check_route(route: str, rule: Rule, ctx: Any, people: dict[str, Any]) -> list[str]:
    """Request the route as each person; return every answer that differs from the table."""
    failures = []
    for person in PEOPLE:
        expected = rule.expect[person]
        try:
            with transaction.atomic():
                client = Client()
                if person != "anonymous":
                    client.force_login(people[person])
                url = rule.path(ctx) if rule.path else reverse(rule.name or route, kwargs=rule.kwargs(ctx))
                response = getattr(client, rule.method)(url, rule.data(ctx))
                if response.status_code != expected:
                    failures.append(f"{route} as {person}: expected {expected}, got {response.status_code}")
                raise Rollback  # each person starts from the same data
        except Rollback:
            pass
    return failures
