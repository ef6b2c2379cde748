import { useCallback } from "react";
import { useLocation, useNavigate } from "react-router";

/** Navigation state the login page reads. */
export interface LoginState {
  sessionExpired?: boolean;
  signedOut?: boolean;
  /** Path to return to after the next sign-in. */
  from?: string;
}

export const LOGIN_PATH = "/login";

/**
 * End the local session and show the login page with a "session expired" message, remembering where the user was.
 *
 * Only navigates: the login page removes the user once it is shown, so the protected layout never sees a signed-out
 * state and starts a new sign-in redirect. Idempotent: a second call while on the login page does nothing.
 */
export function useExpireSession(): () => void {
  const navigate = useNavigate();
  const { pathname, search, hash } = useLocation();
  return useCallback(() => {
    if (pathname === LOGIN_PATH) return;
    const state: LoginState = { sessionExpired: true, from: `${pathname}${search}${hash}` };
    void navigate(LOGIN_PATH, { replace: true, state });
  }, [navigate, pathname, search, hash]);
}
