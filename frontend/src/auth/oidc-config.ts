import { WebStorageStateStore, type UserManagerSettings } from "oidc-client-ts";

import type { AppConfig } from "@/lib/env";

export const CALLBACK_PATH = "/callback";
export const SILENT_RENEW_PATH = "/silent-renew";

/**
 * oidc-client-ts settings: authorization code with PKCE (S256, added by the library; RFC 7636), tokens kept in
 * sessionStorage, silent renew before the access token expires (refresh token if issued, else a hidden iframe on
 * `SILENT_RENEW_PATH` with `prompt=none`).
 *
 * The redirect URIs use the page's own origin, so http://localhost:3000 and http://127.0.0.1:3000 both work as long as
 * the identity provider has each registered.
 */
export function makeOidcSettings(config: AppConfig, origin: string = window.location.origin): UserManagerSettings {
  return {
    authority: config.oidcAuthority,
    client_id: config.oidcClientId,
    redirect_uri: `${origin}${CALLBACK_PATH}`,
    silent_redirect_uri: `${origin}${SILENT_RENEW_PATH}`,
    post_logout_redirect_uri: `${origin}/login`,
    response_type: "code",
    scope: config.oidcScope,
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    automaticSilentRenew: true,
    // The ID token already carries name and email; the session iframe is not part of Descope's OIDC surface.
    loadUserInfo: false,
    monitorSession: false,
  };
}
