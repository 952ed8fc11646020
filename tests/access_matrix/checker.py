"""The access matrix: every URL pattern, by every method its view accepts, as every kind of
person, on records in every state that changes who may see them, with the answer each must get.

Deny by default: a URL pattern that isn't declared in the table fails, and so does a method a
view accepts that the table doesn't declare (the methods are read from the views themselves), so
a new view can't ship without deciding who may use it, and how.

Each request is a `Case`, tried in a savepoint of its own and rolled back, and handed to every
`Check`: the status, the canaries of records the person may not see, nothing written by someone
who may not act, and denials that look like a missing record. The checks are plain objects so
that a test can add another (say, about the access log) and reuse every case the matrix tries;
`check_route` returns what was tried, with the record each request named.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any, Protocol

from django.core import mail
from django.db import connection, transaction
from django.db.models import Max
from django.http import HttpResponse
from django.test import Client, TestCase
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from mentoring.models import AccessLog
from tests.access_matrix.world import CANARY, PEOPLE, ROSTER, SIGNED_IN, Canary, State, World

# Methods every view answers without doing anything (HEAD is GET without the body): not declared.
IMPLIED_METHODS = {"HEAD", "OPTIONS"}


@dataclass
class Answer:
    """Who gets what from one method of one route: `who` gets `ok`; each `but` tier in order;
    everyone else `denied`. `who` may name people or, for a route on a record, people relative to
    the record (world.HER_CASEWORK and the like), so one line covers every state of the record."""

    who: tuple[str, ...]
    ok: int = 200
    denied: int = 403
    anonymous: int | None = 302  # None: a public page, anonymous is like anyone else
    ok_in: dict[str, int] = field(default_factory=dict)  # a different `ok` in some states
    tiers: list[tuple[int, tuple[str, ...]]] = field(default_factory=list)
    # What a valid request sends, given the record, the world and who is asking (her own hub, say).
    data: Callable[[State | None, World, str], dict[str, Any]] | None = None
    ok_for: dict[str, int] = field(default_factory=dict)  # a different `ok` for some of those allowed

    def but(self, status: int, *who: str) -> Answer:
        self.tiers.append((status, who))
        return self

    def allowed(self, state: State | None) -> set[str]:
        if state is not None and state.name == "missing":
            return set()  # nobody may use a record that doesn't exist
        people = state.audience(self.who) if state else State("", None, 0).audience(self.who)
        if self.anonymous is not None:
            people.discard("anonymous")
        return people

    def expected(self, state: State | None) -> dict[str, int]:
        ok = self.ok_in.get(state.name, self.ok) if state else self.ok
        table = dict.fromkeys(PEOPLE, self.denied)
        for status, who in reversed(self.tiers):
            for person in state.audience(who) if state else State("", None, 0).audience(who):
                table[person] = status
        if state is not None and state.name == "missing":
            table = dict.fromkeys(PEOPLE, self.denied)
        for person in self.allowed(state):
            table[person] = self.ok_for.get(person, ok)
        if self.anonymous is not None:
            table["anonymous"] = self.anonymous
        return table


def only(*who: str, ok: int = 200, denied: int = 403, anonymous: int | None = 302, **kw: Any) -> Answer:
    return Answer(tuple(who), ok=ok, denied=denied, anonymous=anonymous, **kw)


def answers(default: int, anonymous: int | None = 302, **by_person: int) -> Answer:
    """Everyone signed in gets `default` unless named; anonymous goes to the login page."""
    unknown = set(by_person) - set(PEOPLE)
    assert not unknown, f"unknown people in the matrix: {unknown}"
    answer = Answer(tuple(SIGNED_IN), ok=default, denied=default, anonymous=anonymous)
    for person, status in by_person.items():
        if person == "anonymous":
            answer.anonymous = status
        else:
            answer.tiers.insert(0, (status, (person,)))
            answer.who = tuple(p for p in answer.who if p != person)
    return answer


@dataclass
class Route:
    """A URL pattern: its name (or path), the records it is tried on, and an Answer per method."""

    name: str | None = None
    on: str | None = None  # the World's list of states it is tried on ("women", "pairs", …)
    get: Answer | None = None
    post: Answer | None = None
    put: Answer | None = None
    kwargs: Callable[[State, World], dict[str, Any]] | None = None  # default: {"pk": state.pk}
    query: Callable[[World], dict[str, Any]] = lambda world: {}  # GET parameters
    path: Callable[[World], str] | None = None  # for routes without a name
    more_states: Callable[[World], list[State]] = lambda world: []
    # The kinds of person it is tried as, when fewer than all tell it apart (her own account
    # pages know only whether she is signed in, has TOTP, or is a superuser).
    people: list[str] | None = None
    methods_from_view: bool = True  # False only where a framework's views take any method
    note: str = ""

    @property
    def methods(self) -> dict[str, Answer]:
        return {m.upper(): a for m in ("get", "post", "put") if (a := getattr(self, m)) is not None}

    def states(self, world: World) -> list[State | None]:
        if self.on is None:
            return [None]
        states: list[State] = [*getattr(world, self.on), *self.more_states(world)]
        # The missing record first: every other denial is compared with its answer.
        return [*sorted(states, key=lambda state: state.name != "missing")]

    def url(self, route: str, state: State | None, world: World) -> str:
        if self.path:
            return self.path(world)
        if self.kwargs:
            kwargs: dict[str, Any] = self.kwargs(state, world)  # type: ignore[arg-type]
        elif state is None:
            kwargs = {}
        else:
            kwargs = {"pk": state.pk}
        return reverse(self.name or route, kwargs=kwargs)


@dataclass
class Case:
    route: str
    method: str
    person: str
    state: State | None
    url: str
    data: dict[str, Any]
    expected: int | None  # None: anything but a server error (a permitted request with empty data)
    allowed: bool  # she may do this to this record
    form: str = "valid"  # or "empty": a permitted person's request with nothing filled in

    @property
    def record(self) -> tuple[str, int] | None:
        return self.state.record if self.state else None

    def __str__(self) -> str:
        state = f" [{self.state.name}]" if self.state else ""
        form = " with an empty form" if self.form == "empty" else ""
        return f"{self.method} {self.route}{state} as {self.person}{form}"


@dataclass
class Tried:
    """One request the matrix made, for tests built on top of it."""

    case: Case
    status: int
    location: str

    @property
    def url(self) -> str:
        return self.case.url

    @property
    def record(self) -> tuple[str, int] | None:
        return self.case.record


class Check(Protocol):
    def before(self, case: Case) -> Any: ...

    def after(self, case: Case, response: HttpResponse, before: Any) -> list[str]: ...


class StatusIsDeclared:
    def before(self, case: Case) -> None:
        return None

    def after(self, case: Case, response: HttpResponse, before: None) -> list[str]:
        if case.expected is None:
            return [] if response.status_code < 500 else [f"{case}: server error {response.status_code}"]
        if response.status_code != case.expected:
            return [f"{case}: expected {case.expected}, got {response.status_code}"]
        return []


class NoCanaryLeaks:
    """No canary of a record she may not see, in the page, the redirect or any email; and no
    canary at all in any email: emails never carry personal content."""

    def __init__(self, canaries: dict[str, Canary]) -> None:
        self.canaries = canaries

    def before(self, case: Case) -> int:
        return len(mail.outbox)

    def after(self, case: Case, response: HttpResponse, before: int) -> list[str]:
        failures = []
        body = b"" if response.streaming else response.content
        seen = set(CANARY.findall(body.decode("utf-8", "replace"))) | set(CANARY.findall(response.get("Location", "")))
        for word in sorted(seen):
            canary = self.canaries.get(word)
            if canary is not None and case.person not in canary.audience:
                failures.append(f"{case}: shows {canary.model}.{canary.field} of the {canary.owner} record")
        for message in mail.outbox[before:]:
            text = " ".join(
                [
                    str(message.subject),
                    str(message.body),
                    *(str(part) for part, _ in getattr(message, "alternatives", [])),
                ]
            )
            for word in sorted(set(CANARY.findall(text))):
                canary = self.canaries[word]
                failures.append(f"{case}: an email carries {canary.model}.{canary.field} of the {canary.owner} record")
        return failures


# Rows every request may write, whoever she is: her session (its last activity), and allauth's
# record of her sessions.
BOOKKEEPING_TABLES = {"django_session", "usersessions_usersession"}


def tables_written() -> dict[str, int]:
    """Rows inserted, updated or deleted so far in this transaction, per table (attempts count,
    even those rolled back, so a write a view undid itself still shows)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables")
        return {name: count for name, count in cursor.fetchall() if count}


class NothingWrittenUnlessAllowed:
    """Someone who may not act changes nothing: not a row, not even one put back."""

    def before(self, case: Case) -> dict[str, int] | None:
        return None if case.allowed else tables_written()

    def after(self, case: Case, response: HttpResponse, before: dict[str, int] | None) -> list[str]:
        if before is None:
            return []
        after = tables_written()
        changed = sorted(t for t, n in after.items() if n != before.get(t, 0) and t not in BOOKKEEPING_TABLES)
        return [f"{case}: wrote to {', '.join(changed)}"] if changed else []


class DenialLooksMissing:
    """Every 404 of a route is the same page as the missing record's: nothing tells them apart."""

    def __init__(self) -> None:
        self.missing: dict[tuple[str, str], bytes] = {}

    def before(self, case: Case) -> None:
        return None

    def after(self, case: Case, response: HttpResponse, before: None) -> list[str]:
        if response.status_code != 404 or case.state is None:
            return []
        key = (case.route, case.method)
        if case.state.name == "missing":
            self.missing.setdefault(key, response.content)
            return []
        if key in self.missing and response.content != self.missing[key]:
            return [f"{case}: its 404 differs from the missing record's"]
        return []


# The records whose every read is logged: a page that shows one names it in its URL.
CONFIDENTIAL_RECORDS = {
    "mentoring.mentee",
    "mentoring.mentor",
    "mentoring.mentorapplicant",
    "mentoring.mentoringsession",
    "mentoring.pair",
    "mentoring.recordedrelationship",
}
READS = ("view", "reveal", "export")


class EveryReadLogged:
    """Every 200 on a confidential record's page wrote exactly one access-log entry for that
    record (a view, a reveal or an export), by the person who asked: the fetch writes it."""

    def __init__(self) -> None:
        self.checked = 0  # how many pages it looked at, so a test can see it wasn't idle

    def before(self, case: Case) -> int:
        return AccessLog.objects.aggregate(last=Max("pk"))["last"] or 0

    def after(self, case: Case, response: HttpResponse, before: int) -> list[str]:
        record = case.record
        if response.status_code != 200 or record is None or record[0] not in CONFIDENTIAL_RECORDS:
            return []
        self.checked += 1
        label, pk = record
        entries = AccessLog.objects.filter(pk__gt=before, action__in=READS, object_type=label, object_id=str(pk))
        by_her = entries.filter(user_id=response.wsgi_request.user.pk).count()  # type: ignore[attr-defined]
        if by_her != 1 or entries.count() != 1:
            return [f"{case}: wrote {entries.count()} access-log entries for the {label} it shows, not one of hers"]
        return []


def default_checks(world: World) -> list[Check]:
    return [
        StatusIsDeclared(),
        NoCanaryLeaks(world.canaries),
        NothingWrittenUnlessAllowed(),
        DenialLooksMissing(),
        EveryReadLogged(),
    ]


# --- the routes and their methods ---


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


def undeclared_routes(table: dict[str, Route], prefixes: tuple[str, ...], urlconf: str | None = None) -> list[str]:
    return [route for route, _ in walk_routes(urlconf) if route not in table and not route.startswith(prefixes)]


def accepted_methods(url: str, clients: dict[str, Client]) -> set[str] | None:
    """The methods the view behind `url` accepts, read from the view itself.

    A class-based view says so in its methods. A function view is asked with PATCH, which no
    view here accepts: Django's require_http_methods (and require_GET, require_POST) answer 405
    with the accepted methods in the Allow header. The first person who gets past the middleware
    hears it. None if nobody gets a 405: the view takes any method.
    """
    view = resolve(url).func
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return {m.upper() for m in view_class.http_method_names if hasattr(view_class, m)} - IMPLIED_METHODS
    for person in ("superuser", *SIGNED_IN, "anonymous"):
        with transaction.atomic():
            response = clients[person].patch(url)
            transaction.set_rollback(True)
        if response.status_code == 405:
            return {m.strip() for m in response["Allow"].split(",")} - IMPLIED_METHODS
    return None


# --- trying the cases ---


def cases_for(route: str, rule: Route, world: World) -> Iterator[Case]:
    for state in rule.states(world):
        url = rule.url(route, state, world)
        for method, answer in rule.methods.items():
            expected = answer.expected(state)
            allowed = answer.allowed(state)
            data_state = state if state is None or state.name != "missing" else getattr(world, rule.on or "", [None])[0]
            people = rule.people or PEOPLE
            if state is not None and state.name == "missing":
                # Those who may use the route on some record are the ones a missing record must
                # answer exactly as a record they may not see.
                people = [p for p in people if any(p in answer.allowed(s) for s in rule.states(world))]
            for person in people:
                if method == "GET":
                    data = rule.query(world)
                else:
                    data = answer.data(data_state, world, person) if answer.data else {}
                yield Case(route, method, person, state, url, data, expected[person], person in allowed)
            if method != "GET" and answer.data is not None:
                for person in sorted(allowed & set(people)):
                    yield Case(route, method, person, state, url, {}, None, True, form="empty")


def log_in(world: World) -> dict[str, Client]:
    """A client per person, signed in once; each case puts the cookies back as they were."""
    clients = {}
    for person in PEOPLE:
        client = Client()
        user = world.people[person]
        if user is not None:
            client.force_login(user)
        clients[person] = client
    return clients


def request(client: Client, case: Case) -> Any:
    if case.method == "GET":
        return client.get(case.url, case.data)
    if case.method == "POST":
        return client.post(case.url, case.data)
    return client.generic(case.method, case.url)


class Rollback(Exception):
    pass


def try_case(case: Case, client: Client, checks: Sequence[Check]) -> tuple[Tried, list[str]]:
    cookies = SimpleCookie()
    cookies.load(client.cookies.output(header="", sep=";"))
    failures: list[str] = []
    tried = None
    try:
        with transaction.atomic():
            marks = [check.before(case) for check in checks]
            # Work a view leaves for after the commit (emails, tasks) runs too, so it is checked.
            with TestCase.captureOnCommitCallbacks(execute=True):
                response = request(client, case)
            for check, mark in zip(checks, marks, strict=True):
                failures += check.after(case, response, mark)
            tried = Tried(case, response.status_code, response.get("Location", ""))
            raise Rollback  # every case starts from the same world
    except Rollback:
        pass
    finally:
        client.cookies = cookies  # a case that signs her out doesn't sign her out of the next
    assert tried is not None
    return tried, failures


def check_route(
    route: str, rule: Route, world: World, clients: dict[str, Client], checks: Sequence[Check] | None = None
) -> tuple[list[Tried], list[str]]:
    """Try every case of the route; return what was tried and every answer that breaks a check."""
    checks = default_checks(world) if checks is None else checks
    failures: list[str] = []
    first_state = rule.states(world)[0]
    accepted = accepted_methods(rule.url(route, first_state, world), clients) if rule.methods_from_view else None
    if not rule.methods_from_view:
        pass
    elif accepted is None:
        failures.append(f"{route}: its view answers any method; say which with require_http_methods")
    elif accepted != set(rule.methods):
        failures.append(f"{route}: its view accepts {sorted(accepted)}, the matrix declares {sorted(rule.methods)}")
    tried = []
    for case in cases_for(route, rule, world):
        result, case_failures = try_case(case, clients[case.person], checks)
        tried.append(result)
        failures += case_failures
    return tried, failures


def matrix_size(table: dict[str, Route], world: World) -> dict[str, int]:
    """Routes, route × method pairs, people, object states, and the requests one full run makes."""
    route_methods = sum(len(rule.methods) for rule in table.values())
    cases = sum(1 for route, rule in table.items() for _ in cases_for(route, rule, world))
    states = sum(len(rule.states(world)) * len(rule.methods) for rule in table.values())
    return {
        "routes": len(table),
        "route_methods": route_methods,
        "people": len(ROSTER),
        "route_method_states": states,
        "requests": cases,
    }
