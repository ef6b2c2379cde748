/**
 * Where to send the user after sign-in: a same-origin path only.
 *
 * The value travels through the identity provider in the OIDC `state`, so it is treated as untrusted: anything that is
 * not a plain absolute path (`//host`, `/\host`, `https://…`, control characters) becomes `/`, which prevents an
 * open redirect.
 */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/";
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return "/";
  return value;
}

/** The OIDC `state` payload the SPA sends with every sign-in redirect. */
export interface SignInState {
  returnTo: string;
}

/** Read the return path from a user's `state` as restored by oidc-client-ts after the callback. */
export function returnToFromState(state: unknown): string {
  if (state !== null && typeof state === "object" && "returnTo" in state) return safeReturnTo(state.returnTo);
  return "/";
}
