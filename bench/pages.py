"""Page benchmark: key pages against an outside floor and the project's bare page, over a large data set.

A benchmark, not a test: it prints figures and exits 0 even when a target is missed.

    .venv/bin/python bench/pages.py                 # migrate, seed, serve, time, report
    .venv/bin/python bench/pages.py --skip-seed     # reuse the data already seeded
    .venv/bin/python bench/pages.py --requests 500 --only mentee
    .venv/bin/python bench/pages.py --scale 10      # and the same pages at 10x the organisation

What it does, in one run:

1. picks a dedicated benchmark database (see `database_url`), creating it if missing;
2. migrates it and runs `manage.py seed_demo --size large` (timed; idempotent);
3. serves the app with gunicorn on 127.0.0.1 (one sync worker, DEBUG off, MFA off), and the
   outside floor (bench/floor/: a bare Django project, its own database on the same server)
   with its own gunicorn worker;
4. signs each account in through the real login form;
5. warms every page up, then requests them round-robin, one request at a time, each just after
   an untimed one to the same server (a process idle for a moment can answer late), so the floor,
   the bare page and the key pages are timed under the same conditions;
6. prints p50 and p99 per page, their ratios to the project's bare page (`/ping/`) and to the
   floor, and the worker's peak memory, each against its target.

Targets: every key page's p50 and p99 within 3x the floor's (the bare page's where there is no
floor: the embedded database has no URL to give it); worker under 250 MB.

With `--scale N`, a second database beside the first holds N copies of the large set in one
organisation (`seed_demo --size large --scale N`: the same people, each with the same scope,
in an organisation N times the size), served by its own worker; every key page is requested
from both in the same round-robin (a round at N times, then the round at 1x), and a last
section compares them. Target: each key page's p50 at N times within 1.25x of its p50 at 1x,
since a page should read what it shows through indexes, never everything its user may see.

Adding a page: add a `Page(label, url, account)` to KEY_PAGES. A `{name}` in the URL is
filled in from `lookups()`, which finds ids in the generated data (add to it if needed).
A session log's POST is a page too (`post="new"` or `"again"`): it is sent as her phone's queue
sends it, with the form's CSRF token, and answered in JSON; each one timed writes a row.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import math
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlencode, urlsplit, urlunsplit

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: `bench` and the apps import from the project root

from bench.machine import cores_line, cpu_model  # noqa: E402

HOST = "127.0.0.1"  # loopback only
DEFAULT_DATABASE = "alongside_bench"
SETTINGS = "config.settings.local"
DEMO_PASSWORD = "alongside-demo"  # demo.seed.DEMO_PASSWORD (demo data only)
DOMAIN = "demo.alongside.test"
BENCH = f"bench@{DOMAIN}"  # coordinator of all 20 benchmark hubs: the worst case

TARGET_RATIO = 3.0
TARGET_MEMORY_MB = 250.0
TARGET_THROUGHPUT_SHARE = 1 / 3  # of the floor's requests a second, at the same number of clients


class Page(NamedTuple):
    label: str
    url: str  # may hold {placeholders} filled from lookups()
    account: str
    # A POST of a session log, as her phone's queue sends it (JSON answer): "new" is a new log
    # each time (a new client id), "again" the same log sent again (one client id throughout).
    post: str = ""
    status: int = 200  # the answer expected


BARE = Page("bare page (login required)", "/ping/", BENCH)
# The outside floor (bench/floor/): a bare Django project on the same PostgreSQL server.
FLOOR = Page("floor: bare Django project", "/", "floor")
FLOOR_DATABASE_SUFFIX = "_floor"
TARGET_SCALE_RATIO = 1.25  # a key page's p50 at --scale N, to its p50 at 1x

# The key pages: each new screen that people use daily joins this list.
# The small demo's accounts (safeguarding@, trustee@, admin@) hold their roles in the three
# demo hubs only; the bench.* accounts hold them in all 20 benchmark hubs: the worst case.
KEY_PAGES: list[Page] = [
    Page("coordinator home (20 hubs)", "/coordinator/", BENCH),
    Page("mentor home", "/mentor/", f"mentor@{DOMAIN}"),
    Page("safeguarding home (3 hubs)", "/safeguarding/", f"safeguarding@{DOMAIN}"),
    Page("safeguarding home (20 hubs)", "/safeguarding/", f"bench.safeguarding@{DOMAIN}"),
    Page("insights (3 hubs)", "/insights/", f"trustee@{DOMAIN}"),
    Page("insights (20 hubs)", "/insights/", f"bench.trustee@{DOMAIN}"),
    Page("organisation (3 hubs)", "/organisation/", f"admin@{DOMAIN}"),
    Page("organisation (20 hubs)", "/organisation/", f"bench.admin@{DOMAIN}"),
    Page("mentee list (20,000)", "/mentees/", BENCH),
    Page("mentee list, search", "/mentees/?q=Amber", BENCH),
    Page("mentee list, waiting 3+", "/mentees/?status=waiting&min_needs=3", BENCH),
    Page("mentee list, need, page 3", "/mentees/?need={need}&page=3", BENCH),
    Page("mentee list, page 20", "/mentees/?page=20", BENCH),
    Page("waiting list (500)", "/mentees/waiting/", BENCH),
    Page("mentee detail", "/mentees/{mentee}/", BENCH),
    # Mentors and matching. The busiest benchmark mentor's phone home is signed in as
    # bench.mentor…; `inspect_data` finds which one, so the account is filled in like a URL.
    Page("mentor home (most pairs)", "/mentor/", "{busiest_mentor}"),
    Page("mentor list (2,000)", "/mentors/", BENCH),
    Page("mentor list, free place", "/mentors/?free=1", BENCH),
    Page("mentor detail", "/mentors/{mentor}/", BENCH),
    Page("pairs (20 hubs)", "/pairs/", BENCH),
    Page("pair detail", "/pairs/{pair}/", BENCH),
    Page("find a mentor (100 in her hub)", "/mentees/{waiting}/match/", BENCH),
    Page("batch matching, one hub", "/matching/hubs/{hub}/", BENCH),
    # Session logs, over the large set's million: the busiest mentor logs one of her pairs'
    # sessions; bench@ reads the pair with the most logs, and the pairs gone quiet.
    Page("session log form", "/mentor/pairs/{log_pair}/sessions/new/", "{busiest_mentor}"),
    Page("session log POST, new", "/mentor/pairs/{log_pair}/sessions/new/", "{busiest_mentor}", "new", 201),
    Page("session log POST, again", "/mentor/pairs/{log_pair}/sessions/new/", "{busiest_mentor}", "again"),
    Page("pair timeline (most logs)", "/pairs/{busy_pair}/sessions/", BENCH),
    Page("quiet pairs (20 hubs)", "/pairs/?quiet=1", BENCH),
]


# --- the database ---


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _where(url: str) -> str:
    """host:port/name, never the password."""
    parts = urlsplit(url)
    return f"{parts.hostname or 'socket'}:{parts.port or 5432}{parts.path}"


def database_url() -> tuple[str | None, str]:
    """The server's DATABASE_URL (None: the embedded pgserver) and where it came from.

    Never the development database itself: DATABASE_URL only lends its server.
    """
    if url := os.environ.get("BENCH_DATABASE_URL"):
        return url, "BENCH_DATABASE_URL"
    if url := os.environ.get("DATABASE_URL"):
        return _with_database(url, DEFAULT_DATABASE), f"DATABASE_URL's server, database {DEFAULT_DATABASE}"
    if _answers(HOST, 5432):
        return f"postgres://postgres@{HOST}:5432/{DEFAULT_DATABASE}", f"PostgreSQL on {HOST}:5432"
    return None, "embedded pgserver (.pgdata; its `postgres` database)"


def owner_url(url: str) -> str | None:
    """MIGRATE_DATABASE_URL's owner, pointed at the benchmark database (None: one role does both).

    The database must be created and migrated as the owner; the server then runs as the app's role.
    """
    owner = os.environ.get("MIGRATE_DATABASE_URL")
    return _with_database(owner, urlsplit(url).path.lstrip("/")) if owner else None


def ensure_database(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        return
    import psycopg
    from psycopg import sql

    name = parts.path.lstrip("/")
    with psycopg.connect(_with_database(url, "postgres"), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")


def server_env(url: str | None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS,  # config/wsgi.py would default to production
        DEBUG="false",
        REQUIRE_MFA="false",
        ALLOWED_HOSTS=HOST,
        PYTHONUNBUFFERED="1",
        # whitenoise warns that STATIC_ROOT is missing (no collectstatic): irrelevant, HTML only is timed
        PYTHONWARNINGS="ignore:No directory at:UserWarning",
        # As production's gunicorn workers keep theirs; the local settings close the connection
        # after each request (for runserver's threads), which would time a new connection per page.
        CONN_MAX_AGE="60",
    )
    env.pop("BENCH_DATABASE_URL", None)
    env.pop("MIGRATE_DATABASE_URL", None)
    if url:
        env["DATABASE_URL"] = url
        if owner := owner_url(url):
            env["MIGRATE_DATABASE_URL"] = owner
    else:
        env.pop("DATABASE_URL", None)
    return env


def manage(env: dict[str, str], *args: str) -> float:
    """Run a manage.py command; return how long it took (s)."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


@dataclass
class DataSet:
    lookups: dict[str, int | str]
    counts: dict[str, int]
    postgres: str


def inspect_data(env: dict[str, str]) -> DataSet:
    """Ids the page URLs need, the data set's size and the server's version, via Django."""
    os.environ.update(env)
    if url := env.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.contrib.sessions.models import Session
    from django.db import connection

    from mentoring.models import Assessment, Hub, Membership, Mentee, NeedArea, User
    from mentoring.policies.mentees import mentees_visible_to

    bench = User.objects.get(email=BENCH)
    mentee = mentees_visible_to(bench).filter(hub__slug__startswith="bench-").order_by("pk").first()
    if mentee is None:
        raise SystemExit("No mentee in a benchmark hub: run without --skip-seed.")
    lookups: dict[str, int | str] = {
        "mentee": mentee.pk,
        "need": NeedArea.objects.get(organisation=None, slug="housing").pk,
    }
    from django.db.models import Count, Q

    from mentoring.models import MenteeStatus, Mentor, Pair

    busiest = (
        Mentor.objects.filter(hub__slug__startswith="bench-")
        .annotate(n=Count("pairs", filter=Q(pairs__status="active")))
        .order_by("-n", "pk")
        .select_related("user")
        .first()
    )
    pair = Pair.objects.filter(hub__slug__startswith="bench-", status="active").order_by("pk").first()
    waiting = Mentee.objects.filter(hub__slug__startswith="bench-", status=MenteeStatus.WAITING).order_by("pk").first()
    if busiest is None or pair is None or waiting is None:
        raise SystemExit("No benchmark mentors, pairs or waiting women: run without --skip-seed.")
    from mentoring.models import MentoringSession

    # Her active pair with the most logs, for her to log one more; the benchmark hubs' pair
    # with the most logs, for its timeline.
    log_pair = (
        Pair.objects.filter(mentor=busiest, status="active").annotate(n=Count("sessions")).order_by("-n", "pk").first()
    )
    busy = (
        MentoringSession.objects.filter(hub__slug__startswith="bench-")
        .values("pair")
        .annotate(n=Count("pk"))
        .order_by("-n", "pair")
        .first()
    )
    if log_pair is None or busy is None:
        raise SystemExit("No session logs in the benchmark hubs: run without --skip-seed.")
    lookups.update(
        busiest_mentor=busiest.user.email,
        mentor=busiest.pk,
        pair=pair.pk,
        waiting=waiting.pk,
        hub=waiting.hub_id,
        log_pair=log_pair.pk,
        busy_pair=busy["pair"],
    )
    counts = {
        "hubs": Hub.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "mentees": Mentee.objects.count(),
        "assessments": Assessment.objects.count(),
        "session logs": MentoringSession.objects.count(),
        "login sessions": Session.objects.count(),
    }
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        row = cursor.fetchone()
    connection.close()
    return DataSet(lookups=lookups, counts=counts, postgres=str(row[0]) if row else "?")


# --- the server ---


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def start_gunicorn(
    env: dict[str, str], port: int, log: Path, app: str = "config.wsgi:application", workers: int = 1
) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        app,
        f"--bind={HOST}:{port}",
        f"--workers={workers}",  # one for the timings, so its memory is the figure that matters
        "--worker-class=sync",
        "--timeout=120",
        "--log-level=warning",
        "--no-control-socket",
    ]
    with log.open("wb") as out:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def wait_until_ready(server: subprocess.Popen[bytes], port: int, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            if Client(port).request("GET", "/healthz").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    tail = log.read_text(errors="replace")[-3000:]
    raise SystemExit(f"gunicorn did not become ready on {HOST}:{port}.\n{tail}")


def stop_gunicorn(server: subprocess.Popen[bytes]) -> None:
    """Stop the gunicorn we started (and only its processes)."""
    try:
        workers = psutil.Process(server.pid).children(recursive=True)
    except psutil.Error:
        workers = []
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
    for worker in workers:
        with contextlib.suppress(psutil.Error):
            worker.kill()  # psutil checks the pid still names the same process


class MemoryWatch(threading.Thread):
    """Polls the RSS of the gunicorn master's children; on Linux also reads each one's
    high-water mark (VmHWM), which catches peaks between polls."""

    def __init__(self, master_pid: int, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.master = psutil.Process(master_pid)
        self.interval = interval
        self.peak: dict[int, int] = {}
        self.done = threading.Event()

    def _high_water(self, pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
        except (OSError, ValueError, IndexError):
            pass
        return 0

    def sample(self) -> None:
        try:
            children = self.master.children(recursive=True)
        except psutil.Error:
            return
        for child in children:
            try:
                rss = child.memory_info().rss
            except psutil.Error:
                continue
            self.peak[child.pid] = max(self.peak.get(child.pid, 0), rss, self._high_water(child.pid))

    def current(self) -> int:
        try:
            return max((child.memory_info().rss for child in self.master.children(recursive=True)), default=0)
        except psutil.Error:
            return 0

    def run(self) -> None:
        while not self.done.wait(self.interval):
            self.sample()

    def stop(self) -> None:
        self.done.set()
        self.join(timeout=5)
        self.sample()


# --- the client (standard library only) ---


@dataclass
class Response:
    status: int
    body: bytes
    seconds: float


@dataclass
class Client:
    """One signed-in browser: its cookies, a fresh connection per request (sync gunicorn
    closes the connection after each response anyway)."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    # A form's CSRF token, and the client id of the log sent again, by URL: read or made once.
    tokens: dict[str, str] = field(default_factory=dict)
    logged: dict[str, str] = field(default_factory=dict)

    def copy(self) -> Client:
        """Another browser of the same person, signed in as this one is."""
        return Client(self.port, dict(self.cookies), dict(self.tokens), dict(self.logged))

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None, headers: dict[str, str] | None = None
    ) -> Response:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        conn = http.client.HTTPConnection(HOST, self.port, timeout=120)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        seconds = time.perf_counter() - started
        for header in response.msg.get_all("Set-Cookie") or []:
            cookie: SimpleCookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return Response(response.status, data, seconds)


def woken_then_timed(client: Client, wake: str, url: str, page: Page | None = None) -> Response:
    """An untimed request to the same server (its worker and its database connection), then the
    timed one. A process left idle for even a fraction of a second answers late on some machines
    (a virtual machine's: a `SELECT 1` after a second idle took 50 ms there, not 1 ms), and in a
    round-robin each server idles while the others answer: woken first, every page and the floor
    are timed warm, under the same conditions."""
    form = log_form(client, url, page.post) if page is not None and page.post else None
    client.request("GET", wake)
    return ask(client, url, form)


def ask(client: Client, url: str, form: dict[str, str] | None) -> Response:
    """The page: a GET, or with `form` the POST her phone's queue sends (a JSON answer)."""
    if form is None:
        return client.request("GET", url)
    return client.request("POST", url, form, headers={"Accept": "application/json"})


def log_form(client: Client, url: str, kind: str) -> dict[str, str]:
    """A session log as the form at `url` sends it, with the form's CSRF token (read from the
    form once): a new client id for "new"; for "again" the one log sent the first time (stored
    then, untimed), so every timed POST is the same log sent again."""
    if url not in client.tokens:
        page = client.request("GET", url)
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        if page.status != 200 or match is None:
            raise SystemExit(f"The log form at {url} has no CSRF token (HTTP {page.status}).")
        client.tokens[url] = match.group(1).decode()
    form = {
        "csrfmiddlewaretoken": client.tokens[url],
        "client_id": str(uuid.uuid4()),
        "held_on": (date.today() - timedelta(days=1)).isoformat(),  # yesterday wherever the app's today is
        "duration_minutes": "60",
        "mode": "in_person",
        "place_type": "cafe",
        "activities": "listening",
        "notes": "We met for a coffee and talked through her week.",
        "wellbeing": "fine",
    }
    if kind == "again":
        if url not in client.logged:
            first = ask(client, url, form)
            if first.status != 201:
                raise SystemExit(f"Logging a session at {url} failed (HTTP {first.status}): {first.body[:300]!r}")
            client.logged[url] = form["client_id"]
        form["client_id"] = client.logged[url]
    return form


def sign_in(port: int, email: str) -> Client:
    client = Client(port)
    page = client.request("GET", "/accounts/login/")
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
    token = match.group(1).decode() if match else client.cookies.get("csrftoken", "")
    form = {"login": email, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token}
    response = client.request("POST", "/accounts/login/", form)
    if response.status != 302 or "sessionid" not in client.cookies:
        raise SystemExit(f"Signing in as {email} failed (HTTP {response.status}). Was the data seeded?")
    return client


def start_floor(url: str | None, log: Path, workers: int = 1) -> tuple[subprocess.Popen[bytes], Client] | None:
    """The floor's database (beside the benchmark's, on the same server), its one user and
    session, and its own gunicorn worker; None where the server has no URL (embedded pgserver)."""
    if url is None:
        return None
    floor_url = _with_database(owner_url(url) or url, urlsplit(url).path.lstrip("/") + FLOOR_DATABASE_SUFFIX)
    ensure_database(floor_url)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.floor.settings",
        "FLOOR_DATABASE_URL": floor_url,
        "PYTHONUNBUFFERED": "1",
    }
    key = subprocess.run(
        [sys.executable, "-m", "bench.floor.session"], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout.strip()
    port = free_port()
    server = start_gunicorn(env, port, log, app="bench.floor.wsgi:application", workers=workers)
    wait_until_ready(server, port, log)
    return server, Client(port, cookies={"sessionid": key})


# --- throughput: many clients at once ---


@dataclass
class Throughput:
    page: Page
    url: str
    per_second: float
    errors: dict[int, int]


def throughput(client: Client, page: Page, url: str, *, clients: int, seconds: float) -> tuple[float, dict[int, int]]:
    """Requests a second that `clients` browsers at once get from `client`'s server, each
    asking again as soon as its answer arrives (as `wrk -c` does), over `seconds`."""
    counts = [0] * clients
    errors: dict[int, int] = {}
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)
    deadline = 0.0

    def run(number: int) -> None:
        browser = client.copy()
        start.wait()
        while time.perf_counter() < deadline:
            response = ask(browser, url, log_form(browser, url, page.post) if page.post else None)
            if response.status == page.status:
                counts[number] += 1
            else:
                with lock:
                    errors[response.status] = errors.get(response.status, 0) + 1

    threads = [threading.Thread(target=run, args=(number,), daemon=True) for number in range(clients)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline = began + seconds
    start.wait()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.perf_counter() - began), errors


def measure_throughput(
    env: dict[str, str],
    url: str | None,
    pages: list[Page],
    lookups: dict[str, int | str],
    args: argparse.Namespace,
    log: Path,
) -> tuple[list[Throughput], list[float]]:
    """Each page's requests a second at `--clients` clients, from a server with two sync workers
    (the floor's likewise), page after page; the floor is measured first and last, and its mean
    is the base."""
    port = free_port()
    server = start_gunicorn(env, port, log, workers=2)
    floor_server = None
    try:
        floor = start_floor(url, log.with_name("floor-concurrent.log"), workers=2)
        wait_until_ready(server, port, log)
        clients = {account: sign_in(port, account) for account in {BARE.account, *(p.account for p in pages)}}
        measure = {"clients": args.clients, "seconds": args.seconds}
        floor_rates: list[float] = []
        if floor is not None:
            floor_server, floor_client = floor
            floor_rates.append(throughput(floor_client, FLOOR, FLOOR.url, **measure)[0])
        results = []
        for page in [BARE, *pages]:
            page_url = page.url.format(**lookups)
            client = clients[page.account]
            ask(client, page_url, log_form(client, page_url, page.post) if page.post else None)  # warm
            rate, errors = throughput(client, page, page_url, **measure)
            results.append(Throughput(page, page_url, rate, errors))
        if floor is not None:
            floor_rates.append(throughput(floor_client, FLOOR, FLOOR.url, **measure)[0])
        return results, floor_rates
    finally:
        stop_gunicorn(server)
        if floor_server is not None:
            stop_gunicorn(floor_server)


def report_throughput(results: list[Throughput], floor_rates: list[float], clients: int) -> list[str]:
    """Prints each page's requests a second and its share of the floor's (of the bare page's
    where there is no floor); returns the pages under the target share."""
    bare = results[0]
    base = statistics.mean(floor_rates) if floor_rates else bare.per_second
    against = "the floor" if floor_rates else "the bare page"
    print()
    print(f"throughput at {clients} clients at once (two sync workers per server; target >= 1/3 of {against}'s):")
    if floor_rates:
        first, last = floor_rates[0], floor_rates[-1]
        print(f"  {'floor: bare Django project':40} {base:8.0f} req/s  (first {first:.0f}, last {last:.0f})")
    missed = []
    for result in results:
        share = result.per_second / base
        ok = result.page is BARE or share >= TARGET_THROUGHPUT_SHARE
        if result.errors:
            verdict = f"ERROR: HTTP {result.errors}"
            missed.append(result.page.label)
        elif result.page is BARE:
            verdict = "(the project's bare page)"
        else:
            verdict = "PASS" if ok else "FAIL"
            if not ok:
                missed.append(result.page.label)
        print(f"  {result.page.label:40.40} {result.per_second:8.0f} req/s  {share:5.2f}x  {verdict}")
    return missed


# --- the same pages at --scale N ---


def inspect_elsewhere(env: dict[str, str]) -> DataSet:
    """`inspect_data` for another database, in a process of its own: Django is set up once per
    process, and this one's is the 1x database's."""
    code = (
        "import dataclasses, json, os; from bench.pages import inspect_data;"
        " print(json.dumps(dataclasses.asdict(inspect_data(dict(os.environ)))))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(done.stderr.strip()[-3000:])
    return DataSet(**json.loads(done.stdout.strip().splitlines()[-1]))


@dataclass
class Scaled:
    """The second database, at --scale N, and its own worker."""

    scale: int
    url: str
    data: DataSet
    server: subprocess.Popen[bytes] | None = None
    port: int = 0
    # Each key page's timing here and its signed-in client, by the page's label.
    twins: dict[str, tuple[Timing, Client]] = field(default_factory=dict)

    def round(self, *, keep: bool) -> None:
        """One request for each key page at N times, before the 1x round, each woken first."""
        for many, client in self.twins.values():
            many.record(woken_then_timed(client, BARE.url, many.url, many.page), keep=keep)


def prepare_scaled(url: str, scale: int, *, seed: bool) -> Scaled:
    """The --scale database beside the benchmark's (`<name>_x<N>`): created, migrated and seeded
    like the first, with N copies of the large set."""
    scaled_url = _with_database(url, f"{urlsplit(url).path.lstrip('/')}_x{scale}")
    ensure_database(owner_url(scaled_url) or scaled_url)
    env = server_env(scaled_url)
    migrate_s = manage(env, "migrate", "--no-input", "-v", "0")
    print(f"at {scale}x:  database {_where(scaled_url)}; migrate {migrate_s:.1f} s")
    if seed:
        seed_s = manage(env, "seed_demo", "--size", "large", "--scale", str(scale))
        print(f"at {scale}x:  `seed_demo --size large --scale {scale}` took {seed_s:.1f} s")
    data = inspect_elsewhere(env)
    print(f"at {scale}x:  " + ", ".join(f"{name} {count:,}" for name, count in data.counts.items()))
    return Scaled(scale=scale, url=scaled_url, data=data)


def start_scaled(scaled: Scaled, pages: list[Page], log: Path) -> None:
    """Its own worker, as the 1x one is run, and each key page's timing there with its account
    signed in. `pages` hold the 1x lookups' accounts; the URLs are filled from this database's."""
    scaled.port = free_port()
    scaled.server = start_gunicorn(server_env(scaled.url), scaled.port, log)
    wait_until_ready(scaled.server, scaled.port, log)
    lookups = scaled.data.lookups
    pages = [page._replace(account=page.account.format(**lookups)) for page in pages]
    clients = {account: sign_in(scaled.port, account) for account in {page.account for page in pages}}
    scaled.twins = {page.label: (Timing(page, page.url.format(**lookups)), clients[page.account]) for page in pages}
    print(f"at {scaled.scale}x:  its own worker (the same settings) on :{scaled.port}; its round before each 1x round")


def scale_report(scaled: Scaled, at_one: list[Timing], counts: dict[str, int]) -> None:
    """Each key page's p50 and p99 at 1x and at N times the organisation, and their ratios."""
    n = f"{scaled.scale}x"
    sizes = ", ".join(f"{name} {counts[name]:,} / {scaled.data.counts[name]:,}" for name in ("hubs", "mentees"))
    print()
    print(f"At {n} the organisation (1x / {n}: {sizes}), the same people and pages:")
    header = (
        f"{'page':28} {'p50 1x':>8} {'p50 ' + n:>8} {'ratio':>6} {'p99 1x':>8} {'p99 ' + n:>8} {'ratio':>6}  result"
    )
    print(header)
    print("-" * len(header))
    missed = []
    for one in at_one:
        many, _ = scaled.twins[one.page.label]
        r50, r99 = many.p50 / one.p50, many.p99 / one.p99
        if many.errors:
            result = f"ERROR: HTTP {many.errors}"
        elif r50 <= TARGET_SCALE_RATIO:
            result = "PASS"
        else:
            result = f"FAIL (p50 over {TARGET_SCALE_RATIO:g}x)"
        if result != "PASS":
            missed.append(one.page.label)
        print(
            f"{one.page.label:28.28} {one.p50:8.1f} {many.p50:8.1f} {r50:6.2f}"
            f" {one.p99:8.1f} {many.p99:8.1f} {r99:6.2f}  {result}"
        )
    print()
    print(f"target: each key page's p50 at {n} within {TARGET_SCALE_RATIO:g}x its p50 at 1x (p99 shown, not judged)")
    if missed:
        print(f"SCALE TARGET MISSED: {len(missed)} of {len(at_one)} pages")
        for label in missed:
            print(f"  - {label}")
    else:
        print(f"SCALE TARGET MET: {len(at_one)} key pages within {TARGET_SCALE_RATIO:g}x at {n}.")


# --- figures ---


def percentile(samples: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


@dataclass
class Timing:
    page: Page
    url: str
    seconds: list[float] = field(default_factory=list)
    errors: dict[int, int] = field(default_factory=dict)
    size: int = 0

    def record(self, response: Response, *, keep: bool) -> None:
        if response.status != self.page.status:
            self.errors[response.status] = self.errors.get(response.status, 0) + 1
        self.size = len(response.body)
        if keep:
            self.seconds.append(response.seconds)

    @property
    def p50(self) -> float:
        return statistics.median(self.seconds) * 1000

    @property
    def p99(self) -> float:
        return percentile(self.seconds, 99) * 1000


def machine() -> list[str]:
    memory = psutil.virtual_memory().total / 2**30
    return [
        f"cpu:      {cpu_model()}",
        f"nproc:    {cores_line()}",
        f"memory:   {memory:.1f} GiB",
        f"os:       {platform.platform()}",
        f"python:   {platform.python_version()} ({sys.executable})",
    ]


def versions() -> str:
    from importlib.metadata import version

    return ", ".join(f"{name} {version(name)}" for name in ("Django", "gunicorn", "psycopg"))


def report(
    bare: Timing, floor: Timing | None, pages: list[Timing], peak_mb: float, workers: int, idle_mb: float
) -> None:
    """Each page's p50 and p99, their ratios to the project's bare page (`/ping/`) and, where it
    ran, to the outside floor; the targets are against the floor when there is one."""
    base = floor or bare
    print()
    header = (
        f"{'page':28} {'url':20} {'as':18} {'p50 ms':>8} {'p99 ms':>8} {'ping50':>6} {'ping99':>6}"
        f" {'flr50':>6} {'flr99':>6} {'KB':>6}  result"
    )
    print(header)
    print("-" * len(header))

    def row(timing: Timing, result: str) -> None:
        account = timing.page.account.split("@")[0]
        to_floor = f" {timing.p50 / floor.p50:6.2f} {timing.p99 / floor.p99:6.2f}" if floor else f" {'-':>6} {'-':>6}"
        print(
            f"{timing.page.label:28.28} {timing.url:20.20} {account:18.18} {timing.p50:8.1f} {timing.p99:8.1f}"
            f" {timing.p50 / bare.p50:6.2f} {timing.p99 / bare.p99:6.2f}{to_floor} {timing.size / 1024:6.1f}  {result}"
        )

    if floor is not None:
        row(floor, "(the floor)" if not floor.errors else f"ERROR {floor.errors}")
    row(bare, "(the project's bare page)" if not bare.errors else f"ERROR {bare.errors}")
    missed = []
    for timing in pages:
        r50, r99 = timing.p50 / base.p50, timing.p99 / base.p99
        if timing.errors:
            result = f"ERROR: HTTP {timing.errors}"
            missed.append(timing.page.label)
        elif r50 <= TARGET_RATIO and r99 <= TARGET_RATIO:
            result = "PASS"
        else:
            result = (
                "FAIL ("
                + ", ".join(name for name, ratio in (("p50", r50), ("p99", r99)) if ratio > TARGET_RATIO)
                + f" over {TARGET_RATIO:g}x)"
            )
            missed.append(timing.page.label)
        row(timing, result)
    print()
    against = "the floor" if floor else "the bare page (no floor: embedded database)"
    print(f"targets: p50 and p99 within {TARGET_RATIO:g}x {against}'s")
    memory_ok = peak_mb < TARGET_MEMORY_MB
    print(
        f"worker memory: peak {peak_mb:.1f} MB (after start-up {idle_mb:.1f} MB; {workers} worker process(es) seen)"
        f"  target < {TARGET_MEMORY_MB:g} MB: {'PASS' if memory_ok else 'FAIL'}"
    )
    print()
    if missed or not memory_ok:
        print(f"TARGETS MISSED: {len(missed)} of {len(pages)} pages" + ("" if memory_ok else "; worker memory"))
        for label in missed:
            print(f"  - {label}")
    else:
        print(f"ALL TARGETS MET: {len(pages)} key pages within {TARGET_RATIO:g}x {against}; memory under target.")


# --- main ---


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page (default 200)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests per page first (default 20)")
    parser.add_argument("--skip-seed", action="store_true", help="reuse the data already in the benchmark database")
    parser.add_argument("--only", default="", help="time only key pages whose label or URL contains this")
    parser.add_argument(
        "--clients", type=int, default=8, help="clients at once for the throughput figures (default 8; 0: skip them)"
    )
    parser.add_argument("--seconds", type=float, default=3.0, help="seconds of load per page at --clients (default 3)")
    parser.add_argument(
        "--scale", type=int, default=1, help="also time the key pages at N times the organisation, in a second database"
    )
    args = parser.parse_args()
    if args.requests < 1 or args.warmup < 0 or args.clients < 0 or args.seconds <= 0:
        parser.error("--requests must be at least 1, --warmup and --clients at least 0, --seconds above 0")
    if args.scale < 1:
        parser.error("--scale must be at least 1")

    print("Alongside page benchmark")
    print("\n".join(machine()))

    url, source = database_url()
    if url:
        ensure_database(owner_url(url) or url)
    env = server_env(url)
    print(f"database: {source}" + (f" ({_where(url)})" if url else ""))

    migrate_s = manage(env, "migrate", "--no-input", "-v", "0")
    print(f"migrate:  {migrate_s:.1f} s")
    if args.skip_seed:
        print("seed:     skipped (--skip-seed)")
    else:
        seed_s = manage(env, "seed_demo", "--size", "large")
        print(f"seed:     `seed_demo --size large` took {seed_s:.1f} s")
    data = inspect_data(env)
    print(f"postgres: {data.postgres}")
    print(f"software: {versions()}")
    print("data set: " + ", ".join(f"{name} {count:,}" for name, count in data.counts.items()))
    scaled = None
    if args.scale > 1:
        if url is None:
            raise SystemExit("--scale needs a PostgreSQL server with a URL (the embedded one has none).")
        scaled = prepare_scaled(url, args.scale, seed=not args.skip_seed)

    pages = [page for page in KEY_PAGES if args.only in page.label or args.only in page.url]
    port = free_port()
    log = Path(tempfile.mkdtemp(prefix="alongside-bench-")) / "gunicorn.log"
    server = start_gunicorn(env, port, log)
    floor_server = None
    try:
        if scaled is not None:
            start_scaled(scaled, pages, log.with_name(f"x{scaled.scale}.log"))
        floor = start_floor(url, log.with_name("floor.log"))
        if floor is not None:
            floor_server, floor_client = floor
        wait_until_ready(server, port, log)
        watch = MemoryWatch(server.pid)
        watch.sample()
        idle_mb = watch.current() / 2**20
        watch.start()
        pages = [page._replace(account=page.account.format(**data.lookups)) for page in pages]
        clients = {account: sign_in(port, account) for account in {BARE.account, *(p.account for p in pages)}}
        timed = [BARE, *pages]
        if floor is not None:
            clients[FLOOR.account] = floor_client
            timed = [FLOOR, *timed]
        timings = [Timing(page, page.url.format(**data.lookups)) for page in timed]
        print(
            f"server:   gunicorn, 1 sync worker, {HOST}:{port}, DEBUG off"
            + (f"; the floor's own worker on :{floor_client.port}" if floor is not None else "; no floor")
            + "; "
            f"{args.warmup} warm-up + {args.requests} timed requests per page, round-robin, one at a time,"
            " each after an untimed one to the same server"
        )
        started = time.perf_counter()
        for number in range(args.warmup + args.requests):
            if scaled is not None:
                scaled.round(keep=number >= args.warmup)
            for timing in timings:
                wake = FLOOR.url if timing.page is FLOOR else BARE.url
                response = woken_then_timed(clients[timing.page.account], wake, timing.url, timing.page)
                timing.record(response, keep=number >= args.warmup)
        print(f"run:      {time.perf_counter() - started:.1f} s")
        watch.stop()
        peak_mb = max(watch.peak.values(), default=0) / 2**20
        floor_timing = timings.pop(0) if floor is not None else None
        report(timings[0], floor_timing, timings[1:], peak_mb, len(watch.peak), idle_mb)
        if scaled is not None:
            scale_report(scaled, timings[1:], data.counts)
    finally:
        stop_gunicorn(server)
        if floor_server is not None:
            stop_gunicorn(floor_server)
        if scaled is not None and scaled.server is not None:
            stop_gunicorn(scaled.server)
    if args.clients:
        results, floor_rates = measure_throughput(env, url, pages, data.lookups, args, log.with_name("concurrent.log"))
        missed = report_throughput(results, floor_rates, args.clients)
        print()
        if missed:
            print(f"THROUGHPUT TARGET MISSED: {len(missed)} of {len(results) - 1} pages")
        else:
            print(f"THROUGHPUT TARGET MET: {len(results) - 1} key pages")
    errors = "\n".join(
        path.read_text(errors="replace").strip() for path in sorted(log.parent.glob("*.log")) if path.stat().st_size
    )
    if errors:
        print(f"\ngunicorn logs ({log.parent}):\n{errors[-2000:]}")


if __name__ == "__main__":
    main()
