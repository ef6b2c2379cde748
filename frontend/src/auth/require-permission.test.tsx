import { render, screen } from "@testing-library/react";
import type { User } from "oidc-client-ts";
import type { ReactNode } from "react";
import { AuthContext } from "react-oidc-context";
import { describe, expect, it } from "vitest";

import { Permission } from "@/auth/rbac";
import { RequirePermission } from "@/auth/require-permission";
import { RequireRole } from "@/auth/require-role";
import { makeAuth } from "@/test/fake-auth";
import { ACME, makeUser, personaWithRole } from "@/test/personas";

function renderAs(user: User | null, ui: ReactNode) {
  return render(<AuthContext.Provider value={makeAuth(user)}>{ui}</AuthContext.Provider>);
}

describe("RequirePermission", () => {
  it("test_require_permission_granted_renders_children", () => {
    renderAs(personaWithRole("member"), <RequirePermission permission={Permission.DOCUMENTS_WRITE}>secret</RequirePermission>);
    expect(screen.getByText("secret")).toBeInTheDocument();
  });

  it("test_require_permission_missing_renders_nothing", () => {
    const { container } = renderAs(
      personaWithRole("viewer"),
      <RequirePermission permission={Permission.DOCUMENTS_WRITE}>secret</RequirePermission>,
    );
    expect(container).toBeEmptyDOMElement();
  });

  it("test_require_permission_missing_renders_fallback", () => {
    renderAs(
      personaWithRole("viewer"),
      <RequirePermission permission={Permission.KEYS_MANAGE} fallback={<p>no access</p>}>
        secret
      </RequirePermission>,
    );
    expect(screen.queryByText("secret")).not.toBeInTheDocument();
    expect(screen.getByText("no access")).toBeInTheDocument();
  });

  it.each([
    ["any", true],
    ["all", false],
  ] as const)("test_require_permission_match_%s_for_admin_with_billing_and_settings", (match, shown) => {
    // Admins hold settings.manage but not billing.manage.
    renderAs(
      personaWithRole("admin"),
      <RequirePermission permission={[Permission.SETTINGS_MANAGE, Permission.BILLING_MANAGE]} match={match}>
        secret
      </RequirePermission>,
    );
    expect(screen.queryByText("secret") !== null).toBe(shown);
  });

  it("test_require_permission_without_active_tenant_hides_children", () => {
    renderAs(
      makeUser({ tenants: { [ACME]: ["owner"] }, dct: null }),
      <RequirePermission permission={Permission.PROJECTS_READ}>secret</RequirePermission>,
    );
    expect(screen.queryByText("secret")).not.toBeInTheDocument();
  });

  it("test_require_permission_signed_out_hides_children", () => {
    renderAs(null, <RequirePermission permission={Permission.PROJECTS_READ}>secret</RequirePermission>);
    expect(screen.queryByText("secret")).not.toBeInTheDocument();
  });
});

describe("RequireRole", () => {
  it.each([
    ["admin", "admin", true],
    ["member", "admin", false],
    ["owner", ["admin", "owner"], true],
    ["viewer", ["admin", "member"], false],
  ] as const)("test_require_role_%s_needing_%s", (role, needed, shown) => {
    renderAs(personaWithRole(role), <RequireRole role={needed} fallback={<p>fallback</p>}>secret</RequireRole>);
    expect(screen.queryByText("secret") !== null).toBe(shown);
    expect(screen.queryByText("fallback") !== null).toBe(!shown);
  });
});
