import { UnsecuredJWT } from "jose";
import { User } from "oidc-client-ts";

import { Permission, type Role } from "@/auth/rbac";

/** The role → permission matrix of infra/rbac.tf, as tokens from the identity provider carry it. */
export const ROLE_PERMISSIONS: Record<Role, Permission[]> = {
  owner: Object.values(Permission),
  admin: Object.values(Permission).filter((p) => p !== Permission.BILLING_MANAGE),
  member: [
    Permission.PROJECTS_READ,
    Permission.PROJECTS_UPDATE,
    Permission.MEMBERS_INVITE,
    Permission.DOCUMENTS_READ,
    Permission.DOCUMENTS_WRITE,
  ],
  viewer: [Permission.PROJECTS_READ, Permission.DOCUMENTS_READ],
};

/** Opaque, Descope-style tenant ids (never UUIDs), as seeded by the local identity provider. */
export const ACME = "T2AcmeCorp000000000000000001";
export const GLOBEX = "T2GlobexInc00000000000000002";
export const TENANT_NAMES: Record<string, string> = { [ACME]: "Acme Corp", [GLOBEX]: "Globex Inc" };

export interface PersonaOptions {
  name?: string;
  email?: string;
  /** Tenant id → roles there. */
  tenants?: Record<string, Role[]>;
  /** Active tenant; defaults to the first tenant. */
  dct?: string | null;
  extraClaims?: Record<string, unknown>;
}

/** An unsigned JWT with the given claims: the SPA only reads claims, the API verifies signatures. */
export function makeToken(claims: Record<string, unknown>): string {
  return new UnsecuredJWT(claims).encode();
}

export function tenantsClaim(tenants: Record<string, Role[]>): Record<string, { roles: Role[]; permissions: Permission[] }> {
  return Object.fromEntries(
    Object.entries(tenants).map(([id, roles]) => [
      id,
      { roles, permissions: [...new Set(roles.flatMap((role) => ROLE_PERMISSIONS[role]))] },
    ]),
  );
}

/** An oidc-client-ts `User` whose access token carries Descope's `dct` and `tenants` claims. */
export function makeUser({
  name = "Test User",
  email = "test@acme.test",
  tenants = { [ACME]: ["owner"] },
  dct,
  extraClaims = {},
}: PersonaOptions = {}): User {
  const active = dct === undefined ? (Object.keys(tenants)[0] ?? null) : dct;
  const now = Math.floor(Date.now() / 1000);
  const common = { iss: "http://127.0.0.1:8400/P2LocalDevProject00000000000", sub: "U2TestUser", iat: now, exp: now + 600 };
  const access = makeToken({
    ...common,
    aud: ["P2LocalDevProject00000000000"],
    tenants: tenantsClaim(tenants),
    ...(active ? { dct: active } : {}),
    ...extraClaims,
  });
  const id = makeToken({ ...common, aud: "P2LocalDevProject00000000000", name, email });
  return new User({
    access_token: access,
    id_token: id,
    token_type: "Bearer",
    profile: { ...common, aud: "P2LocalDevProject00000000000", name, email },
    expires_at: now + 600,
  });
}

/** A user holding one role in Acme. */
export function personaWithRole(role: Role): User {
  return makeUser({ name: `${role} user`, email: `${role}@acme.test`, tenants: { [ACME]: [role] } });
}
