import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { User } from "oidc-client-ts";
import { describe, expect, it } from "vitest";

import { installAppApi } from "@/test/app-api";
import { json, problem } from "@/test/fake-api";
import { ACME, GLOBEX, makeUser } from "@/test/personas";
import { renderApp } from "@/test/render";

const consultant = () =>
  makeUser({ name: "Casey Consultant", email: "consultant@example.test", tenants: { [ACME]: ["viewer"], [GLOBEX]: ["admin"] }, dct: GLOBEX });

function open(routes = {}) {
  const api = installAppApi({
    "GET /api/me": json({ sub: "U9", kind: "user", active_tenant_id: GLOBEX }),
    "GET /api/claims": json({ sub: "U9", dct: GLOBEX }),
    "POST /api/validate-id-token": json({ sub: "U9", email: "consultant@example.test" }),
    ...routes,
  });
  const user = consultant();
  return { api, user, ...renderApp({ user, path: "/" }) };
}

describe("DashboardPage", () => {
  it("test_dashboard_shows_identity_active_tenant_and_roles", async () => {
    open();
    expect(await screen.findByRole("heading", { name: "Welcome, Casey Consultant" })).toBeInTheDocument();
    expect(await screen.findByTestId("active-tenant")).toHaveTextContent("Globex Inc");
    expect(screen.getByTestId("active-roles")).toHaveTextContent("admin");
    expect(screen.getByTestId("active-roles")).not.toHaveTextContent("viewer");
    expect(await screen.findByTestId("api-health")).toHaveTextContent("ok");
  });

  it("test_dashboard_validates_id_token_server_side_with_id_token_bearer", async () => {
    const { api, user } = open();
    await waitFor(() => expect(api.callsTo("POST /api/validate-id-token")).toHaveLength(1));
    expect(api.callsTo("POST /api/validate-id-token")[0]?.headers.get("authorization")).toBe(`Bearer ${user.id_token}`);
    expect(api.callsTo("GET /api/health")[0]?.headers.has("authorization")).toBe(false);

    await userEvent.click(screen.getByRole("tab", { name: "ID token" }));
    expect(await screen.findByLabelText("ID-token claims validated by the API")).toHaveTextContent("consultant@example.test");
  });

  it("test_dashboard_principal_tab_shows_me", async () => {
    open();
    expect(await screen.findByLabelText("Principal from /api/me")).toHaveTextContent('"sub": "U9"');
  });

  it("test_dashboard_without_id_token_skips_validation", async () => {
    const api = installAppApi({ "GET /api/me": json({}), "GET /api/claims": json({}) });
    const base = consultant();
    const user = new User({ access_token: base.access_token, token_type: "Bearer", profile: base.profile });
    renderApp({ user, path: "/" });
    await userEvent.click(await screen.findByRole("tab", { name: "ID token" }));
    expect(await screen.findByText("This session has no ID token.")).toBeInTheDocument();
    expect(api.callsTo("POST /api/validate-id-token")).toHaveLength(0);
  });

  it("test_dashboard_api_down_shows_unreachable_badge", async () => {
    open({ "GET /api/health": problem(503, "Service Unavailable") });
    expect(await screen.findByTestId("api-health")).toHaveTextContent("unreachable");
  });
});
