import { ShieldIcon } from "lucide-react";
import { NavLink } from "react-router";

import { Tooltip, TooltipContent, TooltipTrigger } from "@/components/ui/tooltip";
import { useRbac } from "@/hooks/use-rbac";
import { cn } from "@/lib/utils";

import { NAV_SECTIONS, type NavItem } from "./nav-items";
import { useSidebar } from "./sidebar-context";

function SidebarLink({ item, collapsed, onNavigate }: { item: NavItem; collapsed: boolean; onNavigate: () => void }) {
  const Icon = item.icon;
  const link = (
    <NavLink
      to={item.to}
      end={item.to === "/"}
      onClick={onNavigate}
      data-testid={item.testId}
      aria-label={collapsed ? item.label : undefined}
      className={({ isActive }) =>
        cn(
          "flex h-9 items-center gap-3 rounded-md px-3 text-sm font-medium text-sidebar-foreground/80 transition-colors hover:bg-sidebar-accent hover:text-sidebar-accent-foreground",
          isActive && "bg-sidebar-accent text-sidebar-accent-foreground",
          collapsed && "justify-center px-0",
        )
      }
    >
      <Icon className="size-4 shrink-0" aria-hidden="true" />
      {!collapsed && <span className="truncate">{item.label}</span>}
    </NavLink>
  );
  if (!collapsed) return link;
  return (
    <Tooltip>
      <TooltipTrigger asChild>{link}</TooltipTrigger>
      <TooltipContent side="right">{item.label}</TooltipContent>
    </Tooltip>
  );
}

/** The app's navigation; each item appears only with the permission its page needs. */
export function AppSidebar() {
  const { collapsed, mobileOpen, isMobile, closeMobile } = useSidebar();
  const { hasPermission } = useRbac();
  const sections = NAV_SECTIONS.map((section) => ({
    ...section,
    items: section.items.filter((item) => !item.permission || hasPermission(item.permission)),
  })).filter((section) => section.items.length > 0);

  if (isMobile && !mobileOpen) return null;
  return (
    <>
      {isMobile && <div className="fixed inset-0 z-40 bg-black/50" aria-hidden="true" onClick={closeMobile} />}
      <aside
        data-testid="app-sidebar"
        data-collapsed={collapsed}
        className={cn(
          "flex shrink-0 flex-col border-r border-sidebar-border bg-sidebar text-sidebar-foreground transition-[width]",
          isMobile ? "fixed inset-y-0 left-0 z-50 w-64" : collapsed ? "sticky top-0 h-svh w-14" : "sticky top-0 h-svh w-60",
        )}
      >
        <div className={cn("flex h-14 items-center gap-2 border-b border-sidebar-border px-4", collapsed && "justify-center px-0")}>
          <ShieldIcon className="size-5 shrink-0" aria-hidden="true" />
          {!collapsed && <span className="truncate font-semibold">Identity Stack</span>}
        </div>
        <nav aria-label="Main" className="flex flex-1 flex-col gap-4 overflow-y-auto p-2">
          {sections.map((section) => (
            <div key={section.label} role="group" aria-label={section.label} className="flex flex-col gap-1">
              {!collapsed && (
                <div className="px-3 py-1 text-xs font-medium text-muted-foreground" aria-hidden="true">
                  {section.label}
                </div>
              )}
              {section.items.map((item) => (
                <SidebarLink key={item.to} item={item} collapsed={collapsed} onNavigate={closeMobile} />
              ))}
            </div>
          ))}
        </nav>
      </aside>
    </>
  );
}
