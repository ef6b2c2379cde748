import { queryOptions } from "@tanstack/react-query";

import type { ApiClient } from "@/api/client";

export interface TenantGrant {
  roles: string[];
  permissions: string[];
}

/** GET /api/me: the server-validated principal (`identity_stack.principal.Principal`). */
export interface Principal {
  sub: string;
  issuer: string;
  kind: "user" | "access_key";
  tenants: Record<string, TenantGrant>;
  active_tenant_id: string | null;
  project_roles: string[];
  project_permissions: string[];
  claims: Record<string, unknown>;
}

export type Claims = Record<string, unknown>;

export const meQuery = (api: ApiClient) =>
  queryOptions({ queryKey: ["auth", "me"], queryFn: ({ signal }) => api.request<Principal>("/api/me", { signal }) });

export const claimsQuery = (api: ApiClient) =>
  queryOptions({ queryKey: ["auth", "claims"], queryFn: ({ signal }) => api.request<Claims>("/api/claims", { signal }) });

/** POST /api/validate-id-token with the ID token as the bearer; returns its claims once the server has verified it. */
export const idTokenClaimsQuery = (api: ApiClient, idToken: string | undefined) =>
  queryOptions({
    queryKey: ["auth", "id-token-claims", idToken],
    queryFn: ({ signal }) =>
      api.request<Claims>("/api/validate-id-token", { method: "POST", auth: { bearer: idToken ?? "" }, signal }),
    enabled: Boolean(idToken),
  });

/** POST /api/auth/logout: ends the user's sessions at the identity provider. */
export function logout(api: ApiClient): Promise<unknown> {
  return api.request("/api/auth/logout", { method: "POST" });
}
