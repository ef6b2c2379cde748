import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { render, type RenderResult } from "@testing-library/react";
import type { User } from "oidc-client-ts";
import { useSyncExternalStore, type ReactNode } from "react";
import { AuthContext, type AuthContextProps } from "react-oidc-context";
import { createMemoryRouter, RouterProvider, type RouteObject } from "react-router";

import { ApiProvider } from "@/api/api-provider";
import { makeQueryClient } from "@/api/query-client";
import { ThemeProvider } from "@/components/theme/theme-provider";
import { TooltipProvider } from "@/components/ui/tooltip";
import { routes as appRoutes } from "@/routes/router";

import { makeAuth, type FakeAuth } from "./fake-auth";

export const TEST_API = "http://api.test";

export interface RenderOptions {
  /** Signed-in user; null for signed out. */
  user?: User | null;
  /** Replaces the fake auth context entirely (takes precedence over `user`). */
  auth?: FakeAuth;
  authOverrides?: Partial<AuthContextProps>;
  /** Initial location, with optional navigation state. */
  path?: string;
  state?: unknown;
}

export interface Rendered extends RenderResult {
  auth: FakeAuth;
  router: ReturnType<typeof createMemoryRouter>;
  queryClient: QueryClient;
}

function makeTestQueryClient(): QueryClient {
  const client = makeQueryClient();
  // Retried 5xx would slow tests by seconds; the retry rule itself is tested in query-client.test.ts.
  const defaults = client.getDefaultOptions();
  client.setDefaultOptions({ ...defaults, queries: { ...defaults.queries, retry: false } });
  return client;
}

/** Provides the fake auth value and re-renders when it changes, like react-oidc-context's provider. */
function FakeAuthProvider({ auth, children }: { auth: FakeAuth; children: ReactNode }) {
  const value = useSyncExternalStore(auth.subscribe, auth.snapshot);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

function renderRoutes(routes: RouteObject[], options: RenderOptions): Rendered {
  const auth = options.auth ?? makeAuth(options.user === undefined ? null : options.user, options.authOverrides);
  const queryClient = makeTestQueryClient();
  const router = createMemoryRouter(routes, {
    initialEntries: [{ ...splitPath(options.path ?? "/"), state: options.state }],
  });
  const result = render(
    <ThemeProvider>
      <FakeAuthProvider auth={auth}>
        <QueryClientProvider client={queryClient}>
          <TooltipProvider>
            <RouterProvider router={router} />
          </TooltipProvider>
        </QueryClientProvider>
      </FakeAuthProvider>
    </ThemeProvider>,
  );
  return { ...result, auth, router, queryClient };
}

function splitPath(path: string): { pathname: string; search: string } {
  const [pathname = "/", search = ""] = path.split("?");
  return { pathname, search: search ? `?${search}` : "" };
}

/** Render the whole app (real routes, gates, shell and lazy pages) at `path`. */
export function renderApp(options: RenderOptions = {}): Rendered {
  return renderRoutes(appRoutes, options);
}

/** Render one component inside the providers, with an API client, at `path`; /login renders a marker. */
export function renderUi(ui: ReactNode, options: RenderOptions = {}): Rendered {
  return renderRoutes(
    [
      { path: "/login", element: <p data-testid="login-page">login</p> },
      { path: "*", element: <ApiProvider baseUrl={TEST_API}>{ui}</ApiProvider> },
    ],
    options,
  );
}
