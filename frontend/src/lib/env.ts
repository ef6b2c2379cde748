/** Runtime configuration of the SPA, read once from `VITE_` variables with the local stack as the default. */

export interface AppConfig {
  /** OIDC issuer URL, no trailing slash. */
  oidcAuthority: string;
  oidcClientId: string;
  oidcScope: string;
  /** API origin (plus optional stage path), no trailing slash. */
  apiBaseUrl: string;
}

// The local identity provider and gateway of docs/ARCHITECTURE.md.
const LOCAL_PROJECT_ID = "P2LocalDevProject00000000000";
const DEFAULTS: AppConfig = {
  oidcAuthority: `http://127.0.0.1:8400/${LOCAL_PROJECT_ID}`,
  oidcClientId: LOCAL_PROJECT_ID,
  oidcScope: "openid profile email",
  apiBaseUrl: "http://127.0.0.1:8000",
};

function pick(value: string | undefined, fallback: string): string {
  const trimmed = value?.trim();
  return trimmed ? trimmed : fallback;
}

/** Build the configuration from Vite's env object; blank values fall back to the local defaults. */
export function readConfig(env: ImportMetaEnv = import.meta.env): AppConfig {
  return {
    oidcAuthority: pick(env.VITE_OIDC_AUTHORITY, DEFAULTS.oidcAuthority).replace(/\/+$/, ""),
    oidcClientId: pick(env.VITE_OIDC_CLIENT_ID, DEFAULTS.oidcClientId),
    oidcScope: pick(env.VITE_OIDC_SCOPE, DEFAULTS.oidcScope),
    apiBaseUrl: pick(env.VITE_API_BASE_URL, DEFAULTS.apiBaseUrl).replace(/\/+$/, ""),
  };
}

export const config: AppConfig = readConfig();
