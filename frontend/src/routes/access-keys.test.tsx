import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { toast } from "sonner";
import { describe, expect, it, vi } from "vitest";

import type { Role } from "@/auth/rbac";
import { expireTimeFor } from "@/components/keys/create-key-form";
import { installAppApi } from "@/test/app-api";
import { json, problem } from "@/test/fake-api";
import { personaWithRole } from "@/test/personas";
import { renderApp } from "@/test/render";

const KEY = { id: "K1", name: "ci", status: "active", role_names: ["viewer"], expire_time: null };
const SECRET = "K1:local-only-secret";

function openAs(role: Role, routes = {}) {
  const api = installAppApi({ "GET /api/keys": json({ keys: [KEY] }), ...routes });
  return { api, ...renderApp({ user: personaWithRole(role), path: "/keys" }) };
}

describe("AccessKeysPage", () => {
  it.each(["member", "viewer"] as Role[])("test_access_keys_%s_gets_403_page_and_no_key_call", async (role) => {
    const { api } = openAs(role);
    expect(await screen.findByTestId("forbidden")).toBeInTheDocument();
    expect(api.callsTo("GET /api/keys")).toHaveLength(0);
  });

  it.each([
    ["owner", ["owner", "admin", "member", "viewer"]],
    ["admin", ["admin", "member", "viewer"]],
  ] as [Role, string[]][])("test_access_keys_%s_may_grant_roles_up_to_own", async (role, roles) => {
    openAs(role);
    const picker = await screen.findByTestId("key-roles");
    expect(within(picker).getAllByRole("checkbox").map((box) => box.id.replace("key-role-", ""))).toEqual(roles);
  });

  it("test_access_keys_create_shows_secret_once", async () => {
    const success = vi.spyOn(toast, "success");
    const { api } = openAs("admin", {
      "POST /api/keys": json({ key: { ...KEY, id: "K2", name: "deploy" }, cleartext: SECRET }, 201),
    });
    const before = expireTimeFor(90);
    await userEvent.type(await screen.findByLabelText("Name"), "deploy");
    await userEvent.click(screen.getByRole("button", { name: "Create key" }));

    expect(await screen.findByTestId("key-secret-value")).toHaveTextContent(SECRET);
    expect(success).toHaveBeenCalledWith("Created key “deploy”");
    const body = api.callsTo("POST /api/keys")[0]?.body as Record<string, unknown>;
    expect(body).toMatchObject({ name: "deploy", role_names: ["viewer"] });
    expect(body.expire_time).toBeGreaterThanOrEqual(before!);
    expect(body.expire_time).toBeLessThanOrEqual(expireTimeFor(90)!);

    await userEvent.click(screen.getByRole("button", { name: "I have stored it" }));
    expect(screen.queryByText(SECRET)).not.toBeInTheDocument();
  });

  it("test_access_keys_create_refused_shows_no_secret_and_no_success", async () => {
    const success = vi.spyOn(toast, "success");
    const error = vi.spyOn(toast, "error");
    openAs("admin", { "POST /api/keys": problem(403, "Permission denied", "You cannot grant owner") });
    await userEvent.type(await screen.findByLabelText("Name"), "deploy");
    await userEvent.click(screen.getByRole("button", { name: "Create key" }));
    await waitFor(() => expect(error).toHaveBeenCalledWith("Permission denied", { description: "You cannot grant owner" }));
    expect(success).not.toHaveBeenCalled();
    expect(screen.queryByTestId("key-secret")).not.toBeInTheDocument();
  });

  it("test_access_keys_create_without_roles_shows_message", async () => {
    const { api } = openAs("admin");
    await userEvent.type(await screen.findByLabelText("Name"), "deploy");
    await userEvent.click(screen.getByRole("checkbox", { name: "viewer" }));
    await userEvent.click(screen.getByRole("button", { name: "Create key" }));
    expect(screen.getByText("Choose at least one role.")).toBeInTheDocument();
    expect(api.callsTo("POST /api/keys")).toHaveLength(0);
  });

  it("test_access_keys_deactivate_asks_then_posts", async () => {
    const { api } = openAs("admin", { "POST /api/keys/K1/deactivate": json({ status: "deactivated" }) });
    await userEvent.click(await screen.findByRole("button", { name: "Deactivate" }));
    expect(api.callsTo("POST /api/keys/K1/deactivate")).toHaveLength(0);
    await userEvent.click(within(await screen.findByRole("alertdialog")).getByRole("button", { name: "Deactivate" }));
    await waitFor(() => expect(api.callsTo("POST /api/keys/K1/deactivate")).toHaveLength(1));
  });

  it("test_access_keys_delete_server_error_toasts_problem_and_no_success", async () => {
    const success = vi.spyOn(toast, "success");
    const error = vi.spyOn(toast, "error");
    openAs("admin", { "DELETE /api/keys/K1": problem(502, "Identity provider error") });
    await userEvent.click(await screen.findByRole("button", { name: "Delete ci" }));
    await userEvent.click(within(await screen.findByRole("alertdialog")).getByRole("button", { name: "Delete" }));
    await waitFor(() => expect(error).toHaveBeenCalledWith("Identity provider error", { description: undefined }));
    expect(success).not.toHaveBeenCalled();
  });

  it("test_access_keys_empty_shows_empty_state", async () => {
    openAs("admin", { "GET /api/keys": json({ keys: [] }) });
    expect(await screen.findByTestId("empty-state")).toHaveTextContent("No access keys");
  });
});

describe("expireTimeFor", () => {
  it("test_expire_time_for_days_is_unix_seconds_ahead", () => {
    expect(expireTimeFor(30, 1_700_000_000_500)).toBe(1_700_000_000 + 30 * 86_400);
    expect(expireTimeFor(null, 1_700_000_000_000)).toBeNull();
  });
});
