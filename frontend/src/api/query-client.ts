import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";

import { ApiError, notifyError, SessionExpiredError } from "@/api/errors";

const MAX_RETRIES = 2;

export function shouldRetry(failureCount: number, error: unknown): boolean {
  // A 4xx or an ended session will not change by asking again; 5xx and network faults might.
  if (error instanceof SessionExpiredError) return false;
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < MAX_RETRIES;
}

/**
 * The query client: every failed query or mutation is toasted once from its problem details.
 *
 * Success toasts live in each mutation's `onSuccess`, which TanStack Query runs only for a resolved call, i.e. a 2xx.
 */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({ onError: notifyError }),
    mutationCache: new MutationCache({ onError: notifyError }),
    defaultOptions: {
      queries: { retry: shouldRetry, refetchOnWindowFocus: false, staleTime: 30_000 },
      mutations: { retry: false },
    },
  });
}
