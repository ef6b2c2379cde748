import { describe, expect, it, vi } from "vitest";

import { createApiClient, type ApiClientOptions } from "@/api/client";
import { ApiError, SessionExpiredError } from "@/api/errors";
import { installFakeApi, json, noContent, problem, type Reply } from "@/test/fake-api";

const BASE = "http://api.test";

function makeClient(overrides: Partial<ApiClientOptions> = {}) {
  const options = {
    baseUrl: BASE,
    getAccessToken: vi.fn(() => "old-token" as string | undefined),
    renewSession: vi.fn(async () => "new-token" as string | undefined),
    onSessionExpired: vi.fn(),
    ...overrides,
  };
  return { client: createApiClient(options), options };
}

/** Answers 401 to `old-token` and 200 to anything else, like the API after a token expires. */
function acceptsOnly(token: string): Reply {
  return (call) =>
    call.headers.get("authorization") === `Bearer ${token}` ? json({ ok: true }) : problem(401, "Unauthorized", "Token expired");
}

describe("createApiClient", () => {
  it("test_request_with_access_token_sends_bearer_and_returns_json", async () => {
    const api = installFakeApi({ "GET /api/me": json({ sub: "U1" }) });
    const { client } = makeClient();

    await expect(client.request("/api/me")).resolves.toEqual({ sub: "U1" });

    expect(api.calls).toHaveLength(1);
    expect(api.calls[0]?.url.origin).toBe(BASE);
    expect(api.calls[0]?.headers.get("authorization")).toBe("Bearer old-token");
  });

  it("test_request_401_renews_once_and_retries_once_with_new_token", async () => {
    const api = installFakeApi({ "GET /api/me": acceptsOnly("new-token") });
    const { client, options } = makeClient();

    await expect(client.request("/api/me")).resolves.toEqual({ ok: true });

    expect(options.renewSession).toHaveBeenCalledTimes(1);
    expect(api.calls.map((call) => call.headers.get("authorization"))).toEqual(["Bearer old-token", "Bearer new-token"]);
    expect(options.onSessionExpired).not.toHaveBeenCalled();
  });

  it("test_request_401_after_renew_expires_session_without_second_renew", async () => {
    const api = installFakeApi({ "GET /api/me": problem(401, "Unauthorized") });
    const { client, options } = makeClient();

    await expect(client.request("/api/me")).rejects.toBeInstanceOf(SessionExpiredError);

    expect(options.renewSession).toHaveBeenCalledTimes(1);
    expect(api.calls).toHaveLength(2);
    expect(options.onSessionExpired).toHaveBeenCalledTimes(1);
  });

  it.each([
    ["renew resolves no token", async () => undefined],
    ["renew rejects", async () => Promise.reject(new Error("login_required"))],
  ])("test_request_401_when_%s_expires_session_without_retry", async (_case, renewSession) => {
    const api = installFakeApi({ "GET /api/me": problem(401, "Unauthorized") });
    const { client, options } = makeClient({ renewSession: vi.fn(renewSession) });

    await expect(client.request("/api/me")).rejects.toBeInstanceOf(SessionExpiredError);

    expect(api.calls).toHaveLength(1);
    expect(options.onSessionExpired).toHaveBeenCalledTimes(1);
  });

  it("test_request_concurrent_401s_share_one_renew", async () => {
    installFakeApi({ "GET /api/me": acceptsOnly("new-token"), "GET /api/claims": acceptsOnly("new-token") });
    let finishRenew: (token: string) => void = () => undefined;
    const renewSession = vi.fn(() => new Promise<string | undefined>((resolve) => (finishRenew = resolve)));
    const { client } = makeClient({ renewSession });

    const both = Promise.all([client.request("/api/me"), client.request("/api/claims")]);
    await vi.waitFor(() => expect(renewSession).toHaveBeenCalled());
    finishRenew("new-token");

    await expect(both).resolves.toEqual([{ ok: true }, { ok: true }]);
    expect(renewSession).toHaveBeenCalledTimes(1);
  });

  it("test_request_without_token_expires_session_and_sends_nothing", async () => {
    const api = installFakeApi({ "GET /api/me": json({}) });
    const { client, options } = makeClient({ getAccessToken: () => undefined });

    await expect(client.request("/api/me")).rejects.toBeInstanceOf(SessionExpiredError);

    expect(api.calls).toHaveLength(0);
    expect(options.onSessionExpired).toHaveBeenCalledTimes(1);
  });

  it("test_request_problem_json_becomes_api_error_with_title_and_detail", async () => {
    installFakeApi({ "POST /api/keys": problem(403, "Permission denied", "keys.manage is required") });
    const { client, options } = makeClient();

    const error = await client.request("/api/keys", { method: "POST", body: {} }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 403, title: "Permission denied", detail: "keys.manage is required" });
    expect(options.renewSession).not.toHaveBeenCalled();
  });

  it.each([
    ["text body", new Response("upstream exploded", { status: 502, statusText: "Bad Gateway" }), "Bad Gateway"],
    ["json without title", json({ message: "nope" }, 500), "HTTP 500"],
    ["malformed json", new Response("{", { status: 503, headers: { "content-type": "application/json" } }), "HTTP 503"],
  ])("test_request_non_problem_error_with_%s_gets_fallback_title", async (_case, response, title) => {
    installFakeApi({ "GET /api/me": response });
    const { client } = makeClient();

    const error = await client.request("/api/me").catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ title, detail: undefined });
  });

  it("test_request_network_failure_becomes_api_error_status_0", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => Promise.reject(new TypeError("Failed to fetch"))));
    const { client } = makeClient();

    await expect(client.request("/api/me")).rejects.toMatchObject({ status: 0, title: "API unreachable" });
  });

  it("test_request_204_resolves_undefined", async () => {
    installFakeApi({ "DELETE /api/keys/K1": noContent() });
    const { client } = makeClient();

    await expect(client.request("/api/keys/K1", { method: "DELETE" })).resolves.toBeUndefined();
  });

  it("test_request_body_and_query_are_encoded_and_nulls_dropped", async () => {
    const api = installFakeApi({ "POST /api/members/invite": json({}, 201) });
    const { client } = makeClient();

    await client.request("/api/members/invite", {
      method: "POST",
      body: { email: "a@b.test", role_names: ["member"] },
      query: { limit: 20, cursor: null, q: "a b" },
    });

    expect(api.calls[0]?.url.search).toBe("?limit=20&q=a+b");
    expect(api.calls[0]?.headers.get("content-type")).toBe("application/json");
    expect(api.calls[0]?.body).toEqual({ email: "a@b.test", role_names: ["member"] });
  });

  it("test_request_explicit_bearer_401_is_an_error_and_never_renews", async () => {
    const api = installFakeApi({ "POST /api/validate-id-token": problem(401, "Invalid token") });
    const { client, options } = makeClient();

    await expect(
      client.request("/api/validate-id-token", { method: "POST", auth: { bearer: "id-token" } }),
    ).rejects.toMatchObject({ status: 401, title: "Invalid token" });

    expect(api.calls[0]?.headers.get("authorization")).toBe("Bearer id-token");
    expect(options.renewSession).not.toHaveBeenCalled();
    expect(options.onSessionExpired).not.toHaveBeenCalled();
  });

  it("test_request_auth_none_sends_no_authorization_header", async () => {
    const api = installFakeApi({ "GET /api/health": json({ status: "ok" }) });
    const { client } = makeClient();

    await client.request("/api/health", { auth: "none" });

    expect(api.calls[0]?.headers.has("authorization")).toBe(false);
  });
});
