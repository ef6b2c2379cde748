import { Suspense } from "react";
import { Outlet } from "react-router";

import { PageSkeleton } from "@/components/common/page-skeleton";

import { AppSidebar } from "./app-sidebar";
import { Header } from "./header";
import { SidebarProvider } from "./sidebar-provider";

/** Sidebar, header and the current page. */
export function AppShell() {
  return (
    <SidebarProvider>
      <div className="flex min-h-svh w-full">
        <AppSidebar />
        <div className="flex min-w-0 flex-1 flex-col">
          <Header />
          <main className="mx-auto flex w-full max-w-6xl flex-1 flex-col gap-6 p-4 md:p-6" data-testid="page">
            <Suspense fallback={<PageSkeleton />}>
              <Outlet />
            </Suspense>
          </main>
        </div>
      </div>
    </SidebarProvider>
  );
}
