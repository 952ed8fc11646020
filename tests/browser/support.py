"""Helpers for the browser tests: viewports, the cast, signing in through the real forms, axe."""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, expect

from mentoring.models import Hub, Role, User
from tests.conftest import make_person
from tests.factories import TEST_PASSWORD

# A fixed base32 secret, so the tests can work out the code an authenticator app would show.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

PHONE_WIDTH = 390
PHONE: dict[str, Any] = {"viewport": {"width": PHONE_WIDTH, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 800}}
VIEWPORTS: dict[str, dict[str, Any]] = {"phone": PHONE, "desktop": DESKTOP}

# axe reports every impact; these fail a test.
BLOCKING_IMPACTS = ("serious", "critical")


@dataclass(frozen=True)
class Part:
    role: str
    email: str
    name: str
    home: str
    h1: str

    @property
    def has_mfa(self) -> bool:
        return self.role != Role.MENTOR


# Who signs in, and the home (path and h1) each should land on.
CAST: dict[str, Part] = {
    "coordinator": Part(Role.COORDINATOR, "carys@example.test", "Carys", "/coordinator/", "Coordinator home"),
    "safeguarding_lead": Part(Role.SAFEGUARDING_LEAD, "maz@example.test", "Maz", "/safeguarding/", "Safeguarding home"),
    "decision_maker": Part(Role.DECISION_MAKER, "ann@example.test", "Ann", "/insights/", "Programme overview"),
    "org_admin": Part(Role.ORG_ADMIN, "olu@example.test", "Olu", "/organisation/", "People and hubs"),
    "mentor_paired": Part(Role.MENTOR, "dee@example.test", "Dee", "/mentor/", "My mentees"),
    "mentor_unpaired": Part(Role.MENTOR, "ros@example.test", "Ros", "/mentor/", "My mentees"),
}
ROLE_KEYS = list(CAST)


def url_path_is(path: str) -> re.Pattern[str]:
    """A URL matcher for `expect(page).to_have_url`: this path on any host, any query string."""
    return re.compile(r"^https?://[^/]+" + re.escape(path) + r"(\?.*)?$")


def current_totp_code() -> str:
    """The code her authenticator app shows now; waits out the last moments of a period,
    since with no tolerance a code worked out just before the roll-over could be refused."""
    period = mfa_settings.TOTP_PERIOD
    remaining = period - (time.time() % period)
    if remaining < 2:
        time.sleep(remaining + 0.05)
    return format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // period))


def submit_password(page: Page, site: str, part: Part) -> None:
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Email").fill(part.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def submit_code(page: Page) -> None:
    expect(page).to_have_url(url_path_is("/accounts/2fa/authenticate/"))
    page.get_by_label("Code").fill(current_totp_code())
    page.get_by_role("button", name="Sign in").click()


def log_in(page: Page, site: str, part: Part) -> None:
    """Sign in through the real forms (password, then the TOTP step for staff); she lands on her home."""
    submit_password(page, site, part)
    if part.has_mfa:
        submit_code(page)
    expect(page).to_have_url(url_path_is(part.home))


# A button's colours fade over 0.15 s when it is tapped (Bootstrap's transitions): axe run in the
# middle of a fade measures a colour halfway between two and reports a contrast that no one sees.
# Endless animations (a spinner) are left running: waiting for them would never end.
SETTLE_ANIMATIONS_JS = """Promise.all(document.getAnimations()
  .filter(a => !a.effect || a.effect.getComputedTiming().iterations !== Infinity)
  .map(a => a.finished.catch(() => null)))"""


def serious_axe_violations(page: Page) -> list[str]:
    """What axe finds serious or critical on the page once its transitions have ended, a line
    each, with the elements."""
    page.evaluate(SETTLE_ANIMATIONS_JS)
    violations = Axe().run(page).response["violations"]
    lines = []
    for violation in violations:
        if violation.get("impact") not in BLOCKING_IMPACTS:
            continue
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {node['target']}: {summary}")
    return lines


def assert_no_serious_axe_violations(page: Page) -> None:
    if lines := serious_axe_violations(page):
        count = sum(1 for line in lines if line.startswith("- "))
        pytest.fail(
            "\n".join([f"axe found {count} serious or critical violation(s) on {page.url}:", *lines]), pytrace=False
        )


# What is wider than the phone: the page itself, or any element that scrolls sideways inside
# itself (a table in a scrolling wrapper, a tab bar) with content cut off. Both mean a woman on
# a phone has to scroll sideways to read it. Elements that aren't shown don't count.
TOO_WIDE_JS = """() => {
  const found = [];
  const page = document.documentElement.scrollWidth;
  if (page > window.innerWidth) found.push({what: "the page", width: page, shown: window.innerWidth});
  for (const el of document.querySelectorAll("body *")) {
    if (el.tagName === "TEXTAREA" || el.offsetParent === null) continue;
    const overflow = getComputedStyle(el).overflowX;
    if ((overflow === "auto" || overflow === "scroll") && el.scrollWidth > el.clientWidth + 1) {
      const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
        (el.classList.length ? "." + Array.from(el.classList).join(".") : "");
      found.push({what: name, width: el.scrollWidth, shown: el.clientWidth});
    }
  }
  return found;
}"""

# Run on every page a phone-sized context loads, so every page a browser test visits is
# measured, not only the ones it checks by hand; what it finds comes back on the console.
TOO_WIDE_MARK = "alongside-too-wide "
WATCH_WIDTH_JS = (
    "window.addEventListener('load', () => { const found = (" + TOO_WIDE_JS + ")();"
    " if (found.length) console.log(" + repr(TOO_WIDE_MARK) + " + location.pathname + ' ' + JSON.stringify(found)); });"
)


def watch_width(context: BrowserContext) -> list[str]:
    """Every page this context loads that is wider than its viewport, as "path [what...]"."""
    found: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "log" and message.text.startswith(TOO_WIDE_MARK):
            found.append(message.text.removeprefix(TOO_WIDE_MARK))

    context.add_init_script(WATCH_WIDTH_JS)
    context.on("console", on_console)
    return found


class Visit:
    """The pages one test visits: each must pass axe, and on a phone fit its width. With
    BROWSER_SHOTS_DIR set, a check given a name also saves a screenshot of the page."""

    def __init__(self, page: Page, *, viewport: str, shots_prefix: str = "") -> None:
        self.page = page
        self.viewport = viewport
        self.shots_prefix = shots_prefix
        self.too_wide: dict[str, list[dict[str, Any]]] = {}
        self.shots = os.environ.get("BROWSER_SHOTS_DIR")

    def check(self, name: str = "") -> None:
        assert_no_serious_axe_violations(self.page)
        if self.viewport == "phone":
            found = self.page.evaluate(TOO_WIDE_JS)
            if found:
                self.too_wide[self.page.url] = found
        if self.shots and name:
            Path(self.shots).mkdir(parents=True, exist_ok=True)
            shot = "-".join(part for part in (self.shots_prefix, name, self.viewport) if part) + ".png"
            self.page.screenshot(path=str(Path(self.shots) / shot), full_page=True)

    def assert_nothing_too_wide(self) -> None:
        assert self.too_wide == {}, f"pages wider than {PHONE_WIDTH} px: {self.too_wide}"


def make_user(part: Part, hub: Hub) -> User:
    """Her account through the services; staff get TOTP with the known secret."""
    user = make_person(part.email, part.name, hub, part.role, mfa=False)
    if part.has_mfa:
        TOTP.activate(user, TOTP_SECRET)
    return user
