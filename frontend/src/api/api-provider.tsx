import { useMemo, type ReactNode } from "react";
import { useAuth } from "react-oidc-context";

import { ApiContext } from "@/api/api-context";
import { createApiClient } from "@/api/client";
import { useExpireSession } from "@/hooks/use-expire-session";
import { config } from "@/lib/env";

/**
 * Provides the API client of the signed-in session.
 *
 * A new client is made when the access token changes (sign-in, silent renew) or the page does (the return path after
 * an expired session); requests already running keep the client they started with, so concurrent 401s share one renew.
 */
export function ApiProvider({ children, baseUrl = config.apiBaseUrl }: { children: ReactNode; baseUrl?: string }) {
  const { user, signinSilent } = useAuth();
  const expireSession = useExpireSession();
  const accessToken = user?.access_token;

  const client = useMemo(
    () =>
      createApiClient({
        baseUrl,
        getAccessToken: () => accessToken,
        renewSession: async () => (await signinSilent())?.access_token,
        onSessionExpired: expireSession,
      }),
    [baseUrl, accessToken, signinSilent, expireSession],
  );
  return <ApiContext.Provider value={client}>{children}</ApiContext.Provider>;
}
