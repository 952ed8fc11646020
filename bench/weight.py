"""Page weight: what a mentor's phone downloads for her home page, on a first visit and a repeat.

A benchmark, not a test: it prints figures and PASS/FAIL against the targets, and exits 0.

    .venv/bin/python bench/weight.py                # migrate, seed the small demo, collect, serve, load
    .venv/bin/python bench/weight.py --skip-seed    # reuse the data already seeded
    .venv/bin/python bench/weight.py --path /mentees/ --account coordinator@demo.alongside.test

Mentors open the app on phones with poor signal, so the figures are the ones production gives:

1. the benchmark database of bench/pages.py (`database_url`), migrated and seeded with the small
   demo (`seed_demo`, idempotent);
2. `collectstatic` into a temporary STATIC_ROOT with production's storage (hashed names, gzip),
   served by whitenoise from gunicorn with DEBUG off (bench/static_settings.py);
3. the demo mentor signed in through the real login form;
4. Chromium (Debian's, as the browser tests use) on a phone-sized fresh context loads the page,
   then loads it again in the same context, as she would on her next visit.

Targets: the first load is at most 150 KB on the wire (compressed, headers included); on the
repeat visit no asset goes to the network at all (served from the cache without revalidation).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: `bench` and the apps import from the project root

from bench.pages import (  # noqa: E402
    DOMAIN,
    HOST,
    database_url,
    ensure_database,
    free_port,
    manage,
    owner_url,
    server_env,
    sign_in,
    start_gunicorn,
    stop_gunicorn,
    wait_until_ready,
)

MENTOR = f"mentor@{DOMAIN}"  # Dee: one mentee, the small demo's mentor
SETTINGS = "bench.static_settings"
TARGET_FIRST_LOAD_BYTES = 150 * 1024
TARGET_REPEAT_ASSET_FETCHES = 0
# A repeat visit within a minute is served from the cache whatever the max-age; the next day's
# needs a long one: every asset is meant to be cached for a year or more (hashed names).
TARGET_ASSET_MAX_AGE = 365 * 24 * 3600
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"]
PHONE_WIDTH, PHONE_HEIGHT = 390, 844


@dataclass
class Served:
    """The app on 127.0.0.1 serving collected static files, and a signed-in session."""

    port: int
    cookies: dict[str, str]
    lookups: dict[str, int | str]

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path.format(**self.lookups)


def mentor_lookups(env: dict[str, str], account: str) -> dict[str, int | str]:
    """Ids a page path may name: `{pair}`, the account's first active pair (if she has one)."""
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection

    from mentoring.models import Pair

    pair = Pair.objects.filter(mentor__user__email=account, status="active").order_by("pk").first()
    connection.close()
    return {"pair": pair.pk} if pair else {}


@contextlib.contextmanager
def production_assets(*, account: str = MENTOR, seed: bool = True) -> Iterator[Served]:
    """Migrate, seed, collect static files production's way, serve them, sign `account` in."""
    url, source = database_url()
    if url:
        ensure_database(owner_url(url) or url)
    static_root = Path(tempfile.mkdtemp(prefix="alongside-static-"))
    env = server_env(url)
    env.update(DJANGO_SETTINGS_MODULE=SETTINGS, BENCH_STATIC_ROOT=str(static_root))
    server = None
    try:
        print(f"database: {source}")
        manage(env, "migrate", "--no-input", "-v", "0")
        if seed:
            manage(env, "seed_demo")
        manage(env, "collectstatic", "--no-input", "-v", "0")
        files = [path for path in static_root.rglob("*") if path.is_file()]
        print(f"static:   collectstatic wrote {len(files)} files (hashed, gzip) into a temporary STATIC_ROOT")
        lookups = mentor_lookups(env, account)
        port = free_port()
        log = static_root.parent / f"{static_root.name}-gunicorn.log"
        server = start_gunicorn(env, port, log)
        wait_until_ready(server, port, log)
        client = sign_in(port, account)
        print(f"server:   gunicorn, 1 sync worker, {HOST}:{port}, DEBUG off, whitenoise; signed in as {account}")
        yield Served(port=port, cookies=dict(client.cookies), lookups=lookups)
    finally:
        if server is not None:
            stop_gunicorn(server)
        shutil.rmtree(static_root, ignore_errors=True)


# --- the browser ---


@dataclass
class Resource:
    url: str
    kind: str = ""
    status: int = 0
    encoding: str = ""
    cache_control: str = ""
    wire_bytes: int = 0  # on the wire: headers and compressed body
    body_bytes: int = 0  # decoded
    from_cache: bool = False
    finished: bool = False

    @property
    def path(self) -> str:
        parts = urlsplit(self.url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    @property
    def is_asset(self) -> bool:
        return "/static/" in self.url

    @property
    def max_age(self) -> int:
        found = re.search(r"max-age=(\d+)", self.cache_control)
        return int(found.group(1)) if found else 0


@dataclass
class Load:
    resources: dict[str, Resource] = field(default_factory=dict)

    @property
    def wire_bytes(self) -> int:
        return sum(r.wire_bytes for r in self.resources.values())

    def network_assets(self) -> list[Resource]:
        return [r for r in self.resources.values() if r.is_asset and not r.from_cache]


def record_load(page: Any, cdp: Any, url: str) -> Load:
    """Load `url` in `page` and note every request Chromium's network layer saw (via CDP)."""
    load = Load()

    inline: set[str] = set()  # data: URLs (Bootstrap's icons): nothing goes over the network

    def resource(params: dict[str, Any]) -> Resource:
        if params["requestId"] in inline:
            return Resource(url="data:")
        return load.resources.setdefault(params["requestId"], Resource(url=""))

    def sent(params: dict[str, Any]) -> None:
        if params["request"]["url"].startswith("data:"):
            inline.add(params["requestId"])
        resource(params).url = params["request"]["url"]

    def cached(params: dict[str, Any]) -> None:
        resource(params).from_cache = True

    def received(params: dict[str, Any]) -> None:
        r, response = resource(params), params["response"]
        headers = {name.lower(): value for name, value in response.get("headers", {}).items()}
        r.url, r.kind, r.status = response["url"], params.get("type", ""), response["status"]
        r.encoding = headers.get("content-encoding", "")
        r.cache_control = headers.get("cache-control", "")
        if response.get("fromDiskCache") or response.get("fromServiceWorker") or response.get("fromPrefetchCache"):
            r.from_cache = True

    def data(params: dict[str, Any]) -> None:
        resource(params).body_bytes += params.get("dataLength", 0)

    def finished(params: dict[str, Any]) -> None:
        r = resource(params)
        r.wire_bytes, r.finished = int(params.get("encodedDataLength", 0)), True

    handlers = {
        "Network.requestWillBeSent": sent,
        "Network.requestServedFromCache": cached,
        "Network.responseReceived": received,
        "Network.dataReceived": data,
        "Network.loadingFinished": finished,
    }
    for event, handler in handlers.items():
        cdp.on(event, handler)
    try:
        response = page.goto(url, wait_until="networkidle")
    finally:
        for event, handler in handlers.items():
            cdp.remove_listener(event, handler)
    if response is None or response.status != 200 or "/accounts/login/" in page.url:
        raise SystemExit(f"{url} did not load signed in (HTTP {response.status if response else '?'}, at {page.url})")
    return load


def measure(served: Served, path: str) -> tuple[Load, Load]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(
                viewport={"width": PHONE_WIDTH, "height": PHONE_HEIGHT}, is_mobile=True, has_touch=True
            )
            context.add_cookies([{"name": k, "value": v, "url": served.base} for k, v in served.cookies.items()])
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            first = record_load(page, cdp, served.url(path))
            repeat = record_load(page, cdp, served.url(path))
            context.close()
        finally:
            browser.close()
    return first, repeat


def kb(n: int) -> str:
    return f"{n / 1024:.1f} KB"


def report(path: str, first: Load, repeat: Load) -> None:
    print(f"\nfirst load of {path} (fresh context, phone-sized):")
    print(f"  {'resource':58} {'status':>6} {'encoding':>8} {'on the wire':>12} {'decoded':>10}  cache-control")
    for r in sorted(first.resources.values(), key=lambda r: (not r.url.endswith(path), -r.wire_bytes)):
        status = str(r.status) + (" cache" if r.from_cache else "")
        sizes = f"{kb(r.wire_bytes):>12} {kb(r.body_bytes):>10}"
        print(f"  {r.path[:58]:58} {status:>6} {r.encoding or '-':>8} {sizes}  {r.cache_control}")
    total = first.wire_bytes
    verdict = "PASS" if total <= TARGET_FIRST_LOAD_BYTES else "FAIL"
    print(f"  total on the wire: {kb(total)} ({total:,} bytes) in {len(first.resources)} requests")
    print(f"{verdict}  first load {kb(total)} (target <= {kb(TARGET_FIRST_LOAD_BYTES)})")
    short = [r.path for r in first.resources.values() if r.is_asset and r.max_age < TARGET_ASSET_MAX_AGE]
    verdict = "PASS" if not short else "FAIL"
    print(
        f"{verdict}  {len(short)} asset(s) cached for less than a year"
        + (": " + ", ".join(short) if short else " (every one has a far-future max-age)")
    )

    print(f"\nrepeat visit of {path} (same context):")
    for r in sorted(repeat.resources.values(), key=lambda r: r.path):
        where = "cache" if r.from_cache else f"network, HTTP {r.status}"
        print(f"  {r.path[:58]:58} {where:>18} {kb(r.wire_bytes):>10}")
    fetched = repeat.network_assets()
    verdict = "PASS" if len(fetched) <= TARGET_REPEAT_ASSET_FETCHES else "FAIL"
    print(f"  total on the wire: {kb(repeat.wire_bytes)}")
    print(
        f"{verdict}  repeat visit: {len(fetched)} asset request(s) went to the network"
        f" (target {TARGET_REPEAT_ASSET_FETCHES})" + (": " + ", ".join(r.path for r in fetched) if fetched else "")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skip-seed", action="store_true", help="reuse the data already in the benchmark database")
    parser.add_argument("--path", default="/mentor/", help="page to load (default /mentor/; {pair} is filled in)")
    parser.add_argument("--account", default=MENTOR, help=f"who is signed in (default {MENTOR})")
    args = parser.parse_args()
    print("Alongside page weight")
    with production_assets(account=args.account, seed=not args.skip_seed) as served:
        first, repeat = measure(served, args.path)
    report(args.path, first, repeat)


if __name__ == "__main__":
    main()
