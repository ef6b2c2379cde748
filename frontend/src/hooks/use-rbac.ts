import { useCallback, useMemo } from "react";

import { canGrant as canGrantRole, highestRank, Role, ROLES } from "@/auth/rbac";
import { useTenants } from "@/hooks/use-tenants";

export interface Rbac {
  currentTenantId: string | null;
  /** Roles in the active tenant; empty without one. */
  roles: string[];
  /** Permissions in the active tenant; empty without one. */
  permissions: string[];
  hasRole: (role: string) => boolean;
  hasPermission: (permission: string) => boolean;
  isOwner: boolean;
  /** Owner or admin. */
  isAdmin: boolean;
  /** Whether the caller may grant or remove `role` in the active tenant. */
  canGrant: (role: string) => boolean;
  /** Known roles the caller may grant, strongest first. */
  grantableRoles: Role[];
}

/** Roles and permissions of the active tenant (`tenants[dct]`), the same names the API enforces. */
export function useRbac(): Rbac {
  const { currentTenantId, tenants } = useTenants();
  const current = tenants.find((tenant) => tenant.id === currentTenantId);
  const roles = useMemo(() => current?.roles ?? [], [current]);
  const permissions = useMemo(() => current?.permissions ?? [], [current]);

  const hasRole = useCallback((role: string) => roles.includes(role), [roles]);
  const hasPermission = useCallback((permission: string) => permissions.includes(permission), [permissions]);
  const canGrant = useCallback((role: string) => canGrantRole(roles, role), [roles]);

  return useMemo(
    () => ({
      currentTenantId,
      roles,
      permissions,
      hasRole,
      hasPermission,
      isOwner: roles.includes(Role.OWNER),
      isAdmin: highestRank(roles) >= highestRank([Role.ADMIN]),
      canGrant,
      grantableRoles: ROLES.filter((role) => canGrantRole(roles, role)),
    }),
    [currentTenantId, roles, permissions, hasRole, hasPermission, canGrant],
  );
}
