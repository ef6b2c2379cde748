import { useCallback, useMemo, useState, type ReactNode } from "react";

import { useIsMobile } from "@/hooks/use-is-mobile";

import { SIDEBAR_STORAGE_KEY, SidebarContext, type SidebarState } from "./sidebar-context";

function readCollapsed(): boolean {
  try {
    return window.localStorage.getItem(SIDEBAR_STORAGE_KEY) === "true";
  } catch {
    return false;
  }
}

/** Sidebar state: collapsed to icons on desktop (remembered), an overlay on mobile. */
export function SidebarProvider({ children }: { children: ReactNode }) {
  const isMobile = useIsMobile();
  const [collapsed, setCollapsed] = useState(readCollapsed);
  const [mobileOpen, setMobileOpen] = useState(false);

  const toggle = useCallback(() => {
    if (isMobile) {
      setMobileOpen((open) => !open);
      return;
    }
    setCollapsed((was) => {
      try {
        window.localStorage.setItem(SIDEBAR_STORAGE_KEY, String(!was));
      } catch {
        // Not remembered when storage is blocked.
      }
      return !was;
    });
  }, [isMobile]);
  const closeMobile = useCallback(() => setMobileOpen(false), []);

  const value = useMemo<SidebarState>(
    () => ({ collapsed: !isMobile && collapsed, mobileOpen: isMobile && mobileOpen, isMobile, toggle, closeMobile }),
    [collapsed, mobileOpen, isMobile, toggle, closeMobile],
  );
  return <SidebarContext.Provider value={value}>{children}</SidebarContext.Provider>;
}
