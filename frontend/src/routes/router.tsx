import { lazy, type ComponentType, type LazyExoticComponent } from "react";
import { createBrowserRouter, Navigate, type RouteObject } from "react-router";

import { ApiProvider } from "@/api/api-provider";
import { Permission } from "@/auth/rbac";
import { RequireAuth } from "@/auth/require-auth";
import { RequirePermission } from "@/auth/require-permission";
import { Forbidden } from "@/components/common/forbidden";
import { RouteError } from "@/components/common/route-error";
import { AppShell } from "@/components/layout/app-shell";
import { LOGIN_PATH } from "@/hooks/use-expire-session";

import { LoginPage } from "./login";

/** Pages are split out of the initial bundle; each module exports its page by name. */
function page<M>(load: () => Promise<M>, name: keyof M): LazyExoticComponent<ComponentType> {
  return lazy(async () => ({ default: (await load())[name] as ComponentType }));
}

const DashboardPage = page(() => import("./dashboard"), "DashboardPage");
const ResourcesPage = page(() => import("./resources"), "ResourcesPage");
const MembersPage = page(() => import("./members"), "MembersPage");
const RolesPage = page(() => import("./roles"), "RolesPage");
const AccessKeysPage = page(() => import("./access-keys"), "AccessKeysPage");
const TenantSettingsPage = page(() => import("./tenant-settings"), "TenantSettingsPage");
const ProfilePage = page(() => import("./profile"), "ProfilePage");

/**
 * Every route. Members and Access Keys are gated here because the API refuses their first call without the permission;
 * the other pages are readable by any member and gate their controls inside. A 403 from the API shows the same page.
 */
export const routes: RouteObject[] = [
  { path: LOGIN_PATH, element: <LoginPage /> },
  {
    element: (
      <RequireAuth>
        <ApiProvider>
          <AppShell />
        </ApiProvider>
      </RequireAuth>
    ),
    errorElement: <RouteError />,
    children: [
      {
        // Keeps the shell (and a way out) when a page fails to render.
        errorElement: <RouteError />,
        children: [
      { index: true, element: <DashboardPage /> },
      { path: "resources", element: <ResourcesPage /> },
      {
        path: "members",
        element: (
          <RequirePermission permission={Permission.MEMBERS_INVITE} fallback={<Forbidden />}>
            <MembersPage />
          </RequirePermission>
        ),
      },
      { path: "roles", element: <RolesPage /> },
      {
        path: "keys",
        element: (
          <RequirePermission permission={Permission.KEYS_MANAGE} fallback={<Forbidden />}>
            <AccessKeysPage />
          </RequirePermission>
        ),
      },
      { path: "settings", element: <TenantSettingsPage /> },
      { path: "profile", element: <ProfilePage /> },
      { path: "*", element: <Navigate to="/" replace /> },
        ],
      },
    ],
  },
];

export function makeRouter() {
  return createBrowserRouter(routes);
}
