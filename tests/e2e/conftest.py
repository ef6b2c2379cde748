"""Fixtures of the browser tests: the stack and Chromium for this folder, a fresh browser context per test.

The stack and the browser are package-scoped: they start with the first test here and stop after the last, so no
server or browser outlives this folder in a full run.
"""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, expect, sync_playwright

from tests.e2e.browser import CHROMIUM_ARGS, Spa
from tests.e2e.stack import E2EStack, find_chromium
from tests.fixtures.aws import MotoProcess

# Cold functions answer the first calls in a few seconds; a real failure still shows well within the suite budget.
EXPECT_TIMEOUT_MS = 15_000
VIEWPORT = {"width": 1280, "height": 900}

expect.set_options(timeout=EXPECT_TIMEOUT_MS)


@pytest.fixture(scope="package")
def e2e_stack(tmp_path_factory: pytest.TempPathFactory, moto_server: MotoProcess) -> Iterator[E2EStack]:
    """Identity provider, gateway and the built SPA on free loopback ports."""
    stack = E2EStack.start(tmp_path_factory.mktemp("e2e"), moto_server)
    yield stack
    stack.stop()


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium (never a Playwright browser download)."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def new_context(browser: Browser) -> BrowserContext:
    """A browser profile of its own (cookies, sessionStorage, localStorage) with a light system theme."""
    return browser.new_context(viewport=VIEWPORT, color_scheme="light", locale="en-US", timezone_id="UTC")


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser profile per test."""
    context = new_context(browser)
    yield context
    context.close()


@pytest.fixture
def spa(context: BrowserContext, e2e_stack: E2EStack) -> Spa:
    """A tab in the test's own profile, signed out."""
    return Spa(context.new_page(), e2e_stack)
