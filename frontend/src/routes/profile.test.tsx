import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { toast } from "sonner";
import { describe, expect, it, vi } from "vitest";

import { installAppApi } from "@/test/app-api";
import { json, problem } from "@/test/fake-api";
import { personaWithRole } from "@/test/personas";
import { renderApp } from "@/test/render";

const PROFILE = {
  user_id: "U1",
  name: "Olivia Owner",
  email: "owner@acme.test",
  custom_attributes: { department: "R&D" },
};

function open(routes = {}) {
  const api = installAppApi({ "GET /api/profile": json(PROFILE), "PATCH /api/profile": json({ status: "updated" }), ...routes });
  return { api, ...renderApp({ user: personaWithRole("viewer"), path: "/profile" }) };
}

async function editAttribute(label: string, value: string) {
  await userEvent.click(await screen.findByRole("button", { name: `Edit ${label}` }));
  const input = screen.getByLabelText(label);
  await userEvent.clear(input);
  if (value) await userEvent.type(input, value);
  await userEvent.click(screen.getByRole("button", { name: "Save" }));
}

describe("ProfilePage", () => {
  it("test_profile_shows_identity_and_attributes", async () => {
    open();
    expect(await screen.findByTestId("profile-name")).toHaveTextContent("Olivia Owner");
    expect(screen.getByTestId("profile-email")).toHaveTextContent("owner@acme.test");
    expect(within(screen.getByTestId("attribute-department")).getByText("R&D")).toBeInTheDocument();
    expect(within(screen.getByTestId("attribute-job_title")).getByText("Not set")).toBeInTheDocument();
  });

  it.each([
    ["http avatar", "Avatar URL", "http://example.com/me.png", "Use an https:// URL."],
    ["non-URL avatar", "Avatar URL", "me.png", "Enter a full URL, such as https://example.com/me.png."],
    ["long job title", "Job title", "x".repeat(101), "Use at most 100 characters."],
  ])("test_profile_%s_is_refused_locally", async (_case, label, value, message) => {
    const { api } = open();
    await editAttribute(label, value);
    expect(screen.getByText(message)).toBeInTheDocument();
    expect(api.callsTo("PATCH /api/profile")).toHaveLength(0);
  });

  it("test_profile_valid_edit_patches_key_and_value", async () => {
    const success = vi.spyOn(toast, "success");
    const { api } = open();
    await editAttribute("Avatar URL", "https://example.com/me.png");
    await waitFor(() => expect(success).toHaveBeenCalledWith("Avatar URL saved"));
    expect(api.callsTo("PATCH /api/profile")[0]?.body).toEqual({ key: "avatar_url", value: "https://example.com/me.png" });
  });

  it("test_profile_rejected_edit_keeps_editor_and_toasts_problem", async () => {
    const success = vi.spyOn(toast, "success");
    const error = vi.spyOn(toast, "error");
    open({ "PATCH /api/profile": problem(422, "Invalid attribute", "department is too long") });
    await editAttribute("Department", "Ops");
    await waitFor(() => expect(error).toHaveBeenCalledWith("Invalid attribute", { description: "department is too long" }));
    expect(success).not.toHaveBeenCalled();
    expect(screen.getByLabelText("Department")).toHaveValue("Ops");
  });

  it("test_profile_cancel_restores_value_without_request", async () => {
    const { api } = open();
    await userEvent.click(await screen.findByRole("button", { name: "Edit Department" }));
    await userEvent.type(screen.getByLabelText("Department"), " changed");
    await userEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(within(screen.getByTestId("attribute-department")).getByText("R&D")).toBeInTheDocument();
    expect(api.callsTo("PATCH /api/profile")).toHaveLength(0);
  });

  it("test_profile_load_failure_shows_problem_with_retry", async () => {
    open({ "GET /api/profile": problem(502, "Identity provider error", "Try again later") });
    const alert = await screen.findByTestId("query-error");
    expect(alert).toHaveTextContent("Identity provider error");
    expect(within(alert).getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });
});
