import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { AppSidebar } from "@/components/layout/app-sidebar";
import { SidebarProvider } from "@/components/layout/sidebar-provider";
import type { Role } from "@/auth/rbac";
import { installFakeApi } from "@/test/fake-api";
import { ACME, GLOBEX, makeUser, personaWithRole } from "@/test/personas";
import { renderUi } from "@/test/render";

const ALL = ["Dashboard", "Resources", "Members", "Roles", "Access Keys", "Tenant Settings"];

function navLabels(): string[] {
  return screen.getAllByRole("link").map((link) => link.textContent ?? "");
}

describe("AppSidebar", () => {
  it.each([
    ["owner", ALL],
    ["admin", ALL],
    ["member", ["Dashboard", "Resources", "Members"]],
    ["viewer", ["Dashboard", "Resources"]],
  ] as [Role, string[]][])("test_app_sidebar_%s_sees_items_their_permissions_allow", (role, expected) => {
    installFakeApi({});
    renderUi(
      <SidebarProvider>
        <AppSidebar />
      </SidebarProvider>,
      { user: personaWithRole(role) },
    );
    expect(navLabels()).toEqual(expected);
    expect(screen.getByText("Identity Stack")).toBeInTheDocument();
  });

  it("test_app_sidebar_follows_active_tenant_roles", () => {
    // consultant@example.test: admin in Globex, viewer in Acme; the active tenant decides.
    installFakeApi({});
    const tenants = { [GLOBEX]: ["admin"], [ACME]: ["viewer"] } as Record<string, Role[]>;
    const { unmount } = renderUi(
      <SidebarProvider>
        <AppSidebar />
      </SidebarProvider>,
      { user: makeUser({ tenants, dct: GLOBEX }) },
    );
    expect(navLabels()).toEqual(ALL);
    unmount();

    renderUi(
      <SidebarProvider>
        <AppSidebar />
      </SidebarProvider>,
      { user: makeUser({ tenants, dct: ACME }) },
    );
    expect(navLabels()).toEqual(["Dashboard", "Resources"]);
  });

  it("test_app_sidebar_marks_current_page", () => {
    installFakeApi({});
    renderUi(
      <SidebarProvider>
        <AppSidebar />
      </SidebarProvider>,
      { user: personaWithRole("owner"), path: "/keys" },
    );
    expect(screen.getByRole("link", { name: "Access Keys" })).toHaveAttribute("aria-current", "page");
    expect(screen.getByRole("link", { name: "Dashboard" })).not.toHaveAttribute("aria-current");
  });
});
