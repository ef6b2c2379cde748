import { act, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { makeAuth } from "@/test/fake-auth";
import { installFakeApi, json } from "@/test/fake-api";
import { ACME, personaWithRole, TENANT_NAMES } from "@/test/personas";
import { renderApp } from "@/test/render";

function dashboardApi() {
  return installFakeApi({
    "GET /api/health": json({ status: "ok" }),
    "GET /api/tenants": json({ tenants: [{ id: ACME, name: TENANT_NAMES[ACME], roles: ["owner"], is_active: true }] }),
    "GET /api/me": json({ sub: "U1" }),
    "GET /api/claims": json({ sub: "U1" }),
    "POST /api/validate-id-token": json({ sub: "U1" }),
    "POST /api/auth/logout": json({ status: "logged_out" }),
  });
}

describe("RequireAuth", () => {
  it("test_require_auth_signed_out_redirects_to_idp_keeping_deep_link", async () => {
    installFakeApi({});
    const { auth } = renderApp({ user: null, path: "/resources?cursor=abc" });

    expect(await screen.findByText("Redirecting to sign in…")).toBeInTheDocument();
    expect(auth.signinRedirect).toHaveBeenCalledTimes(1);
    expect(auth.signinRedirect).toHaveBeenCalledWith({ state: { returnTo: "/resources?cursor=abc" } });
  });

  it("test_require_auth_loading_waits_without_redirect", () => {
    installFakeApi({});
    const { auth } = renderApp({ auth: makeAuth(null, { isLoading: true }), path: "/" });
    expect(screen.getByText("Loading session…")).toBeInTheDocument();
    expect(auth.signinRedirect).not.toHaveBeenCalled();
  });

  it.each(["accessTokenExpired", "silentRenewError"] as const)(
    "test_require_auth_%s_lands_on_login_with_session_expired",
    async (event) => {
      dashboardApi();
      const { auth, router } = renderApp({ user: personaWithRole("owner"), path: "/resources" });
      await screen.findByRole("heading", { name: "Resources" });

      act(() => auth.fakeEvents.fire(event));

      expect(await screen.findByText("Your session expired")).toBeInTheDocument();
      expect(router.state.location.pathname).toBe("/login");
      expect(router.state.location.state).toMatchObject({ sessionExpired: true, from: "/resources" });
      expect(auth.removeUser).toHaveBeenCalledTimes(1);
    },
  );

  it("test_require_auth_unsubscribes_events_on_unmount", async () => {
    dashboardApi();
    const { auth, unmount } = renderApp({ user: personaWithRole("owner"), path: "/" });
    await screen.findByTestId("identity-name");
    unmount();
    expect(auth.fakeEvents.count("accessTokenExpired")).toBe(0);
    expect(auth.fakeEvents.count("silentRenewError")).toBe(0);
  });
});

describe("LoginPage", () => {
  it("test_login_after_expiry_signs_in_returning_to_previous_page", async () => {
    installFakeApi({});
    const { auth } = renderApp({ user: null, path: "/login", state: { sessionExpired: true, from: "/keys" } });

    expect(screen.getByTestId("session-expired")).toHaveTextContent("Your session expired");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));

    expect(auth.signinRedirect).toHaveBeenCalledWith({ state: { returnTo: "/keys" } });
  });

  it("test_login_hostile_from_state_returns_to_root", async () => {
    installFakeApi({});
    const { auth } = renderApp({ user: null, path: "/login", state: { from: "//evil.test" } });
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(auth.signinRedirect).toHaveBeenCalledWith({ state: { returnTo: "/" } });
  });

  it("test_login_plain_visit_shows_no_expiry_message", () => {
    installFakeApi({});
    renderApp({ user: null, path: "/login" });
    expect(screen.queryByTestId("session-expired")).not.toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "Identity Stack" })).toBeInTheDocument();
  });

  it("test_login_when_signed_in_goes_to_dashboard", async () => {
    dashboardApi();
    const { router } = renderApp({ user: personaWithRole("owner"), path: "/login" });
    await screen.findByTestId("identity-name");
    expect(router.state.location.pathname).toBe("/");
  });

  // Sign-out and expiry only navigate here: the page removes the user and must not bounce back to a protected page.
  it.each([
    ["sign_out", { signedOut: true }],
    ["expiry", { sessionExpired: true, from: "/keys" }],
  ])("test_login_during_%s_removes_user_and_stays_on_login", async (_, state) => {
    dashboardApi();
    const { auth, router } = renderApp({ user: personaWithRole("owner"), path: "/login", state });

    expect(await screen.findByRole("button", { name: "Sign in" })).toBeInTheDocument();
    expect(auth.removeUser).toHaveBeenCalledTimes(1);
    expect(router.state.location.pathname).toBe("/login");
    expect(auth.signinRedirect).not.toHaveBeenCalled();
  });
});

describe("routes", () => {
  it("test_routes_unknown_path_redirects_to_dashboard", async () => {
    dashboardApi();
    const { router } = renderApp({ user: personaWithRole("viewer"), path: "/no/such/page" });
    await screen.findByTestId("identity-name");
    expect(router.state.location.pathname).toBe("/");
  });

  it.each(["/keys", "/members"])("test_routes_viewer_opening_%s_sees_403_page", async (path) => {
    dashboardApi();
    renderApp({ user: personaWithRole("viewer"), path });
    expect(await screen.findByTestId("forbidden")).toHaveTextContent("403");
  });

  it("test_sign_out_posts_logout_then_lands_on_login", async () => {
    const api = dashboardApi();
    const { auth, router } = renderApp({ user: personaWithRole("owner"), path: "/" });
    await screen.findByTestId("identity-name");

    await userEvent.click(screen.getByRole("button", { name: "User menu" }));
    await userEvent.click(await screen.findByRole("menuitem", { name: "Sign out" }));

    expect(await screen.findByTestId("signed-out")).toBeInTheDocument();
    expect(api.callsTo("POST /api/auth/logout")).toHaveLength(1);
    expect(auth.removeUser).toHaveBeenCalledTimes(1);
    expect(router.state.location.pathname).toBe("/login");
  });
});
