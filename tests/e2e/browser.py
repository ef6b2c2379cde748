"""Driving the SPA in Chromium: sign-in through the provider's page, the axe-core check, screenshots."""

import re
from pathlib import Path
from typing import Any, Literal

from playwright.sync_api import Page, expect

from local.gateway.config import REPOSITORY_ROOT
from tests.e2e.stack import FRONTEND_DIR, E2EStack

# Debian's Chromium, headless, with nothing that reaches out to the network on its own.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_SCRIPT = FRONTEND_DIR / "node_modules" / "axe-core" / "axe.min.js"
# axe-core's impact levels that fail the check (https://github.com/dequelabs/axe-core/blob/develop/doc/API.md).
BLOCKING_IMPACTS = frozenset({"serious", "critical"})
SCREENSHOT_DIR = REPOSITORY_ROOT / "test-artifacts" / "screenshots"
AUTHORIZE_PATH = "/oauth2/v1/authorize"
# Polling by interval, not animation frame: frames do not tick while a test has installed Playwright's fake clock.
POLL_INTERVAL_MS = 100

Theme = Literal["light", "dark"]


class Spa:
    """One browser tab on the SPA of an :class:`E2EStack`.

    Parameters
    ----------
    page : Page
    stack : E2EStack
    """

    def __init__(self, page: Page, stack: E2EStack) -> None:
        self.page = page
        self.stack = stack

    def url(self, path: str = "/") -> str:
        """Absolute URL of ``path`` on the SPA's origin."""
        return f"{self.stack.spa_url}{path}"

    def goto(self, path: str = "/") -> None:
        """Load ``path`` as a person typing it into the address bar."""
        self.page.goto(self.url(path))

    def expect_path(self, path: str) -> None:
        """Wait until the address bar shows ``path`` on the SPA's origin (the callback's ``code`` gone)."""
        expect(self.page).to_have_url(self.url(path))

    def choose_persona(self, login_id: str) -> None:
        """On the provider's sign-in page, pick ``login_id``; the provider redirects back to the SPA."""
        self.page.wait_for_url(re.compile("^" + re.escape(self.stack.idp.base_url + AUTHORIZE_PATH)))
        self.page.locator(f'button[name="login_id"][value="{login_id}"]').click()

    def sign_in(self, login_id: str, path: str = "/") -> None:
        """Open ``path`` signed out, sign in as ``login_id`` on the provider's page, and land on ``path``."""
        self.goto(path)
        self.choose_persona(login_id)
        self.expect_path(path)

    @property
    def session_storage_key(self) -> str:
        """Where oidc-client-ts keeps the signed-in user in sessionStorage."""
        return f"oidc.user:{self.stack.idp.issuer}:{self.stack.idp.project_id}"

    def stored_session(self) -> str | None:
        """The oidc-client-ts user record (JSON text), or ``None`` when signed out."""
        return self.page.evaluate("(key) => sessionStorage.getItem(key)", self.session_storage_key)

    def expect_signed_out(self) -> None:
        """Wait until the SPA has removed the user from sessionStorage (it does so once the login page shows)."""
        self.page.wait_for_function(
            "(key) => sessionStorage.getItem(key) === null",
            arg=self.session_storage_key,
            polling=POLL_INTERVAL_MS,
        )

    def sidebar_items(self) -> list[str]:
        """The ``data-testid`` of every link in the sidebar, in order."""
        links = self.page.get_by_test_id("app-sidebar").locator("a[data-testid^='nav-']")
        return [link.get_attribute("data-testid") or "" for link in links.all()]

    def use_theme(self, theme: Theme) -> None:
        """Follow the system theme, set to ``theme``, and wait for the SPA to apply it."""
        self.page.emulate_media(color_scheme=theme)
        html = self.page.locator("html")
        if theme == "dark":
            expect(html).to_have_class(re.compile(r"\bdark\b"))
        else:
            expect(html).not_to_have_class(re.compile(r"\bdark\b"))


def find_axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core on the whole document and return the serious and critical violations.

    Returns
    -------
    list of dict
        axe's violation objects (``id``, ``impact``, ``help``, ``nodes`` with ``target``).
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=AXE_SCRIPT)
    results = page.evaluate("() => window.axe.run(document, { resultTypes: ['violations'] })")
    return [violation for violation in results["violations"] if violation["impact"] in BLOCKING_IMPACTS]


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """One line per violation and failing element, for an assertion message."""
    return "\n".join(
        f"{violation['impact']} {violation['id']}: {violation['help']} at {node['target']}"
        for violation in violations
        for node in violation["nodes"]
    )


def save_screenshot(page: Page, name: str, theme: Theme) -> Path:
    """Write a full-page PNG to ``test-artifacts/screenshots/<name>-<theme>.png`` and return its path."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}-{theme}.png"
    page.screenshot(path=path, full_page=True, animations="disabled")
    return path
