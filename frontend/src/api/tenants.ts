import { queryOptions } from "@tanstack/react-query";

import type { ApiClient } from "@/api/client";

/** One of the caller's tenants (GET /api/tenants). */
export interface TenantSummary {
  id: string;
  name: string;
  roles: string[];
  is_active: boolean;
}

export interface TenantList {
  tenants: TenantSummary[];
}

/** A tenant-scoped resource (documents.* permissions). */
export interface Resource {
  id: string;
  tenant_id: string;
  name: string;
  description: string;
  created_at: string;
  created_by?: string;
}

/** A page of a cursor-paginated list; `next_cursor` is opaque and null on the last page. */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface ResourceCreate {
  name: string;
  description: string;
}

/** Server-side limits (functions/tenants), mirrored for inline validation. */
export const RESOURCE_NAME_MAX = 255;
export const RESOURCE_DESCRIPTION_MAX = 1000;
export const RESOURCES_PAGE_SIZE = 20;

export const tenantKeys = {
  all: ["tenants"] as const,
  resources: (tenantId: string) => ["tenants", tenantId, "resources"] as const,
};

export const tenantsQuery = (api: ApiClient) =>
  queryOptions({
    queryKey: tenantKeys.all,
    queryFn: ({ signal }) => api.request<TenantList>("/api/tenants", { signal }),
    staleTime: 5 * 60_000,
  });

export const resourcesQuery = (api: ApiClient, tenantId: string, cursor: string | null) =>
  queryOptions({
    queryKey: [...tenantKeys.resources(tenantId), { cursor }],
    queryFn: ({ signal }) =>
      api.request<Page<Resource>>(`/api/tenants/${encodeURIComponent(tenantId)}/resources`, {
        query: { limit: RESOURCES_PAGE_SIZE, cursor },
        signal,
      }),
  });

export function createResource(api: ApiClient, tenantId: string, body: ResourceCreate): Promise<Resource> {
  return api.request(`/api/tenants/${encodeURIComponent(tenantId)}/resources`, { method: "POST", body });
}

export function deleteResource(api: ApiClient, tenantId: string, resourceId: string): Promise<void> {
  return api.request(`/api/tenants/${encodeURIComponent(tenantId)}/resources/${encodeURIComponent(resourceId)}`, {
    method: "DELETE",
  });
}
