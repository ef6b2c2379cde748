import { ClockAlertIcon, LogInIcon, ShieldIcon } from "lucide-react";
import { useEffect } from "react";
import { useAuth } from "react-oidc-context";
import { Navigate, useLocation } from "react-router";

import { FullPageStatus } from "@/components/common/full-page-status";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import type { LoginState } from "@/hooks/use-expire-session";
import { safeReturnTo, type SignInState } from "@/lib/return-to";

/**
 * Public sign-in page: says why the user is here (session expired, signed out), ends the local session in those cases,
 * and starts the OIDC redirect.
 */
export function LoginPage() {
  const { isAuthenticated, isLoading, activeNavigator, error, signinRedirect, removeUser } = useAuth();
  const location = useLocation();
  const state = (location.state ?? {}) as LoginState;
  const returnTo = safeReturnTo(state.from);

  // Sign-out and expiry only navigate here; the user is removed now that the protected layout is gone, because removed
  // any earlier that layout would start a new sign-in redirect. Until then the user still looks signed in: stay.
  const endingSession = Boolean(state.signedOut || state.sessionExpired);
  useEffect(() => {
    if (endingSession && isAuthenticated) void removeUser();
  }, [endingSession, isAuthenticated, removeUser]);

  if (isAuthenticated && !endingSession) return <Navigate to={returnTo} replace />;
  if (isLoading) return <FullPageStatus message="Loading session…" />;

  const signIn = () => void signinRedirect({ state: { returnTo } satisfies SignInState });
  return (
    <main className="flex min-h-svh items-center justify-center bg-muted/40 p-4">
      <Card className="w-full max-w-sm">
        <CardHeader className="items-center text-center">
          <ShieldIcon className="mx-auto size-8" aria-hidden="true" />
          <h1 className="text-xl leading-none font-semibold">Identity Stack</h1>
          <CardDescription>Multi-tenant identity, roles and access keys.</CardDescription>
        </CardHeader>
        <CardContent className="flex flex-col gap-4">
          {state.sessionExpired && (
            <Alert variant="warning" data-testid="session-expired">
              <ClockAlertIcon />
              <AlertTitle>Your session expired</AlertTitle>
              <AlertDescription>Sign in again to continue where you left off.</AlertDescription>
            </Alert>
          )}
          {state.signedOut && !state.sessionExpired && (
            <p className="text-center text-sm text-muted-foreground" data-testid="signed-out">
              You have signed out.
            </p>
          )}
          {error && !state.sessionExpired && (
            <Alert variant="destructive">
              <AlertTitle>Sign-in failed</AlertTitle>
              <AlertDescription>{error.message}</AlertDescription>
            </Alert>
          )}
          <Button onClick={signIn} disabled={activeNavigator === "signinRedirect"} data-testid="sign-in">
            <LogInIcon aria-hidden="true" />
            Sign in
          </Button>
        </CardContent>
      </Card>
    </main>
  );
}
