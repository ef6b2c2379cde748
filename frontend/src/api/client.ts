import { ApiError, SessionExpiredError, type ProblemDetails } from "@/api/errors";

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  method?: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** Sent as JSON. */
  body?: unknown;
  /** Appended as a query string; `null`/`undefined` values are left out. */
  query?: Record<string, QueryValue>;
  /**
   * `access` (default): the user's access token, renewed once on a 401. `none`: no Authorization header.
   * A string: that bearer token as is (e.g. the ID token for /api/validate-id-token), never renewed.
   */
  auth?: "access" | "none" | { bearer: string };
  signal?: AbortSignal;
}

export interface ApiClient {
  /**
   * Call the API and return its JSON body (`undefined` for 204).
   *
   * @throws ApiError on a non-2xx answer (RFC 9457 problem, or one synthesised from the status) or a network fault.
   * @throws SessionExpiredError when the access token is missing or cannot be renewed.
   */
  request<T>(path: string, options?: RequestOptions): Promise<T>;
}

export interface ApiClientOptions {
  /** API origin plus optional stage path, no trailing slash. */
  baseUrl: string;
  getAccessToken: () => string | undefined;
  /** Renew the session silently; resolves the new access token, or undefined / rejects when it cannot. */
  renewSession: () => Promise<string | undefined>;
  /** Called once per request that ends the session (renew failed, or the renewed token was refused). */
  onSessionExpired: () => void;
  /** Defaults to the global `fetch`, looked up per call. */
  fetch?: typeof fetch;
}

const JSON_TYPES = /^application\/(problem\+)?json\b/i;

function buildUrl(baseUrl: string, path: string, query: Record<string, QueryValue> | undefined): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== null && value !== undefined) params.set(name, String(value));
  }
  const search = params.size > 0 ? `?${params.toString()}` : "";
  return `${baseUrl}${path}${search}`;
}

async function readProblem(response: Response): Promise<ProblemDetails> {
  const fallback: ProblemDetails = { title: response.statusText || `HTTP ${response.status}`, status: response.status };
  if (!JSON_TYPES.test(response.headers.get("content-type") ?? "")) return fallback;
  try {
    const body: unknown = await response.json();
    if (body === null || typeof body !== "object" || Array.isArray(body)) return fallback;
    const problem = body as Record<string, unknown>;
    return {
      ...problem,
      title: typeof problem.title === "string" && problem.title ? problem.title : fallback.title,
      status: response.status,
      detail: typeof problem.detail === "string" ? problem.detail : undefined,
    };
  } catch {
    return fallback;
  }
}

async function readBody<T>(response: Response): Promise<T> {
  if (response.status === 204 || response.headers.get("content-length") === "0") return undefined as T;
  return (await response.json()) as T;
}

/**
 * A fetch wrapper for the identity-stack API.
 *
 * One 401 leads to one silent renew and one retry, never a loop (RFC 6750 §3.1 `invalid_token`): concurrent 401s
 * share a single renew, and a 401 on the retried call ends the session instead of renewing again.
 */
export function createApiClient(options: ApiClientOptions): ApiClient {
  let pendingRenew: Promise<string | undefined> | null = null;

  function renewOnce(): Promise<string | undefined> {
    pendingRenew ??= options.renewSession().finally(() => {
      pendingRenew = null;
    });
    return pendingRenew;
  }

  function expire(): never {
    options.onSessionExpired();
    throw new SessionExpiredError();
  }

  async function send(url: string, init: RequestInit, bearer: string | undefined): Promise<Response> {
    const headers = new Headers(init.headers);
    if (bearer) headers.set("Authorization", `Bearer ${bearer}`);
    const doFetch = options.fetch ?? globalThis.fetch;
    try {
      return await doFetch(url, { ...init, headers });
    } catch (error) {
      if (error instanceof DOMException && error.name === "AbortError") throw error;
      throw new ApiError({ title: "API unreachable", detail: "The API could not be reached. Try again.", status: 0 });
    }
  }

  async function request<T>(path: string, { method = "GET", body, query, auth = "access", signal }: RequestOptions = {}) {
    const url = buildUrl(options.baseUrl, path, query);
    const headers: Record<string, string> = { Accept: "application/json, application/problem+json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const init: RequestInit = { method, headers, signal, body: body === undefined ? undefined : JSON.stringify(body) };

    let response: Response;
    if (auth === "access") {
      const token = options.getAccessToken();
      if (!token) expire();
      response = await send(url, init, token);
      if (response.status === 401) {
        let renewed: string | undefined;
        try {
          renewed = await renewOnce();
        } catch {
          renewed = undefined;
        }
        if (!renewed) expire();
        response = await send(url, init, renewed);
        if (response.status === 401) expire();
      }
    } else {
      response = await send(url, init, auth === "none" ? undefined : auth.bearer);
    }

    if (!response.ok) throw new ApiError(await readProblem(response));
    return readBody<T>(response);
  }

  return { request };
}
