import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { TenantSwitcher } from "@/components/layout/tenant-switcher";
import { installFakeApi, json } from "@/test/fake-api";
import { ACME, GLOBEX, makeUser, TENANT_NAMES } from "@/test/personas";
import { renderUi } from "@/test/render";

function tenantsReply(ids: string[], active: string | null) {
  return json({ tenants: ids.map((id) => ({ id, name: TENANT_NAMES[id], roles: [], is_active: id === active })) });
}

describe("TenantSwitcher", () => {
  it("test_tenant_switcher_no_tenants_says_so", () => {
    installFakeApi({ "GET /api/tenants": json({ tenants: [] }) });
    renderUi(<TenantSwitcher />, { user: makeUser({ tenants: {} }) });
    expect(screen.getByTestId("tenant-switcher")).toHaveTextContent("No tenants");
  });

  it("test_tenant_switcher_single_tenant_shows_its_name", async () => {
    installFakeApi({ "GET /api/tenants": tenantsReply([ACME], ACME) });
    renderUi(<TenantSwitcher />, { user: makeUser({ tenants: { [ACME]: ["owner"] } }) });
    expect(await screen.findByText("Acme Corp")).toBeInTheDocument();
    expect(screen.queryByRole("combobox")).not.toBeInTheDocument();
  });

  it("test_tenant_switcher_names_unavailable_falls_back_to_ids", () => {
    installFakeApi({});
    renderUi(<TenantSwitcher />, { user: makeUser({ tenants: { [ACME]: ["owner"] } }) });
    expect(screen.getByTestId("tenant-switcher")).toHaveTextContent(ACME);
  });

  it("test_tenant_switcher_choosing_other_tenant_reauthorizes_with_tenant_param", async () => {
    installFakeApi({ "GET /api/tenants": tenantsReply([ACME, GLOBEX], ACME) });
    const user = makeUser({ tenants: { [ACME]: ["viewer"], [GLOBEX]: ["admin"] }, dct: ACME });
    const { auth } = renderUi(<TenantSwitcher />, { user, path: "/resources?page=2" });

    const trigger = screen.getByRole("combobox", { name: "Active tenant" });
    await within(trigger).findByText("Acme Corp");
    await userEvent.click(trigger);
    await userEvent.click(await screen.findByRole("option", { name: "Globex Inc" }));

    expect(auth.signinRedirect).toHaveBeenCalledTimes(1);
    expect(auth.signinRedirect).toHaveBeenCalledWith({
      extraQueryParams: { tenant: GLOBEX },
      state: { returnTo: "/resources?page=2" },
    });
  });

  it("test_tenant_switcher_choosing_active_tenant_does_nothing", async () => {
    installFakeApi({ "GET /api/tenants": tenantsReply([ACME, GLOBEX], ACME) });
    const user = makeUser({ tenants: { [ACME]: ["viewer"], [GLOBEX]: ["admin"] }, dct: ACME });
    const { auth } = renderUi(<TenantSwitcher />, { user });

    await userEvent.click(screen.getByRole("combobox", { name: "Active tenant" }));
    await userEvent.click(await screen.findByRole("option", { name: "Acme Corp" }));

    expect(auth.signinRedirect).not.toHaveBeenCalled();
  });

  it("test_tenant_switcher_without_active_tenant_offers_picker", async () => {
    installFakeApi({ "GET /api/tenants": tenantsReply([ACME], null) });
    const { auth } = renderUi(<TenantSwitcher />, { user: makeUser({ tenants: { [ACME]: ["owner"] }, dct: null }) });

    const trigger = screen.getByRole("combobox", { name: "Active tenant" });
    expect(trigger).toHaveTextContent("Select a tenant");
    await userEvent.click(trigger);
    await userEvent.click(await screen.findByRole("option", { name: "Acme Corp" }));

    expect(auth.signinRedirect).toHaveBeenCalledWith(expect.objectContaining({ extraQueryParams: { tenant: ACME } }));
  });
});
