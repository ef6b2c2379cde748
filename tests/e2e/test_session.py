"""Sign-in, deep links, sign-out, an ended session and the theme choice, in Chromium against the local stack."""

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.e2e.browser import POLL_INTERVAL_MS, Spa

pytestmark = pytest.mark.e2e

THEME_STORAGE_KEY = "identity-stack.theme"
# Inside oidc-client-ts's renewal window (60 s before expiry) of the 10-minute access token (infra/:
# session_token_expiration), but not past expiry: only a refused renewal can end the session here.
RENEWAL_DUE = "09:30"
PAST_EXPIRY = "11:00"


def test_sign_in_owner_dashboard_shows_name_tenant_and_roles(spa: Spa) -> None:
    with spa.page.expect_response(f"{spa.stack.api_url}/api/me") as me:
        spa.sign_in("owner@acme.test")

    # Cross-origin, as in production: the gateway allows exactly the SPA's origin.
    assert me.value.status == 200
    assert me.value.headers["access-control-allow-origin"] == spa.stack.spa_url
    expect(spa.page.get_by_test_id("identity-name")).to_have_text("Olivia Owner")
    expect(spa.page.get_by_test_id("active-tenant")).to_have_text("Acme Corp")
    expect(spa.page.get_by_test_id("active-roles")).to_have_text("owner")
    expect(spa.page.get_by_test_id("api-health")).to_contain_text("ok")


def test_deep_link_before_sign_in_survives_sign_in(spa: Spa) -> None:
    spa.goto("/settings?view=plan")
    spa.choose_persona("admin@acme.test")

    spa.expect_path("/settings?view=plan")
    expect(spa.page.get_by_role("heading", name="Tenant Settings", level=1)).to_be_visible()


def test_sign_out_lands_on_login_and_needs_a_new_sign_in(spa: Spa) -> None:
    spa.sign_in("member@acme.test", "/resources")

    spa.page.get_by_test_id("user-menu").click()
    spa.page.get_by_test_id("sign-out").click()

    spa.expect_path("/login")
    expect(spa.page.get_by_test_id("signed-out")).to_be_visible()
    spa.expect_signed_out()
    spa.goto("/resources")
    spa.choose_persona("member@acme.test")  # the provider's page again: nothing signed in remains
    spa.expect_path("/resources")


def test_session_renewal_refused_lands_on_login_with_message(context: BrowserContext, spa: Spa) -> None:
    context.clock.install()
    spa.sign_in("viewer@acme.test", "/resources")
    expect(spa.page.get_by_role("heading", name="Resources", level=1)).to_be_visible()
    # An administrator ends the user's sessions: the refresh token is revoked, the access token still looks valid.
    spa.stack.idp.descope_client().mgmt.user.logout_user("viewer@acme.test")

    spa.page.clock.fast_forward(RENEWAL_DUE)

    spa.expect_path("/login")
    expect(spa.page.get_by_test_id("session-expired")).to_contain_text("Your session expired")
    spa.expect_signed_out()
    spa.page.get_by_test_id("sign-in").click()
    spa.choose_persona("viewer@acme.test")
    spa.expect_path("/resources")


def test_session_access_token_expired_lands_on_login_with_message(context: BrowserContext, spa: Spa) -> None:
    context.clock.install()
    spa.sign_in("member@acme.test", "/roles")

    spa.page.clock.fast_forward(PAST_EXPIRY)  # e.g. a laptop asleep past the token's lifetime

    spa.expect_path("/login")
    expect(spa.page.get_by_test_id("session-expired")).to_be_visible()
    spa.expect_signed_out()


def test_session_renewal_due_renews_in_background_and_stays(context: BrowserContext, spa: Spa) -> None:
    context.clock.install()
    spa.sign_in("viewer@acme.test", "/resources")
    before = spa.stored_session()

    spa.page.clock.fast_forward(RENEWAL_DUE)

    spa.page.wait_for_function(
        "([key, before]) => { const now = sessionStorage.getItem(key); return now !== null && now !== before; }",
        arg=[spa.session_storage_key, before],
        polling=POLL_INTERVAL_MS,
    )
    spa.expect_path("/resources")
    expect(spa.page.get_by_test_id("session-expired")).to_have_count(0)


def test_theme_toggle_choice_persists_across_reload(spa: Spa) -> None:
    spa.sign_in("member@acme.test")
    toggle = spa.page.get_by_test_id("theme-toggle")
    expect(toggle).to_have_attribute("data-theme", "light")

    toggle.click()
    spa.page.reload()

    expect(toggle).to_have_attribute("data-theme", "dark")
    expect(spa.page.locator("html")).to_have_class("dark")
    assert spa.page.evaluate(f"() => localStorage.getItem('{THEME_STORAGE_KEY}')") == "dark"
