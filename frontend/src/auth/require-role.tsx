import type { ReactNode } from "react";

import type { Role } from "@/auth/rbac";
import { useRbac } from "@/hooks/use-rbac";

interface RequireRoleProps {
  /** The caller needs at least one of these roles in the active tenant. */
  role: Role | readonly Role[];
  children: ReactNode;
  /** Rendered instead of the children when no role matches; nothing by default. */
  fallback?: ReactNode;
}

/** Render children only when the caller holds one of the roles in the active tenant. Prefer `RequirePermission`. */
export function RequireRole({ role, children, fallback = null }: RequireRoleProps) {
  const { hasRole } = useRbac();
  const wanted: readonly Role[] = typeof role === "string" ? [role] : role;
  return <>{wanted.some(hasRole) ? children : fallback}</>;
}
