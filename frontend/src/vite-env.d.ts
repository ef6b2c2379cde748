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
  /** The one origin the API allows (CORS); a page on another name of the server moves there. Unset: no move. */
  readonly VITE_CANONICAL_ORIGIN?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
