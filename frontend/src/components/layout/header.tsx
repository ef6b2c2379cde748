import { PanelLeftIcon } from "lucide-react";
import { useLocation } from "react-router";

import { ThemeToggle } from "@/components/theme/theme-toggle";
import { Button } from "@/components/ui/button";

import { pageTitle } from "./nav-items";
import { useSidebar } from "./sidebar-context";
import { TenantSwitcher } from "./tenant-switcher";
import { UserMenu } from "./user-menu";

export function Header() {
  const { toggle } = useSidebar();
  const { pathname } = useLocation();
  return (
    <header className="sticky top-0 z-30 flex h-14 shrink-0 items-center gap-2 border-b bg-background/95 px-4 backdrop-blur">
      <Button variant="ghost" size="icon" onClick={toggle} aria-label="Toggle sidebar" data-testid="sidebar-toggle">
        <PanelLeftIcon />
      </Button>
      <span className="truncate text-sm font-medium">{pageTitle(pathname)}</span>
      <div className="ml-auto flex items-center gap-2">
        <TenantSwitcher />
        <ThemeToggle />
        <UserMenu />
      </div>
    </header>
  );
}
