import { useAuth } from "react-oidc-context";
import { Link, Navigate } from "react-router";

import { FullPageStatus } from "@/components/common/full-page-status";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

/**
 * The OIDC redirect URI. `AuthProvider` exchanges the code; its `onSigninCallback` then navigates to the path saved
 * in the state. This page only covers the moments around that, and a failed exchange.
 */
export function CallbackPage() {
  const { error, isAuthenticated, isLoading } = useAuth();
  if (error) {
    return (
      <div className="mx-auto flex min-h-svh max-w-md items-center p-4">
        <Alert variant="destructive">
          <AlertTitle>Sign-in failed</AlertTitle>
          <AlertDescription>
            <span>{error.message}</span>
            <Button asChild variant="outline" size="sm">
              <Link to="/login">Back to sign in</Link>
            </Button>
          </AlertDescription>
        </Alert>
      </div>
    );
  }
  // Reached without a code (e.g. reloading /callback after the exchange): nothing to finish here.
  if (!isLoading && isAuthenticated && !window.location.search) return <Navigate to="/" replace />;
  if (!isLoading && !isAuthenticated) return <Navigate to="/login" replace />;
  return <FullPageStatus message="Signing in…" />;
}
