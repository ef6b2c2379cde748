import { describe, expect, it } from "vitest";

import { isAuthorizationResponse, makeOidcSettings } from "@/auth/oidc-config";
import { readConfig } from "@/lib/env";

describe("makeOidcSettings", () => {
  const settings = makeOidcSettings(readConfig({} as ImportMetaEnv), "http://localhost:3000");

  it("test_oidc_settings_use_code_flow_with_local_defaults", () => {
    expect(settings).toMatchObject({
      authority: "http://127.0.0.1:8400/P2LocalDevProject00000000000",
      client_id: "P2LocalDevProject00000000000",
      response_type: "code",
      scope: "openid profile email",
      automaticSilentRenew: true,
    });
  });

  it("test_oidc_settings_redirect_uri_is_exactly_the_page_origin", () => {
    // infra/descope_variables.tf approves exactly these strings.
    expect(settings.redirect_uri).toBe("http://localhost:3000");
    expect(makeOidcSettings(readConfig({} as ImportMetaEnv), "http://127.0.0.1:3000").redirect_uri).toBe(
      "http://127.0.0.1:3000",
    );
  });

  it("test_oidc_settings_store_user_in_session_storage", async () => {
    await settings.userStore?.set("probe", "value");
    expect(window.sessionStorage.getItem("oidc.probe")).toBe("value");
    expect(window.localStorage.length).toBe(0);
  });
});

describe("isAuthorizationResponse", () => {
  it.each([
    ["code and state on /", "/", "?code=abc&state=xyz", true],
    ["error and state on /", "/", "?error=access_denied&state=xyz", true],
    ["code without state", "/", "?code=abc", false],
    ["code on another page", "/resources", "?code=abc&state=xyz", false],
    ["plain page", "/", "", false],
  ])("test_is_authorization_response_%s", (_case, pathname, search, expected) => {
    expect(isAuthorizationResponse({ pathname, search })).toBe(expected);
  });
});
