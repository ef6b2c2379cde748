import "./index.css";

import { QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { AuthProvider } from "react-oidc-context";
import { RouterProvider } from "react-router";

import { makeQueryClient } from "@/api/query-client";
import { isAuthorizationResponse, makeOidcSettings } from "@/auth/oidc-config";
import { ThemeProvider } from "@/components/theme/theme-provider";
import { Toaster } from "@/components/ui/sonner";
import { TooltipProvider } from "@/components/ui/tooltip";
import { canonicalUrl } from "@/lib/canonical-origin";
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
          skipSigninCallback={!isAuthorizationResponse()}
          // Replaces the URL holding `code` and `state` with the page asked for before sign-in.
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

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");
const canonical = canonicalUrl(window.location, import.meta.env.VITE_CANONICAL_ORIGIN);
if (canonical) window.location.replace(canonical);
else renderApp(root);
