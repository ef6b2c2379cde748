import "./index.css";

import { QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { AuthProvider } from "react-oidc-context";
import { RouterProvider } from "react-router";

import { makeQueryClient } from "@/api/query-client";
import { CALLBACK_PATH, makeOidcSettings, SILENT_RENEW_PATH } from "@/auth/oidc-config";
import { ThemeProvider } from "@/components/theme/theme-provider";
import { Toaster } from "@/components/ui/sonner";
import { TooltipProvider } from "@/components/ui/tooltip";
import { config } from "@/lib/env";
import { returnToFromState } from "@/lib/return-to";
import { makeRouter } from "@/routes/router";

function renderApp(root: HTMLElement): void {
  const router = makeRouter();
  const queryClient = makeQueryClient();
  createRoot(root).render(
    <StrictMode>
      <ThemeProvider>
        <AuthProvider
          {...makeOidcSettings(config)}
          // Only the redirect URI carries an authorization response; elsewhere `?code=` is not ours to consume.
          skipSigninCallback={window.location.pathname !== CALLBACK_PATH}
          onSigninCallback={(user) => void router.navigate(returnToFromState(user?.state), { replace: true })}
        >
          <QueryClientProvider client={queryClient}>
            <TooltipProvider>
              <RouterProvider router={router} />
            </TooltipProvider>
            <Toaster />
          </QueryClientProvider>
        </AuthProvider>
      </ThemeProvider>
    </StrictMode>,
  );
}

if (window.location.pathname === SILENT_RENEW_PATH) {
  // Inside the hidden renew iframe: hand the response to the parent and render nothing.
  void import("@/auth/silent-renew").then(({ completeSilentRenew }) => completeSilentRenew());
} else {
  const root = document.getElementById("root");
  if (!root) throw new Error("index.html has no #root element");
  renderApp(root);
}
