/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** OIDC issuer of the identity provider, e.g. `https://api.descope.com/<project id>`. */
  readonly VITE_OIDC_AUTHORITY?: string;
  /** OIDC client id; for Descope's default OIDC application this is the project id. */
  readonly VITE_OIDC_CLIENT_ID?: string;
  /** Space-separated OIDC scopes. */
  readonly VITE_OIDC_SCOPE?: string;
  /** Origin (plus optional stage path) of the API; routes are appended as `/api/...`. */
  readonly VITE_API_BASE_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
