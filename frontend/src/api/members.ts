import { queryOptions } from "@tanstack/react-query";

import type { ApiClient } from "@/api/client";
import type { Page } from "@/api/tenants";

/** `suspended`: in this tenant only; `disabled`: the whole account, by a platform operator. */
export type MemberStatus = "active" | "suspended" | "invited" | "disabled";

/** A member of the active tenant; `roles` are the roles in this tenant only. */
export interface Member {
  user_id: string;
  email: string;
  name: string;
  roles: string[];
  status: MemberStatus;
}

/** Body of POST /api/members/invite. */
export interface Invitation {
  email: string;
  role_names: string[];
}

export const MEMBERS_PAGE_SIZE = 50;

export const memberKeys = { all: ["members"] as const };

export const membersQuery = (api: ApiClient, cursor: string | null) =>
  queryOptions({
    queryKey: [...memberKeys.all, { cursor }],
    queryFn: ({ signal }) =>
      api.request<Page<Member>>("/api/members", { query: { limit: MEMBERS_PAGE_SIZE, cursor }, signal }),
  });

export function inviteMember(api: ApiClient, body: Invitation): Promise<unknown> {
  return api.request("/api/members/invite", { method: "POST", body });
}

const memberPath = (id: string) => `/api/members/${encodeURIComponent(id)}`;

/** Suspend (`false`) or reinstate (`true`) a member in the active tenant only. */
export function setMemberActive(api: ApiClient, userId: string, active: boolean): Promise<unknown> {
  return api.request(`${memberPath(userId)}/${active ? "activate" : "deactivate"}`, { method: "POST" });
}

export function removeMember(api: ApiClient, userId: string): Promise<unknown> {
  return api.request(memberPath(userId), { method: "DELETE" });
}
