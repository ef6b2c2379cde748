import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { toast } from "sonner";
import { describe, expect, it, vi } from "vitest";

import type { Role } from "@/auth/rbac";
import { installAppApi } from "@/test/app-api";
import { json, problem } from "@/test/fake-api";
import { ACME, personaWithRole, ROLE_PERMISSIONS } from "@/test/personas";
import { renderApp } from "@/test/render";

const DEFINITIONS = {
  roles: (["owner", "admin", "member", "viewer"] as Role[]).map((name) => ({
    name,
    description: `${name} role`,
    permissions: ROLE_PERMISSIONS[name],
  })),
};

function openAs(role: Role, routes = {}) {
  const api = installAppApi({
    "GET /api/roles/me": json({ tenant_id: ACME, roles: [role], permissions: ROLE_PERMISSIONS[role], current_roles: [role] }),
    "GET /api/roles": json(DEFINITIONS),
    ...routes,
  });
  return { api, ...renderApp({ user: personaWithRole(role), path: "/roles" }) };
}

describe("RolesPage", () => {
  it("test_roles_viewer_sees_own_roles_but_no_management", async () => {
    const { api } = openAs("viewer");
    expect(await screen.findByTestId("server-confirmed-roles")).toHaveTextContent("Server-confirmed: viewer");
    expect(screen.queryByTestId("manage-roles-form")).not.toBeInTheDocument();
    expect(api.callsTo("GET /api/roles")).toHaveLength(0);
  });

  it.each([
    ["owner", ["owner", "admin", "member", "viewer"]],
    ["admin", ["admin", "member", "viewer"]],
  ] as [Role, string[]][])("test_roles_%s_picker_offers_roles_up_to_own", async (role, offered) => {
    openAs(role);
    const picker = await screen.findByTestId("manage-roles");
    expect(within(picker).getAllByRole("checkbox").map((box) => box.id.replace("manage-role-", ""))).toEqual(offered);
    expect(await screen.findByText("owner role")).toBeInTheDocument();
  });

  it("test_roles_assign_posts_user_roles_and_active_tenant", async () => {
    const success = vi.spyOn(toast, "success");
    const { api } = openAs("admin", { "POST /api/roles/assign": json({ status: "roles_assigned" }) });
    await userEvent.type(await screen.findByLabelText("User id"), "U42");
    await userEvent.click(screen.getByRole("checkbox", { name: "member" }));
    await userEvent.click(screen.getByRole("button", { name: "Assign" }));
    await waitFor(() => expect(success).toHaveBeenCalled());
    expect(api.callsTo("POST /api/roles/assign")[0]?.body).toEqual({ user_id: "U42", role_names: ["member"], tenant_id: ACME });
  });

  it("test_roles_remove_refused_toasts_problem_and_no_success", async () => {
    const success = vi.spyOn(toast, "success");
    const error = vi.spyOn(toast, "error");
    const { api } = openAs("owner", { "POST /api/roles/remove": problem(409, "Conflict", "A tenant needs an owner") });
    await userEvent.type(await screen.findByLabelText("User id"), "U1");
    await userEvent.click(screen.getByRole("checkbox", { name: "owner" }));
    await userEvent.click(screen.getByRole("button", { name: "Remove" }));
    await waitFor(() => expect(error).toHaveBeenCalledWith("Conflict", { description: "A tenant needs an owner" }));
    expect(success).not.toHaveBeenCalled();
    expect(api.callsTo("POST /api/roles/remove")[0]?.body).toMatchObject({ role_names: ["owner"] });
  });

  it.each([
    ["no user id", "", "Enter the user's id."],
    ["no role", "U1", "Choose at least one role."],
  ])("test_roles_assign_with_%s_shows_message_and_sends_nothing", async (_case, userId, message) => {
    const { api } = openAs("admin");
    const input = await screen.findByLabelText("User id");
    if (userId) await userEvent.type(input, userId);
    await userEvent.click(screen.getByRole("button", { name: "Assign" }));
    expect(screen.getByText(message)).toBeInTheDocument();
    expect(api.callsTo("POST /api/roles/assign")).toHaveLength(0);
  });
});
