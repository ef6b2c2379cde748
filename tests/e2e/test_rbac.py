"""What each persona may do in the SPA, checked end to end: the UI's controls and the API's answers agree."""

import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import Spa

pytestmark = pytest.mark.e2e

VIEWER_NAV = ["nav-dashboard", "nav-resources"]
ADMIN_NAV = ["nav-dashboard", "nav-resources", "nav-members", "nav-roles", "nav-keys", "nav-settings"]


def unique_name(prefix: str) -> str:
    """A name no other test (or earlier run against the same state) uses."""
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def test_resources_owner_creates_then_deletes_resource(spa: Spa) -> None:
    spa.sign_in("owner@acme.test", "/resources")
    name = unique_name("e2e-report")
    form = spa.page.get_by_test_id("create-resource-form")

    form.get_by_label("Name").fill(name)
    form.get_by_label("Description").fill("Created by the browser test")
    form.get_by_role("button", name="Create resource").click()

    row = spa.page.get_by_test_id("resources-table").get_by_role("row").filter(has_text=name)
    expect(row).to_contain_text("Created by the browser test")
    expect(spa.page.get_by_text(f"Created “{name}”")).to_be_visible()

    row.get_by_role("button", name=f"Delete {name}").click()
    spa.page.get_by_test_id("confirm").click()

    expect(spa.page.get_by_text(f"Deleted “{name}”")).to_be_visible()
    expect(spa.page.get_by_role("cell", name=name, exact=True)).to_have_count(0)
    spa.page.reload()  # the deletion is the API's, not only the list's
    expect_resource_list_loaded(spa)
    expect(spa.page.get_by_role("cell", name=name, exact=True)).to_have_count(0)


def test_resources_viewer_sees_no_create_control(spa: Spa) -> None:
    spa.sign_in("viewer@acme.test", "/resources")

    expect_resource_list_loaded(spa)
    expect(spa.page.get_by_test_id("create-resource-form")).to_have_count(0)
    expect(spa.page.get_by_role("button", name="Create resource")).to_have_count(0)
    assert spa.sidebar_items() == VIEWER_NAV


def test_access_keys_viewer_opening_keys_sees_403_page(spa: Spa) -> None:
    spa.sign_in("viewer@acme.test")

    spa.goto("/keys")

    expect(spa.page.get_by_test_id("forbidden")).to_contain_text("403")
    expect(spa.page.get_by_test_id("create-key-form")).to_have_count(0)


def test_access_keys_admin_creates_key_and_sees_secret_once(spa: Spa) -> None:
    spa.sign_in("admin@acme.test", "/keys")
    name = unique_name("e2e-key")

    spa.page.get_by_test_id("create-key-form").get_by_label("Name").fill(name)
    spa.page.get_by_role("button", name="Create key").click()

    secret = spa.page.get_by_test_id("key-secret-value").inner_text().strip()
    assert secret
    # The secret is real: the provider exchanges it for a token of the key the table lists under that name.
    exchanged = spa.stack.idp.descope_client().exchange_access_key(secret)
    row = spa.page.get_by_test_id("keys-table").get_by_role("row").filter(has_text=name)
    expect(row).to_contain_text(exchanged["keyId"])

    spa.page.reload()

    expect(spa.page.get_by_test_id("keys-table").get_by_role("row").filter(has_text=name)).to_be_visible()
    expect(spa.page.get_by_test_id("key-secret")).to_have_count(0)
    assert secret not in spa.page.content()


def test_tenant_switcher_consultant_switches_acme_to_globex_and_sidebar_changes(spa: Spa) -> None:
    acme, globex = (spa.stack.idp.seed.tenant_ids[name] for name in ("acme", "globex"))
    spa.sign_in("consultant@example.test")

    switch_tenant(spa, "consultant@example.test", acme)

    expect(spa.page.get_by_test_id("active-tenant")).to_have_text("Acme Corp")
    expect(spa.page.get_by_test_id("active-roles")).to_have_text("viewer")
    assert spa.sidebar_items() == VIEWER_NAV

    switch_tenant(spa, "consultant@example.test", globex)

    expect(spa.page.get_by_test_id("active-tenant")).to_have_text("Globex Inc")
    expect(spa.page.get_by_test_id("active-roles")).to_have_text("admin")
    expect(spa.page.get_by_test_id("nav-keys")).to_be_visible()
    assert spa.sidebar_items() == ADMIN_NAV


def switch_tenant(spa: Spa, login_id: str, tenant_id: str) -> None:
    """Pick ``tenant_id`` in the header's switcher; the SPA re-authorizes with ``tenant`` and returns to ``/``."""
    spa.page.get_by_test_id("tenant-switcher").click()
    spa.page.get_by_test_id(f"tenant-option-{tenant_id}").click()
    spa.choose_persona(login_id)
    spa.expect_path("/")


def expect_resource_list_loaded(spa: Spa) -> None:
    """Wait until the resource list shows the API's answer (rows or the empty state), not its skeleton."""
    expect(spa.page.get_by_test_id("resources-table").or_(spa.page.get_by_test_id("empty-state"))).to_be_visible()
