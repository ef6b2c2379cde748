import { describe, expect, it } from "vitest";

import { readConfig } from "@/lib/env";

describe("readConfig", () => {
  it("test_read_config_empty_env_uses_local_stack", () => {
    expect(readConfig({} as ImportMetaEnv)).toEqual({
      oidcAuthority: "http://127.0.0.1:8400/P2LocalDevProject00000000000",
      oidcClientId: "P2LocalDevProject00000000000",
      oidcScope: "openid profile email",
      apiBaseUrl: "http://127.0.0.1:8000",
    });
  });

  it("test_read_config_overrides_and_trims_trailing_slashes", () => {
    const env = {
      VITE_OIDC_AUTHORITY: "https://api.descope.com/P2abc/",
      VITE_OIDC_CLIENT_ID: "P2abc",
      VITE_OIDC_SCOPE: "openid",
      VITE_API_BASE_URL: "https://x.execute-api.eu-west-1.amazonaws.com/prod/",
    } as ImportMetaEnv;
    expect(readConfig(env)).toEqual({
      oidcAuthority: "https://api.descope.com/P2abc",
      oidcClientId: "P2abc",
      oidcScope: "openid",
      apiBaseUrl: "https://x.execute-api.eu-west-1.amazonaws.com/prod",
    });
  });

  it("test_read_config_blank_values_fall_back", () => {
    expect(readConfig({ VITE_API_BASE_URL: "  " } as ImportMetaEnv).apiBaseUrl).toBe("http://127.0.0.1:8000");
  });
});
