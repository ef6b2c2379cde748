"""axe-core on every page of the SPA, in light and dark mode, with a screenshot of each.

No serious or critical violation may remain (axe's impact levels). Screenshots go to test-artifacts/screenshots/.
"""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.browser import Spa, Theme, describe_violations, find_axe_violations, save_screenshot
from tests.e2e.conftest import new_context
from tests.e2e.stack import E2EStack

pytestmark = pytest.mark.e2e

THEMES: tuple[Theme, ...] = ("light", "dark")
# Colour checks must see final colours, not a theme transition half-way through.
NO_MOTION_CSS = "*, *::before, *::after { transition: none !important; animation: none !important; }"

# (screenshot name, path, data-testid shown once the page has the API's answer), as the owner sees them.
OWNER_PAGES = [
    ("dashboard", "/", "api-health"),
    ("resources", "/resources", "create-resource-form"),
    ("members", "/members", "members-table"),
    ("roles", "/roles", "server-confirmed-roles"),
    ("access-keys", "/keys", "keys-table"),
    ("tenant-settings", "/settings", "plan-badge"),
    ("profile", "/profile", "profile-name"),
]


@pytest.fixture(scope="module")
def owner_spa(browser: Browser, e2e_stack: E2EStack) -> Iterator[Spa]:
    """One tab signed in as owner@acme.test (every Admin page) for all the page checks."""
    context = new_context(browser)
    spa = Spa(context.new_page(), e2e_stack)
    spa.sign_in("owner@acme.test")
    yield spa
    context.close()


def check_page(spa: Spa, name: str) -> dict[Theme, str]:
    """Screenshot and axe-check the current page in each theme; returns the violations found per theme."""
    spa.page.add_style_tag(content=NO_MOTION_CSS)
    failures: dict[Theme, str] = {}
    for theme in THEMES:
        spa.use_theme(theme)
        save_screenshot(spa.page, name, theme)
        if violations := find_axe_violations(spa.page):
            failures[theme] = describe_violations(violations)
    return failures


def expect_loaded(spa: Spa, ready_test_id: str) -> None:
    """Wait for the page's own content, with no loading placeholder and no failed query left."""
    expect(spa.page.get_by_test_id(ready_test_id).first).to_be_visible()
    expect(spa.page.get_by_role("status", name="Loading")).to_have_count(0)
    expect(spa.page.get_by_test_id("query-error")).to_have_count(0)


@pytest.mark.parametrize(("name", "path", "ready_test_id"), OWNER_PAGES, ids=[page[0] for page in OWNER_PAGES])
def test_page_owner_view_has_no_serious_axe_violations(
    owner_spa: Spa, name: str, path: str, ready_test_id: str
) -> None:
    owner_spa.goto(path)
    expect_loaded(owner_spa, ready_test_id)

    failures = check_page(owner_spa, name)

    assert not failures, "\n".join(f"{theme}:\n{found}" for theme, found in failures.items())


def test_page_login_has_no_serious_axe_violations(spa: Spa) -> None:
    spa.goto("/login")
    expect(spa.page.get_by_test_id("sign-in")).to_be_visible()

    failures = check_page(spa, "login")

    assert not failures, "\n".join(f"{theme}:\n{found}" for theme, found in failures.items())


def test_page_forbidden_has_no_serious_axe_violations(spa: Spa) -> None:
    spa.sign_in("viewer@acme.test", "/keys")
    expect(spa.page.get_by_test_id("forbidden")).to_be_visible()

    failures = check_page(spa, "forbidden")

    assert not failures, "\n".join(f"{theme}:\n{found}" for theme, found in failures.items())
