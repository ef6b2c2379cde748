import { queryOptions } from "@tanstack/react-query";

import type { ApiClient } from "@/api/client";

export type AttributeValue = string | number | boolean | null;

/** GET /api/profile. */
export interface Profile {
  user_id: string;
  name: string;
  email: string;
  custom_attributes: Record<string, AttributeValue>;
}

/** GET /api/tenants/current/settings. */
export interface TenantSettings {
  tenant_id: string;
  name: string;
  custom_attributes: Record<string, AttributeValue>;
}

/** Body of PATCH /api/profile and PATCH /api/tenants/current/settings. */
export interface AttributeUpdate {
  key: string;
  value: AttributeValue;
}

export const PLAN_TIERS = ["free", "pro", "enterprise"] as const;
export type PlanTier = (typeof PLAN_TIERS)[number];
/** Server limits for max_members (functions/attributes). */
export const MAX_MEMBERS_RANGE = { min: 1, max: 10_000 } as const;

export const attributeKeys = { profile: ["profile"] as const, settings: ["tenant-settings"] as const };

export const profileQuery = (api: ApiClient) =>
  queryOptions({ queryKey: attributeKeys.profile, queryFn: ({ signal }) => api.request<Profile>("/api/profile", { signal }) });

export const tenantSettingsQuery = (api: ApiClient) =>
  queryOptions({
    queryKey: attributeKeys.settings,
    queryFn: ({ signal }) => api.request<TenantSettings>("/api/tenants/current/settings", { signal }),
  });

export function updateProfile(api: ApiClient, body: AttributeUpdate): Promise<unknown> {
  return api.request("/api/profile", { method: "PATCH", body });
}

export function updateTenantSettings(api: ApiClient, body: AttributeUpdate): Promise<unknown> {
  return api.request("/api/tenants/current/settings", { method: "PATCH", body });
}
