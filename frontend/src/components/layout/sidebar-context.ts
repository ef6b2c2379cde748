import { createContext, useContext } from "react";

export interface SidebarState {
  /** Desktop: icons only. */
  collapsed: boolean;
  /** Mobile: the overlay is open. */
  mobileOpen: boolean;
  isMobile: boolean;
  toggle: () => void;
  closeMobile: () => void;
}

export const SIDEBAR_STORAGE_KEY = "identity-stack.sidebar-collapsed";

export const SidebarContext = createContext<SidebarState | null>(null);

export function useSidebar(): SidebarState {
  const state = useContext(SidebarContext);
  if (!state) throw new Error("useSidebar must be used inside <SidebarProvider>");
  return state;
}
