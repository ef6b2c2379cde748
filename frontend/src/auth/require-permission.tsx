import type { ReactNode } from "react";

import type { Permission } from "@/auth/rbac";
import { useRbac } from "@/hooks/use-rbac";

interface RequirePermissionProps {
  /** One permission, or several of which the caller needs `match` (any by default, as the API's `require_permission`). */
  permission: Permission | readonly Permission[];
  match?: "any" | "all";
  children: ReactNode;
  /** Rendered instead of the children when the permission is missing; nothing by default. */
  fallback?: ReactNode;
}

/** Render children only when the active tenant grants the permission. A UI gate: the API enforces the same names. */
export function RequirePermission({ permission, match = "any", children, fallback = null }: RequirePermissionProps) {
  const { hasPermission } = useRbac();
  const wanted: readonly Permission[] = typeof permission === "string" ? [permission] : permission;
  const allowed = match === "all" ? wanted.every(hasPermission) : wanted.some(hasPermission);
  return <>{allowed ? children : fallback}</>;
}
