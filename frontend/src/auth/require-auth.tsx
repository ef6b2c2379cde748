import { AlertCircleIcon } from "lucide-react";
import { useEffect, useRef, type ReactNode } from "react";
import { useAuth } from "react-oidc-context";
import { useLocation } from "react-router";

import { FullPageStatus } from "@/components/common/full-page-status";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useExpireSession } from "@/hooks/use-expire-session";
import type { SignInState } from "@/lib/return-to";

/**
 * Guard for every page behind sign-in.
 *
 * Without a session it starts the authorization-code redirect itself, carrying the requested path in the OIDC
 * `state` so the deep link is restored after the callback. An expired access token or a failed silent renew ends the
 * session and lands on /login with "session expired".
 */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { events, isLoading, isAuthenticated, activeNavigator, error, signinRedirect } = useAuth();
  const location = useLocation();
  const expireSession = useExpireSession();
  const redirecting = useRef(false);

  useEffect(() => {
    const unsubscribeExpired = events.addAccessTokenExpired(expireSession);
    const unsubscribeRenewError = events.addSilentRenewError(expireSession);
    return () => {
      unsubscribeExpired();
      unsubscribeRenewError();
    };
  }, [events, expireSession]);

  const returnTo = `${location.pathname}${location.search}${location.hash}`;
  const mustSignIn = !isLoading && !isAuthenticated && !activeNavigator && !error;
  useEffect(() => {
    if (!mustSignIn || redirecting.current) return;
    redirecting.current = true;
    const state: SignInState = { returnTo };
    signinRedirect({ state }).catch(() => {
      redirecting.current = false;
    });
  }, [mustSignIn, returnTo, signinRedirect]);

  if (error && !isAuthenticated) {
    return (
      <div className="mx-auto flex min-h-svh max-w-md items-center p-4">
        <Alert variant="destructive">
          <AlertCircleIcon />
          <AlertTitle>Sign-in failed</AlertTitle>
          <AlertDescription>
            <span>{error.message}</span>
            <Button variant="outline" size="sm" onClick={() => void signinRedirect({ state: { returnTo } satisfies SignInState })}>
              Try again
            </Button>
          </AlertDescription>
        </Alert>
      </div>
    );
  }
  if (!isAuthenticated) return <FullPageStatus message={isLoading ? "Loading session…" : "Redirecting to sign in…"} />;
  return <>{children}</>;
}
