"""The mentor's phone with no signal, in the browser at phone size: her home and the log form open
from the offline shell; a log is kept on the phone and sent exactly once when the signal returns,
whatever happens on the way (lost answers, signing out, a refused date); signing out with unsent
logs warns; quick-hide leaves no way back; the browser is told to delete the site's data on
sign-out. See docs/offline.md."""

from __future__ import annotations

import random
import re
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, Route, expect

from mentoring.models import Mentee, MentoringSession, Pair
from tests.browser.support import CAST, PHONE, Visit, log_in, url_path_is
from tests.conftest import make_active_pair
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser

DEE = CAST["mentor_paired"]


@pytest.fixture
def pair(cast) -> Pair:
    amber = Mentee.objects.get(chosen_name="Amber")
    return make_active_pair(amber, cast["mentor_paired"], cast["coordinator"])


DRAFTS_KEPT = "() => window.idb.openDB('alongside').then(db => db.count('drafts')).then(n => n === 1)"
NO_SIGNAL = "**/sessions/new/"  # the log's own URL: routed to fail, the rest of the page works


def nothing_waiting(page: Page) -> None:
    expect(page.locator("#offline-pending", has_text=re.compile(r"\d+ logs? waiting"))).to_have_count(0)


def ready(page: Page) -> None:
    """offline.js has drawn the page, stored what the phone keeps and tried the queue."""
    page.wait_for_function("() => document.documentElement.dataset.offlineReady === 'true'")


def eventually(page: Page, check: str, tries: int = 100) -> None:
    """Polls an asynchronous check in the page (wait_for_function doesn't wait for promises)."""
    for _ in range(tries):
        if page.evaluate(check):
            return
        page.wait_for_timeout(100)
    pytest.fail(f"never true: {check}")


def installed(page: Page) -> None:
    """The service worker controls the page, with the shell and the page's assets kept."""
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    eventually(
        page,
        "() => caches.match('/mentor/offline/', {ignoreSearch: true})"
        ".then(shell => !!shell && document.documentElement.dataset.offlineCached === 'true')",
    )


def phone(new_context, *, worker: bool) -> tuple[BrowserContext, Page]:
    # Without the worker the queue is the same code; blocking it keeps the longer tests quick.
    context = new_context(**PHONE, service_workers="allow" if worker else "block")
    return context, context.new_page()


def rows(pair: Pair) -> list[str]:
    return [str(cid) for cid in MentoringSession.objects.filter(pair=pair).values_list("client_id", flat=True)]


def queued(page: Page) -> list[dict]:
    return page.evaluate("window.alongsideOffline.queue()")


def log_fields(notes: str = "Talked about housing") -> list[list[str]]:
    held_on = timezone.localdate().isoformat()  # the pair started today
    return [
        ["held_on", held_on],
        ["duration_minutes", "45"],
        ["mode", "phone"],
        ["notes", notes],
        ["wellbeing", "fine"],
    ]


def test_a_log_made_with_no_signal_is_sent_once_the_signal_returns(new_context, site, pair):
    context, page = phone(new_context, worker=True)
    log_in(page, site, DEE)
    ready(page)
    installed(page)

    context.set_offline(True)
    page.goto(f"{site}/mentor/")
    ready(page)
    # The shell, drawn from the phone: her mentee's chosen name, nothing else of hers.
    expect(page.get_by_role("heading", level=1)).to_have_text("My mentees")
    expect(page.locator(".mentee-card")).to_have_attribute("data-name", "Amber")
    assert "Code word" not in page.content()
    page.get_by_role("link", name="Log a session with Amber").click()
    ready(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a session with Amber")
    Visit(page, viewport="phone", shots_prefix="offline").check("shell-form")
    # Bad input is told at once with no signal, in the server's words, and nothing typed is lost.
    page.get_by_label("How long (minutes)").fill("0")
    page.get_by_label("When did you meet?").fill((timezone.localdate() + timedelta(days=1)).isoformat())
    page.get_by_label("Short notes (optional)").fill("We met at the café")
    page.get_by_role("button", name="Save the session").click()
    expect(page.get_by_text("Between 1 minute and 12 hours, in minutes.")).to_be_visible()
    expect(page.get_by_text("This date can't be in the future.")).to_be_visible()
    expect(page.get_by_label("Short notes (optional)")).to_have_value("We met at the café")
    assert queued(page) == []
    page.get_by_label("When did you meet?").fill(timezone.localdate().isoformat())
    page.get_by_label("How long (minutes)").fill("50")
    page.get_by_role("button", name="Save the session").click()
    expect(page).to_have_url(url_path_is("/mentor/"))
    ready(page)
    expect(page.locator("#offline-pending")).to_contain_text("1 log waiting to send, oldest less than a minute")
    assert rows(pair) == []
    # Her real pages (safe-contact details, the agreement) were never kept by the worker.
    kept = page.evaluate(
        "caches.keys().then(names => Promise.all(names.map(n => caches.open(n).then(c => c.keys()))))"
        ".then(lists => lists.flat().map(r => new URL(r.url).pathname))"
    )
    assert "/mentor/" not in kept and not [path for path in kept if "/sessions/" in path]

    context.set_offline(False)
    nothing_waiting(page)
    [client_id] = rows(pair)
    assert queued(page) == []
    session = MentoringSession.objects.get(client_id=client_id)
    assert session.duration_minutes == 50 and session.notes == "We met at the café"


def test_her_home_can_be_installed_as_an_app(new_context, site, pair):
    context, page = phone(new_context, worker=True)
    log_in(page, site, DEE)
    ready(page)
    installed(page)
    browser = context.new_cdp_session(page)
    manifest = browser.send("Page.getAppManifest")
    assert manifest["errors"] == [] and manifest["url"].endswith("/mentor/manifest.webmanifest")
    errors = [error["errorId"] for error in browser.send("Page.getInstallabilityErrors")["installabilityErrors"]]
    # Playwright's contexts are incognito ones, where nothing can be installed; nothing else stops it.
    assert errors == ["in-incognito"]


def test_background_sync_sends_her_waiting_log_with_her_pages_closed(new_context, site, pair):
    """Where the browser has Background Sync, the worker sends the queue itself when the signal
    returns. Here the page's own sends fail (routed), and the page is closed before the browser syncs."""
    context, page = phone(new_context, worker=True)
    log_in(page, site, DEE)
    ready(page)
    installed(page)
    page.route(NO_SIGNAL, lambda route: route.abort("internetdisconnected"))
    client_id = page.evaluate(
        "async ([pair, fields]) => { const id = await window.alongsideOffline.saveLog(pair, fields);"
        " await window.alongsideOffline.sendQueue(); return id; }",
        [pair.pk, log_fields()],
    )
    page.close()
    blank = context.new_page()
    for _ in range(100):
        if rows(pair):
            break
        blank.wait_for_timeout(100)
    assert rows(pair) == [client_id]


def test_a_log_whose_answer_was_lost_is_sent_again_and_stored_once(new_context, site, pair):
    _, page = phone(new_context, worker=False)
    log_in(page, site, DEE)
    ready(page)

    def lose_the_answer(route: Route) -> None:
        route.fetch()  # the server stores it...
        route.abort("internetdisconnected")  # ...and the phone never hears back

    page.route(NO_SIGNAL, lose_the_answer)
    client_id = page.evaluate(f"window.alongsideOffline.saveLog({pair.pk}, {log_fields()!r})")
    page.evaluate("window.alongsideOffline.sendQueue()")
    assert rows(pair) == [client_id]
    assert [item["client_id"] for item in queued(page)] == [client_id]

    page.unroute(NO_SIGNAL)
    page.get_by_role("button", name="Send now").click()
    nothing_waiting(page)
    assert rows(pair) == [client_id] and queued(page) == []


def test_a_log_saved_while_a_send_runs_is_sent_straight_after_it(new_context, site, pair):
    _, page = phone(new_context, worker=False)
    log_in(page, site, DEE)
    ready(page)
    left = page.evaluate(
        """async ([pair, first, second]) => {
            const offline = window.alongsideOffline;
            const send = window.fetch;
            let posting;
            const posted = new Promise((resolve) => { posting = resolve; });
            window.fetch = (url, options) => {
                if (options && options.method === "POST") posting();
                return send(url, options);
            };
            await offline.saveLog(pair, first);
            const running = offline.sendQueue();
            await posted;  // the running send has its list: the second log isn't on it
            await offline.saveLog(pair, second);
            await offline.sendQueue();
            await running;
            return (await offline.queue()).length;
        }""",
        [pair.pk, log_fields(notes="First"), log_fields(notes="Second")],
    )
    assert left == 0
    assert sorted(MentoringSession.objects.values_list("notes", flat=True)) == ["First", "Second"]


def test_a_page_with_a_stale_token_still_sends_once_she_is_signed_in(new_context, site, pair):
    """She signed in again in another tab: this page's token is out of date, her session isn't."""
    _, page = phone(new_context, worker=False)
    log_in(page, site, DEE)
    ready(page)
    page.evaluate("() => document.querySelector('meta[name=\"csrf-token\"]').setAttribute('content', 'stale')")
    client_id = page.evaluate(
        "async ([pair, fields]) => { const id = await window.alongsideOffline.saveLog(pair, fields);"
        " await window.alongsideOffline.sendQueue(); return id; }",
        [pair.pk, log_fields()],
    )
    assert rows(pair) == [client_id] and queued(page) == []


def test_fifty_logs_through_a_patchy_signal_arrive_once_each(new_context, site, pair):
    context, page = phone(new_context, worker=False)
    log_in(page, site, DEE)
    ready(page)
    chance = random.Random(20261204)
    made: list[str] = []
    lost_answers = 0

    def sometimes_lose_the_answer(route: Route) -> None:
        nonlocal lost_answers
        if chance.random() < 0.3:
            route.fetch()
            lost_answers += 1
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route(NO_SIGNAL, sometimes_lose_the_answer)
    for batch in range(10):
        offline = chance.random() < 0.5
        context.set_offline(offline)
        for n in range(5):
            fields = log_fields(notes=f"Batch {batch} log {n}")
            made.append(page.evaluate(f"window.alongsideOffline.saveLog({pair.pk}, {fields!r})"))
        page.evaluate("window.alongsideOffline.sendQueue()")
    context.set_offline(False)
    page.unroute(NO_SIGNAL)
    page.evaluate("window.alongsideOffline.sendQueue()")
    assert queued(page) == []
    stored = rows(pair)
    assert len(made) == 50 and lost_answers > 0
    assert sorted(stored) == sorted(made)  # none lost, none twice
    assert len(set(stored)) == len(stored) == 50


def test_a_log_kept_while_she_was_signed_out_arrives_once_after_she_signs_in(new_context, site, pair):
    context, page = phone(new_context, worker=False)
    log_in(page, site, DEE)
    page.get_by_role("link", name="Log a session with Amber").click()
    ready(page)
    context.set_offline(True)
    page.get_by_label("Short notes (optional)").fill("Walked to the bus stop")
    page.get_by_role("button", name="Save the session").click()
    expect(page.locator("#offline-pending")).to_contain_text("1 log waiting to send")

    Session.objects.all().delete()  # her session ends while the phone is out of signal
    context.set_offline(False)  # the page sends on the signal's return
    expect(page.locator("#offline-signin")).to_contain_text("Sign in again to send")
    assert rows(pair) == [] and len(queued(page)) == 1

    page.get_by_role("link", name="Sign in again to send").click()
    page.get_by_label("Email").fill(DEE.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(url_path_is("/mentor/"))
    ready(page)
    nothing_waiting(page)
    assert len(rows(pair)) == 1 and queued(page) == []


def test_a_refused_log_waits_for_her_to_fix_it_and_is_then_sent(new_context, site, pair):
    # A log the phone can't see is wrong: while it waited, her coordinator corrected the day the
    # pair started to after it.
    today = timezone.localdate()
    Pair.objects.filter(pk=pair.pk).update(activated_on=today - timedelta(days=10))
    context, page = phone(new_context, worker=False)
    log_in(page, site, DEE)
    page.get_by_role("link", name="Log a session with Amber").click()
    ready(page)
    context.set_offline(True)
    page.get_by_label("When did you meet?").fill((today - timedelta(days=5)).isoformat())
    page.get_by_label("Short notes (optional)").fill("Court date next week")
    page.get_by_role("button", name="Save the session").click()
    expect(page.locator("#offline-pending")).to_contain_text("1 log waiting to send")
    Pair.objects.filter(pk=pair.pk).update(activated_on=today - timedelta(days=2))
    context.set_offline(False)  # the page sends on the signal's return

    attention = page.locator("#offline-attention")
    expect(attention).to_contain_text("Needs your attention")
    expect(attention).to_contain_text("before the pair started")
    [item] = queued(page)
    assert item["status"] == "attention" and rows(pair) == []
    page.reload()
    ready(page)
    expect(attention).to_contain_text("Needs your attention")  # not dropped, not re-sent by itself

    attention.get_by_role("link", name="Fix and send").click()
    ready(page)
    expect(page.get_by_label("Short notes (optional)")).to_have_value("Court date next week")
    expect(page.locator("[data-offline-error]")).to_contain_text("before the pair started")
    page.get_by_label("When did you meet?").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Save the session").click()
    expect(page).to_have_url(url_path_is("/mentor/"))
    ready(page)
    assert rows(pair) == [item["client_id"]] and queued(page) == []


def test_a_half_written_log_is_kept_as_she_types_and_restored(new_context, site, pair):
    context, page = phone(new_context, worker=False)
    log_in(page, site, DEE)
    page.get_by_role("link", name="Log a session with Amber").click()
    ready(page)
    page.get_by_label("Short notes (optional)").fill("She wants to talk about")
    eventually(page, DRAFTS_KEPT)  # saved a moment after she stops typing
    page.close()  # the browser closed mid-log

    page = context.new_page()
    page.goto(f"{site}/mentor/pairs/{pair.pk}/sessions/new/")
    ready(page)
    expect(page.get_by_label("Short notes (optional)")).to_have_value("She wants to talk about")
    expect(page.locator("#offline-form-notice")).to_contain_text("We kept what you were writing")
    page.get_by_role("button", name="Save the session").click()
    expect(page).to_have_url(url_path_is("/mentor/"))
    ready(page)
    page.goto(f"{site}/mentor/pairs/{pair.pk}/sessions/new/")
    ready(page)
    expect(page.get_by_label("Short notes (optional)")).to_have_value("")  # sent, so the draft is gone
    assert len(rows(pair)) == 1


def test_signing_out_with_unsent_logs_warns_and_discarding_asks_twice(new_context, site, pair):
    _, page = phone(new_context, worker=False)
    log_in(page, site, DEE)
    ready(page)
    page.route(NO_SIGNAL, lambda route: route.abort("internetdisconnected"))
    page.evaluate(f"window.alongsideOffline.saveLog({pair.pk}, {log_fields()!r})")
    page.evaluate("window.alongsideOffline.sendQueue()")

    def sign_out() -> None:
        page.get_by_role("button", name="Menu").click()
        page.get_by_role("button", name="Sign out").click()

    sign_out()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("You have 1 log not sent yet")
    Visit(page, viewport="phone").check()
    dialog.get_by_role("button", name="Sign out anyway").click()
    expect(dialog).to_contain_text("Delete them and sign out?")
    dialog.get_by_role("button", name="Keep them").click()
    expect(page).to_have_url(url_path_is("/mentor/"))
    assert len(queued(page)) == 1

    with page.expect_response(lambda r: r.url.endswith("/accounts/logout/") and r.request.method == "POST") as out:
        sign_out()
        dialog.get_by_role("button", name="Sign out anyway").click()
        dialog.get_by_role("button", name="Delete and sign out").click()
    assert out.value.header_value("clear-site-data") == '"cache", "storage"'
    expect(page).not_to_have_url(url_path_is("/mentor/"))
    eventually(page, "() => indexedDB.databases().then(found => found.length === 0)")


def test_signing_out_offers_to_send_first(new_context, site, pair):
    _, page = phone(new_context, worker=False)
    log_in(page, site, DEE)
    ready(page)
    page.route(NO_SIGNAL, lambda route: route.abort("internetdisconnected"))
    page.evaluate(f"window.alongsideOffline.saveLog({pair.pk}, {log_fields()!r})")
    page.evaluate("window.alongsideOffline.sendQueue()")
    page.unroute(NO_SIGNAL)
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("dialog").get_by_role("button", name="Send them now").click()
    expect(page).to_have_url(url_path_is("/accounts/login/"))  # sent, then signed out
    assert len(rows(pair)) == 1


def test_another_person_on_the_same_phone_neither_sees_nor_sends_her_logs(new_context, site, pair, cast):
    _, page = phone(new_context, worker=False)
    log_in(page, site, DEE)
    ready(page)
    page.route(NO_SIGNAL, lambda route: route.abort("internetdisconnected"))
    page.evaluate(f"window.alongsideOffline.saveLog({pair.pk}, {log_fields()!r})")
    page.evaluate("window.alongsideOffline.sendQueue()")
    page.unroute(NO_SIGNAL)
    Session.objects.all().delete()  # she walked away; her session ended

    log_in(page, site, CAST["mentor_unpaired"])
    ready(page)
    nothing_waiting(page)
    assert queued(page) == [] and rows(pair) == []
    assert page.evaluate("() => window.idb.openDB('alongside').then(db => db.count('queue'))") == 1

    Session.objects.all().delete()
    log_in(page, site, DEE)
    ready(page)
    nothing_waiting(page)
    assert len(rows(pair)) == 1


def test_quick_hide_leaves_no_way_back_to_the_page(new_context, site, pair):
    _, page = phone(new_context, worker=False)
    log_in(page, site, DEE)
    page.get_by_role("link", name="Log a session with Amber").click()
    ready(page)
    entries = page.evaluate("history.length")
    button = page.get_by_role("button", name="Quick hide")
    expect(button).to_be_visible()
    # Always in reach, and never over the form's own buttons in the bar that stays at the bottom.
    page.mouse.wheel(0, 10000)
    hide = button.bounding_box()
    controls = page.locator(".sticky-actions a, .sticky-actions button").all()
    assert len(controls) >= 2
    for control in controls:
        box = control.bounding_box()
        assert box and hide
        apart = box["x"] + box["width"] <= hide["x"] or hide["y"] + hide["height"] <= box["y"]
        assert apart or box["y"] + box["height"] <= hide["y"], control.inner_text()
    button.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(url_path_is("/weather/"))
    expect(page).to_have_title("Weather")
    assert page.evaluate("history.length") == entries  # replaced, not added
    page.go_back()
    expect(page).not_to_have_url(url_path_is(f"/mentor/pairs/{pair.pk}/sessions/new/"))


def test_the_offline_shell_passes_axe_at_phone_size(new_context, site, pair):
    context, page = phone(new_context, worker=True)
    log_in(page, site, DEE)
    ready(page)
    installed(page)
    context.set_offline(True)
    page.goto(f"{site}/mentor/")
    ready(page)
    expect(page.locator(".mentee-card")).to_have_count(1)
    page.evaluate(f"window.alongsideOffline.saveLog({pair.pk}, {log_fields()!r})")
    page.evaluate("window.alongsideOffline.render()")
    expect(page.locator("#offline-pending")).to_contain_text("1 log waiting")
    visit = Visit(page, viewport="phone")
    visit.check("shell-home")
    visit.assert_nothing_too_wide()
