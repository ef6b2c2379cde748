import {
  FileTextIcon,
  KeyRoundIcon,
  LayoutDashboardIcon,
  SettingsIcon,
  ShieldCheckIcon,
  UsersIcon,
  type LucideIcon,
} from "lucide-react";

import { Permission } from "@/auth/rbac";

export interface NavItem {
  label: string;
  to: string;
  icon: LucideIcon;
  /** Shown only with this permission in the active tenant: the one the API checks for the page's main call. */
  permission?: Permission;
  testId: string;
}

export interface NavSection {
  label: string;
  items: NavItem[];
}

export const NAV_SECTIONS: NavSection[] = [
  {
    label: "Workspace",
    items: [
      { label: "Dashboard", to: "/", icon: LayoutDashboardIcon, testId: "nav-dashboard" },
      { label: "Resources", to: "/resources", icon: FileTextIcon, testId: "nav-resources" },
    ],
  },
  {
    label: "Admin",
    items: [
      { label: "Members", to: "/members", icon: UsersIcon, permission: Permission.MEMBERS_INVITE, testId: "nav-members" },
      { label: "Roles", to: "/roles", icon: ShieldCheckIcon, permission: Permission.MEMBERS_UPDATE_ROLE, testId: "nav-roles" },
      { label: "Access Keys", to: "/keys", icon: KeyRoundIcon, permission: Permission.KEYS_MANAGE, testId: "nav-keys" },
      {
        label: "Tenant Settings",
        to: "/settings",
        icon: SettingsIcon,
        permission: Permission.SETTINGS_MANAGE,
        testId: "nav-settings",
      },
    ],
  },
];

/** Titles of pages that are not in the sidebar. */
const OTHER_TITLES: Record<string, string> = { "/profile": "Profile" };

/** The header title for a path: the nav item it belongs to (exact for `/`, by prefix otherwise). */
export function pageTitle(pathname: string): string {
  for (const item of NAV_SECTIONS.flatMap((section) => section.items)) {
    if (item.to === "/" ? pathname === "/" : pathname === item.to || pathname.startsWith(`${item.to}/`)) return item.label;
  }
  return OTHER_TITLES[pathname] ?? "";
}
