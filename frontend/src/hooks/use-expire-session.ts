import { useCallback } from "react";
import { useAuth } from "react-oidc-context";
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
 * Navigates before removing the user so the protected layout never sees a signed-out state and starts a redirect.
 * Idempotent: a second call while on the login page does nothing.
 */
export function useExpireSession(): () => void {
  const { removeUser } = useAuth();
  const navigate = useNavigate();
  const { pathname, search, hash } = useLocation();
  return useCallback(() => {
    if (pathname === LOGIN_PATH) return;
    const state: LoginState = { sessionExpired: true, from: `${pathname}${search}${hash}` };
    void navigate(LOGIN_PATH, { replace: true, state });
    void removeUser();
  }, [navigate, removeUser, pathname, search, hash]);
}
