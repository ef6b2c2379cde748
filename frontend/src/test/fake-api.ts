import { vi } from "vitest";

export interface ApiCall {
  method: string;
  /** Path plus query string, without the origin. */
  path: string;
  url: URL;
  headers: Headers;
  body: unknown;
}

export type Reply = Response | ((call: ApiCall) => Response | Promise<Response>);

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

/** An RFC 9457 problem response as the API sends it. */
export function problem(status: number, title: string, detail?: string): Response {
  return new Response(JSON.stringify({ type: "about:blank", title, status, detail }), {
    status,
    headers: { "content-type": "application/problem+json" },
  });
}

export function noContent(): Response {
  return new Response(null, { status: 204 });
}

/**
 * Replace the global `fetch` with a route table keyed `"METHOD /path"` (path without query string).
 * Unknown routes answer a 404 problem, so a test notices calls it did not expect. Every call is recorded.
 */
export function installFakeApi(routes: Record<string, Reply>) {
  const calls: ApiCall[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const rawBody = init?.body;
    const call: ApiCall = {
      method: init?.method ?? "GET",
      path: `${url.pathname}${url.search}`,
      url,
      headers: new Headers(init?.headers),
      body: typeof rawBody === "string" ? JSON.parse(rawBody) : undefined,
    };
    calls.push(call);
    const reply = routes[`${call.method} ${url.pathname}`];
    if (!reply) return problem(404, "Not Found", `no fake for ${call.method} ${url.pathname}`);
    // A Response body can be read once; clone so a route can answer repeatedly.
    return typeof reply === "function" ? reply(call) : reply.clone();
  });
  vi.stubGlobal("fetch", fetch);
  return {
    calls,
    fetch,
    /** Calls to one route, e.g. `callsTo("POST /api/keys")`. */
    callsTo: (route: string) => calls.filter((call) => `${call.method} ${call.url.pathname}` === route),
  };
}
