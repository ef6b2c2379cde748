/**
 * Permission and role names shared with the API (infra/rbac.tf, `identity_stack.rbac`).
 *
 * The UI only hides what the API would refuse; the API decides. Role rank follows the server's `ROLE_RANK`:
 * nobody grants a role ranked above their own, and only an owner grants `owner`.
 */

export const Permission = {
  PROJECTS_CREATE: "projects.create",
  PROJECTS_READ: "projects.read",
  PROJECTS_UPDATE: "projects.update",
  PROJECTS_DELETE: "projects.delete",
  MEMBERS_INVITE: "members.invite",
  MEMBERS_REMOVE: "members.remove",
  MEMBERS_UPDATE_ROLE: "members.update_role",
  DOCUMENTS_READ: "documents.read",
  DOCUMENTS_WRITE: "documents.write",
  DOCUMENTS_DELETE: "documents.delete",
  SETTINGS_MANAGE: "settings.manage",
  BILLING_MANAGE: "billing.manage",
  KEYS_MANAGE: "keys.manage",
} as const;
export type Permission = (typeof Permission)[keyof typeof Permission];

export const Role = { OWNER: "owner", ADMIN: "admin", MEMBER: "member", VIEWER: "viewer" } as const;
export type Role = (typeof Role)[keyof typeof Role];

/** Highest first, so pickers list roles from most to least powerful. */
export const ROLES: readonly Role[] = [Role.OWNER, Role.ADMIN, Role.MEMBER, Role.VIEWER];

export const ROLE_RANK: Readonly<Record<Role, number>> = { owner: 4, admin: 3, member: 2, viewer: 1 };

function isRole(name: string): name is Role {
  return Object.hasOwn(ROLE_RANK, name);
}

/** Rank of the strongest known role in `roles`; 0 when none is known. */
export function highestRank(roles: readonly string[]): number {
  return Math.max(0, ...roles.filter(isRole).map((role) => ROLE_RANK[role]));
}

/** Whether someone holding `granterRoles` may grant or remove `role` (unknown role names: never). */
export function canGrant(granterRoles: readonly string[], role: string): boolean {
  return isRole(role) && ROLE_RANK[role] <= highestRank(granterRoles);
}
