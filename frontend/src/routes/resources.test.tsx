import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { toast } from "sonner";
import { describe, expect, it, vi } from "vitest";

import type { Role } from "@/auth/rbac";
import { installAppApi } from "@/test/app-api";
import { json, noContent, problem } from "@/test/fake-api";
import { ACME, personaWithRole } from "@/test/personas";
import { renderApp } from "@/test/render";

const LIST = `GET /api/tenants/${ACME}/resources`;
const CREATE = `POST /api/tenants/${ACME}/resources`;
const RESOURCE = { id: "R1", tenant_id: ACME, name: "Roadmap", description: "Q3 plan", created_at: "2026-11-29T10:00:00Z" };

function openAs(role: Role, routes = {}) {
  const api = installAppApi({ [LIST]: json({ items: [RESOURCE], next_cursor: null }), ...routes });
  const rendered = renderApp({ user: personaWithRole(role), path: "/resources" });
  return { api, ...rendered };
}

describe("ResourcesPage", () => {
  it.each([
    ["viewer", false, false],
    ["member", true, false],
    ["admin", true, true],
  ] as [Role, boolean, boolean][])("test_resources_%s_sees_create_%s_delete_%s", async (role, canCreate, canDelete) => {
    openAs(role);
    await screen.findByText("Roadmap");
    expect(screen.queryByTestId("create-resource-form") !== null).toBe(canCreate);
    expect(screen.queryByRole("button", { name: "Delete Roadmap" }) !== null).toBe(canDelete);
  });

  it("test_resources_create_empty_name_shows_message_and_sends_nothing", async () => {
    const { api } = openAs("member");
    await userEvent.click(await screen.findByRole("button", { name: "Create resource" }));
    expect(screen.getByText("Enter a name.")).toBeInTheDocument();
    expect(screen.getByLabelText("Name")).toHaveAttribute("aria-invalid", "true");
    expect(api.callsTo(CREATE)).toHaveLength(0);
  });

  it("test_resources_create_too_long_description_shows_message", async () => {
    const { api } = openAs("member");
    await userEvent.type(await screen.findByLabelText("Name"), "Spec");
    await userEvent.click(screen.getByLabelText("Description"));
    await userEvent.paste("x".repeat(1001));
    await userEvent.click(screen.getByRole("button", { name: "Create resource" }));
    expect(screen.getByText("Use at most 1000 characters.")).toBeInTheDocument();
    expect(api.callsTo(CREATE)).toHaveLength(0);
  });

  it("test_resources_create_valid_posts_and_refreshes_list", async () => {
    const success = vi.spyOn(toast, "success");
    const { api } = openAs("member", { [CREATE]: json({ ...RESOURCE, id: "R2", name: "Spec" }, 201) });
    await userEvent.type(await screen.findByLabelText("Name"), "  Spec  ");
    await userEvent.type(screen.getByLabelText("Description"), "Draft");
    await userEvent.click(screen.getByRole("button", { name: "Create resource" }));

    await waitFor(() => expect(success).toHaveBeenCalledWith("Created “Spec”"));
    expect(api.callsTo(CREATE)[0]?.body).toEqual({ name: "Spec", description: "Draft" });
    await waitFor(() => expect(api.callsTo(LIST)).toHaveLength(2));
  });

  it("test_resources_create_conflict_toasts_problem_and_no_success", async () => {
    const success = vi.spyOn(toast, "success");
    const error = vi.spyOn(toast, "error");
    openAs("member", { [CREATE]: problem(409, "Conflict", "A resource named Roadmap exists") });
    await userEvent.type(await screen.findByLabelText("Name"), "Roadmap");
    await userEvent.click(screen.getByRole("button", { name: "Create resource" }));

    await waitFor(() => expect(error).toHaveBeenCalledWith("Conflict", { description: "A resource named Roadmap exists" }));
    expect(success).not.toHaveBeenCalled();
    expect(screen.getByLabelText("Name")).toHaveValue("Roadmap");
  });

  it("test_resources_delete_asks_first_then_deletes", async () => {
    const { api } = openAs("admin", { [`DELETE /api/tenants/${ACME}/resources/R1`]: noContent() });
    await userEvent.click(await screen.findByRole("button", { name: "Delete Roadmap" }));

    const dialog = await screen.findByRole("alertdialog");
    expect(dialog).toHaveTextContent("Delete “Roadmap”?");
    expect(api.callsTo(`DELETE /api/tenants/${ACME}/resources/R1`)).toHaveLength(0);

    await userEvent.click(within(dialog).getByRole("button", { name: "Delete" }));
    await waitFor(() => expect(api.callsTo(`DELETE /api/tenants/${ACME}/resources/R1`)).toHaveLength(1));
  });

  it("test_resources_delete_cancelled_sends_nothing", async () => {
    const { api } = openAs("admin");
    await userEvent.click(await screen.findByRole("button", { name: "Delete Roadmap" }));
    await userEvent.click(within(await screen.findByRole("alertdialog")).getByRole("button", { name: "Cancel" }));
    expect(api.calls.filter((call) => call.method === "DELETE")).toHaveLength(0);
  });

  it("test_resources_next_page_sends_cursor", async () => {
    const { api } = openAs("viewer", { [LIST]: json({ items: [RESOURCE], next_cursor: "c2" }) });
    await userEvent.click(await screen.findByRole("button", { name: "Next" }));
    await waitFor(() => expect(api.callsTo(LIST).at(-1)?.url.searchParams.get("cursor")).toBe("c2"));
  });

  it("test_resources_empty_list_shows_empty_state", async () => {
    openAs("viewer", { [LIST]: json({ items: [], next_cursor: null }) });
    expect(await screen.findByTestId("empty-state")).toHaveTextContent("No resources yet");
  });

  it("test_resources_api_403_shows_forbidden_page", async () => {
    openAs("member", { [LIST]: problem(403, "Forbidden", "documents.read is required") });
    expect(await screen.findByTestId("forbidden")).toHaveTextContent("documents.read is required");
  });
});
