import { queryOptions } from "@tanstack/react-query";

import type { ApiClient } from "@/api/client";

/** GET /api/health (no token). */
export interface Health {
  status: string;
  version?: string;
}

export const healthQuery = (api: ApiClient) =>
  queryOptions({
    queryKey: ["health"],
    queryFn: ({ signal }) => api.request<Health>("/api/health", { auth: "none", signal }),
  });
