import { queryOptions } from "@tanstack/react-query";

import type { ApiClient } from "@/api/client";

/** An access key of the active tenant; the secret is never part of it. */
export interface AccessKey {
  id: string;
  name: string;
  description?: string;
  status: "active" | "inactive" | string;
  role_names: string[];
  /** Unix seconds. */
  created_time?: number;
  /** Unix seconds; 0 or null: never expires. */
  expire_time?: number | null;
  /** Bound to other tenants too: the API refuses to deactivate or delete it from here (409). */
  shared?: boolean;
}

export interface AccessKeyList {
  keys: AccessKey[];
}

/** Body of POST /api/keys. */
export interface AccessKeyCreate {
  name: string;
  description?: string;
  /** Future Unix seconds, or null for no expiry. */
  expire_time: number | null;
  role_names: string[];
}

/** 201 of POST /api/keys: the only time `cleartext` (the secret) is ever sent. */
export interface CreatedAccessKey {
  key: AccessKey;
  cleartext: string;
}

export const KEY_NAME_MAX = 100;
export const KEY_DESCRIPTION_MAX = 1000;

export const keyKeys = { all: ["keys"] as const };

export const keysQuery = (api: ApiClient) =>
  queryOptions({ queryKey: keyKeys.all, queryFn: ({ signal }) => api.request<AccessKeyList>("/api/keys", { signal }) });

export function createKey(api: ApiClient, body: AccessKeyCreate): Promise<CreatedAccessKey> {
  return api.request("/api/keys", { method: "POST", body });
}

const keyPath = (id: string) => `/api/keys/${encodeURIComponent(id)}`;

export function setKeyActive(api: ApiClient, id: string, active: boolean): Promise<unknown> {
  return api.request(`${keyPath(id)}/${active ? "activate" : "deactivate"}`, { method: "POST" });
}

export function deleteKey(api: ApiClient, id: string): Promise<unknown> {
  return api.request(keyPath(id), { method: "DELETE" });
}
