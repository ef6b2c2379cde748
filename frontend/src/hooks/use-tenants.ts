import { useMemo } from "react";
import { useAuth } from "react-oidc-context";

import { readClaims, type JwtClaims } from "@/lib/jwt";

export interface TokenTenant {
  id: string;
  roles: string[];
  permissions: string[];
}

export interface TokenTenants {
  /** The token's `dct` (Descope current tenant), or null when none is selected. */
  currentTenantId: string | null;
  /** One entry per key of the token's `tenants` claim, in claim order. */
  tenants: TokenTenant[];
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

/**
 * Tenants, roles and permissions from Descope access-token claims.
 *
 * Shape (Descope JWT): `dct` is the active tenant id; `tenants` maps tenant id → `{roles, permissions}`. Malformed
 * entries count as a tenant with no roles rather than throwing.
 */
export function tenantsFromClaims(claims: JwtClaims | null): TokenTenants {
  const dct = claims?.dct;
  const raw = claims?.tenants;
  const entries = raw !== null && typeof raw === "object" && !Array.isArray(raw) ? Object.entries(raw) : [];
  return {
    currentTenantId: typeof dct === "string" && dct !== "" ? dct : null,
    tenants: entries.map(([id, grant]) => {
      const g = grant !== null && typeof grant === "object" ? (grant as Record<string, unknown>) : {};
      return { id, roles: stringList(g.roles), permissions: stringList(g.permissions) };
    }),
  };
}

/** The signed-in user's tenants as the access token states them (unverified; the API re-checks). */
export function useTenants(): TokenTenants {
  const accessToken = useAuth().user?.access_token;
  return useMemo(() => tenantsFromClaims(readClaims(accessToken)), [accessToken]);
}
