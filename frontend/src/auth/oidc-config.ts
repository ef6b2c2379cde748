import { WebStorageStateStore, type UserManagerSettings } from "oidc-client-ts";

import type { AppConfig } from "@/lib/env";

/**
 * oidc-client-ts settings: authorization code with PKCE (S256, added by the library; RFC 7636), tokens kept in
 * sessionStorage, and silent renew with the refresh token before the access token expires.
 *
 * The redirect URI is the page's origin with no path, because that is what infra/ approves (the stage's SPA origin,
 * plus loopback ones in dev.tfvars) and identity providers compare redirect URIs as whole strings. So
 * http://localhost:3000 and http://127.0.0.1:3000 both work, and the authorization response lands on `/` (see
 * `isAuthorizationResponse`).
 */
export function makeOidcSettings(config: AppConfig, origin: string = window.location.origin): UserManagerSettings {
  return {
    authority: config.oidcAuthority,
    client_id: config.oidcClientId,
    redirect_uri: origin,
    response_type: "code",
    scope: config.oidcScope,
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    automaticSilentRenew: true,
    // The ID token already carries name and email; the session iframe is not part of Descope's OIDC surface.
    loadUserInfo: false,
    monitorSession: false,
  };
}

/**
 * Whether this page load is the identity provider's redirect back to us (RFC 6749 §4.1.2: `code` or `error`, with
 * `state`, on the redirect URI). Anywhere else, such parameters are not ours to consume.
 */
export function isAuthorizationResponse(location: Pick<Location, "pathname" | "search"> = window.location): boolean {
  if (location.pathname !== "/") return false;
  const params = new URLSearchParams(location.search);
  return params.has("state") && (params.has("code") || params.has("error"));
}
