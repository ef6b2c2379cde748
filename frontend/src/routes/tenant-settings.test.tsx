import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import type { Role } from "@/auth/rbac";
import { installAppApi } from "@/test/app-api";
import { json } from "@/test/fake-api";
import { ACME, personaWithRole } from "@/test/personas";
import { renderApp } from "@/test/render";

const SETTINGS = { tenant_id: ACME, name: "Acme Corp", custom_attributes: { plan_tier: "pro", max_members: 50 } };
const PATCH = "PATCH /api/tenants/current/settings";

function openAs(role: Role) {
  const api = installAppApi({ "GET /api/tenants/current/settings": json(SETTINGS), [PATCH]: json({ status: "updated" }) });
  return { api, ...renderApp({ user: personaWithRole(role), path: "/settings" }) };
}

describe("TenantSettingsPage", () => {
  it("test_tenant_settings_viewer_reads_but_cannot_edit", async () => {
    openAs("viewer");
    expect(await screen.findByTestId("plan-badge")).toHaveTextContent("pro");
    expect(screen.getByTestId("max-members")).toHaveTextContent("50");
    expect(screen.queryByLabelText("Max members")).not.toBeInTheDocument();
  });

  it("test_tenant_settings_admin_edits_limit_but_not_plan", async () => {
    openAs("admin");
    expect(await screen.findByLabelText("Max members")).toBeEnabled();
    expect(screen.getByTestId("plan-tier")).toBeDisabled();
    expect(screen.queryByRole("button", { name: "Save plan" })).not.toBeInTheDocument();
    expect(screen.getByText(/billing\.manage/)).toBeInTheDocument();
  });

  it("test_tenant_settings_owner_saves_plan_tier", async () => {
    const { api } = openAs("owner");
    const trigger = await screen.findByTestId("plan-tier");
    expect(trigger).toBeEnabled();
    await userEvent.click(trigger);
    await userEvent.click(await screen.findByRole("option", { name: "enterprise" }));
    await userEvent.click(screen.getByRole("button", { name: "Save plan" }));
    await waitFor(() => expect(api.callsTo(PATCH)[0]?.body).toEqual({ key: "plan_tier", value: "enterprise" }));
  });

  it.each([
    ["zero", "0", "Enter a number from 1 to 10000."],
    ["too many", "10001", "Enter a number from 1 to 10000."],
    ["fraction", "2.5", "Enter a whole number."],
    ["empty", "", "Enter a whole number."],
  ])("test_tenant_settings_max_members_%s_is_refused_locally", async (_case, value, message) => {
    const { api } = openAs("admin");
    const input = await screen.findByLabelText("Max members");
    await userEvent.clear(input);
    if (value) await userEvent.type(input, value);
    await userEvent.click(screen.getByRole("button", { name: "Save limit" }));
    expect(screen.getByText(message)).toBeInTheDocument();
    expect(api.callsTo(PATCH)).toHaveLength(0);
  });

  it("test_tenant_settings_max_members_valid_is_sent_as_integer", async () => {
    const { api } = openAs("admin");
    const input = await screen.findByLabelText("Max members");
    await userEvent.clear(input);
    await userEvent.type(input, "25");
    await userEvent.click(screen.getByRole("button", { name: "Save limit" }));
    await waitFor(() => expect(api.callsTo(PATCH)[0]?.body).toEqual({ key: "max_members", value: 25 }));
  });
});
