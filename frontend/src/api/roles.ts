import { queryOptions } from "@tanstack/react-query";

import type { ApiClient } from "@/api/client";

/** GET /api/roles/me: the token's view plus what the identity provider holds now (a stale token shows). */
export interface MyRoles {
  tenant_id: string;
  roles: string[];
  permissions: string[];
  /** Roles the provider holds for the caller in this tenant now. */
  current_roles?: string[];
}

/** A role definition from the provider (GET /api/roles). */
export interface RoleDefinition {
  name: string;
  description: string;
  permissions: string[];
}

export interface RoleDefinitionList {
  roles: RoleDefinition[];
}

/** Body of POST /api/roles/assign and /api/roles/remove. */
export interface RoleChange {
  user_id: string;
  role_names: string[];
  tenant_id?: string;
}

export const roleKeys = { me: ["roles", "me"] as const, definitions: ["roles", "definitions"] as const };

export const myRolesQuery = (api: ApiClient) =>
  queryOptions({ queryKey: roleKeys.me, queryFn: ({ signal }) => api.request<MyRoles>("/api/roles/me", { signal }) });

export const roleDefinitionsQuery = (api: ApiClient) =>
  queryOptions({
    queryKey: roleKeys.definitions,
    queryFn: ({ signal }) => api.request<RoleDefinitionList>("/api/roles", { signal }),
    staleTime: 5 * 60_000,
  });

export function assignRoles(api: ApiClient, body: RoleChange): Promise<unknown> {
  return api.request("/api/roles/assign", { method: "POST", body });
}

export function removeRoles(api: ApiClient, body: RoleChange): Promise<unknown> {
  return api.request("/api/roles/remove", { method: "POST", body });
}
