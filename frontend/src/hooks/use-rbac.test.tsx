import { renderHook } from "@testing-library/react";
import type { User } from "oidc-client-ts";
import type { ReactNode } from "react";
import { AuthContext } from "react-oidc-context";
import { describe, expect, it } from "vitest";

import { useRbac } from "@/hooks/use-rbac";
import { makeAuth } from "@/test/fake-auth";
import { ACME, GLOBEX, makeUser, personaWithRole } from "@/test/personas";

function rbacOf(user: User | null) {
  const wrapper = ({ children }: { children: ReactNode }) => (
    <AuthContext.Provider value={makeAuth(user)}>{children}</AuthContext.Provider>
  );
  return renderHook(() => useRbac(), { wrapper }).result.current;
}

describe("useRbac", () => {
  it("test_use_rbac_signed_out_is_empty", () => {
    const rbac = rbacOf(null);
    expect(rbac).toMatchObject({ currentTenantId: null, roles: [], permissions: [], isOwner: false, isAdmin: false });
    expect(rbac.hasPermission("projects.read")).toBe(false);
  });

  it("test_use_rbac_without_active_tenant_is_empty", () => {
    const rbac = rbacOf(makeUser({ tenants: { [ACME]: ["owner"] }, dct: null }));
    expect(rbac).toMatchObject({ currentTenantId: null, roles: [], permissions: [] });
    expect(rbac.grantableRoles).toEqual([]);
  });

  it("test_use_rbac_dct_not_in_tenants_grants_nothing", () => {
    const rbac = rbacOf(makeUser({ tenants: { [ACME]: ["owner"] }, dct: GLOBEX }));
    expect(rbac.currentTenantId).toBe(GLOBEX);
    expect(rbac.roles).toEqual([]);
    expect(rbac.hasRole("owner")).toBe(false);
  });

  it("test_use_rbac_reads_only_the_active_tenant", () => {
    // consultant@example.test: admin in Globex, viewer in Acme.
    const user = makeUser({ tenants: { [GLOBEX]: ["admin"], [ACME]: ["viewer"] }, dct: ACME });
    const rbac = rbacOf(user);
    expect(rbac.currentTenantId).toBe(ACME);
    expect(rbac.roles).toEqual(["viewer"]);
    expect(rbac.hasPermission("keys.manage")).toBe(false);
    expect(rbac.hasPermission("documents.read")).toBe(true);
  });

  it.each([
    ["owner", { isOwner: true, isAdmin: true }, ["owner", "admin", "member", "viewer"]],
    ["admin", { isOwner: false, isAdmin: true }, ["admin", "member", "viewer"]],
    ["member", { isOwner: false, isAdmin: false }, ["member", "viewer"]],
    ["viewer", { isOwner: false, isAdmin: false }, ["viewer"]],
  ] as const)("test_use_rbac_%s_flags_and_grantable_roles", (role, flags, grantable) => {
    const rbac = rbacOf(personaWithRole(role));
    expect(rbac).toMatchObject(flags);
    expect(rbac.hasRole(role)).toBe(true);
    expect(rbac.grantableRoles).toEqual(grantable);
  });
});
