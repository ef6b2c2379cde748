import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { toast } from "sonner";
import { describe, expect, it, vi } from "vitest";

import type { Role } from "@/auth/rbac";
import { installAppApi } from "@/test/app-api";
import { json, problem } from "@/test/fake-api";
import { personaWithRole } from "@/test/personas";
import { renderApp } from "@/test/render";

const MEMBERS = [
  { user_id: "U1", email: "owner@acme.test", name: "Olivia Owner", roles: ["owner"], status: "active" },
  { user_id: "U2", email: "sam@acme.test", name: "Sam", roles: ["member"], status: "suspended" },
  { user_id: "U3", email: "new@acme.test", name: "", roles: ["viewer"], status: "invited" },
  { user_id: "U4", email: "dana@acme.test", name: "Dana Disabled", roles: ["member"], status: "disabled" },
];

function openAs(role: Role, routes = {}) {
  const api = installAppApi({ "GET /api/members": json({ items: MEMBERS, next_cursor: null }), ...routes });
  return { api, ...renderApp({ user: personaWithRole(role), path: "/members" }) };
}

function roleCheckboxes(prefix: string): string[] {
  return within(screen.getByTestId(`${prefix}-roles`))
    .getAllByRole("checkbox")
    .map((box) => box.id.replace(`${prefix}-role-`, ""));
}

describe("MembersPage", () => {
  it("test_members_shows_tenant_roles_and_status", async () => {
    openAs("admin");
    const row = (await screen.findByText("Sam")).closest("tr");
    expect(row).not.toBeNull();
    expect(within(row!).getByText("member")).toBeInTheDocument();
    expect(within(row!).getByText("suspended")).toBeInTheDocument();
    expect(screen.getByText("new@acme.test")).toBeInTheDocument();
  });

  it.each(["Dana Disabled", "new@acme.test"])("test_members_%s_offers_remove_but_no_suspend", async (who) => {
    openAs("admin");
    const row = (await screen.findByText(who)).closest("tr")!;
    expect(within(row).queryByRole("button", { name: /Suspend|Reinstate/ })).not.toBeInTheDocument();
    expect(within(row).getByRole("button", { name: `Remove ${who}` })).toBeInTheDocument();
  });

  it("test_members_member_can_invite_but_not_suspend_or_remove", async () => {
    openAs("member");
    await screen.findByText("Sam");
    expect(screen.getByTestId("invite-member-form")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Suspend|Reinstate/ })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /^Remove / })).not.toBeInTheDocument();
    expect(roleCheckboxes("invite")).toEqual(["member", "viewer"]);
  });

  it("test_members_admin_role_picker_excludes_owner", async () => {
    openAs("admin");
    await screen.findByText("Sam");
    expect(roleCheckboxes("invite")).toEqual(["admin", "member", "viewer"]);
  });

  it("test_members_invite_invalid_email_shows_message_and_sends_nothing", async () => {
    const { api } = openAs("admin");
    await userEvent.type(await screen.findByLabelText("E-mail"), "not-an-address");
    await userEvent.click(screen.getByRole("button", { name: "Invite member" }));
    expect(screen.getByText("Enter a valid e-mail address.")).toBeInTheDocument();
    expect(api.callsTo("POST /api/members/invite")).toHaveLength(0);
  });

  it("test_members_invite_posts_email_and_default_member_role", async () => {
    const success = vi.spyOn(toast, "success");
    const { api } = openAs("admin", { "POST /api/members/invite": json({ status: "invited" }, 201) });
    await userEvent.type(await screen.findByLabelText("E-mail"), "dana@acme.test");
    await userEvent.click(screen.getByRole("button", { name: "Invite member" }));
    await waitFor(() => expect(success).toHaveBeenCalledWith("Invited dana@acme.test"));
    expect(api.callsTo("POST /api/members/invite")[0]?.body).toEqual({ email: "dana@acme.test", role_names: ["member"] });
  });

  it("test_members_suspend_asks_then_posts_deactivate", async () => {
    const { api } = openAs("admin", { "POST /api/members/U1/deactivate": json({ status: "deactivated" }) });
    const row = (await screen.findByText("Olivia Owner")).closest("tr")!;
    await userEvent.click(within(row).getByRole("button", { name: "Suspend" }));
    const dialog = await screen.findByRole("alertdialog");
    expect(dialog).toHaveTextContent("Their other tenants are not affected");
    expect(api.callsTo("POST /api/members/U1/deactivate")).toHaveLength(0);
    await userEvent.click(within(dialog).getByRole("button", { name: "Suspend" }));
    await waitFor(() => expect(api.callsTo("POST /api/members/U1/deactivate")).toHaveLength(1));
  });

  it("test_members_reinstate_posts_activate", async () => {
    const { api } = openAs("admin", { "POST /api/members/U2/activate": json({ status: "activated" }) });
    const row = (await screen.findByText("Sam")).closest("tr")!;
    await userEvent.click(within(row).getByRole("button", { name: "Reinstate" }));
    await userEvent.click(within(await screen.findByRole("alertdialog")).getByRole("button", { name: "Reinstate" }));
    await waitFor(() => expect(api.callsTo("POST /api/members/U2/activate")).toHaveLength(1));
  });

  it("test_members_remove_refused_toasts_problem_and_no_success", async () => {
    const success = vi.spyOn(toast, "success");
    const error = vi.spyOn(toast, "error");
    openAs("admin", { "DELETE /api/members/U1": problem(409, "Conflict", "The last owner cannot be removed") });
    await userEvent.click(await screen.findByRole("button", { name: "Remove Olivia Owner" }));
    await userEvent.click(within(await screen.findByRole("alertdialog")).getByRole("button", { name: "Remove" }));
    await waitFor(() => expect(error).toHaveBeenCalledWith("Conflict", { description: "The last owner cannot be removed" }));
    expect(success).not.toHaveBeenCalled();
  });

  it("test_members_api_403_shows_forbidden_page_even_when_ui_allowed", async () => {
    openAs("member", { "GET /api/members": problem(403, "Forbidden", "members.invite is required") });
    expect(await screen.findByTestId("forbidden")).toBeInTheDocument();
  });
});
