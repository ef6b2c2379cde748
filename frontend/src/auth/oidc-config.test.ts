import { describe, expect, it } from "vitest";

import { makeOidcSettings } from "@/auth/oidc-config";
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

  it("test_oidc_settings_redirects_follow_page_origin", () => {
    expect(settings.redirect_uri).toBe("http://localhost:3000/callback");
    expect(settings.silent_redirect_uri).toBe("http://localhost:3000/silent-renew");
    expect(makeOidcSettings(readConfig({} as ImportMetaEnv), "http://127.0.0.1:3000").redirect_uri).toBe(
      "http://127.0.0.1:3000/callback",
    );
  });

  it("test_oidc_settings_store_user_in_session_storage", async () => {
    await settings.userStore?.set("probe", "value");
    expect(window.sessionStorage.getItem("oidc.probe")).toBe("value");
    expect(window.localStorage.length).toBe(0);
  });
});
