import { useQuery } from "@tanstack/react-query";
import { BuildingIcon } from "lucide-react";
import { useAuth } from "react-oidc-context";
import { useLocation } from "react-router";

import { tenantsQuery } from "@/api/tenants";
import { Badge } from "@/components/ui/badge";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { useApi } from "@/hooks/use-api";
import { useTenants } from "@/hooks/use-tenants";
import type { SignInState } from "@/lib/return-to";

/**
 * The active tenant, and a picker when the user has several.
 *
 * Tenants come from the token (what the API will honour); names come from GET /api/tenants. Switching re-authorizes
 * with Descope's `tenant` parameter, so the new token's `dct` is the chosen tenant, and returns to the same page.
 */
export function TenantSwitcher() {
  const { signinRedirect } = useAuth();
  const location = useLocation();
  const { currentTenantId, tenants } = useTenants();
  const { data } = useQuery(tenantsQuery(useApi()));
  const nameOf = (id: string) => data?.tenants.find((tenant) => tenant.id === id)?.name ?? id;

  if (tenants.length === 0) {
    return (
      <span className="text-sm text-muted-foreground" data-testid="tenant-switcher">
        No tenants
      </span>
    );
  }

  const only = tenants.length === 1 ? tenants[0] : undefined;
  if (only && only.id === currentTenantId) {
    return (
      <Badge variant="outline" data-testid="tenant-switcher" className="h-8 gap-1.5 px-2.5 text-sm">
        <BuildingIcon aria-hidden="true" />
        {nameOf(only.id)}
      </Badge>
    );
  }

  const switchTo = (tenantId: string) => {
    if (tenantId === currentTenantId) return;
    const state: SignInState = { returnTo: `${location.pathname}${location.search}` };
    void signinRedirect({ extraQueryParams: { tenant: tenantId }, state });
  };

  return (
    <Select value={currentTenantId ?? undefined} onValueChange={switchTo}>
      <SelectTrigger aria-label="Active tenant" data-testid="tenant-switcher" className="h-8 min-w-40">
        <BuildingIcon aria-hidden="true" />
        <SelectValue placeholder="Select a tenant" />
      </SelectTrigger>
      <SelectContent>
        {tenants.map((tenant) => (
          <SelectItem key={tenant.id} value={tenant.id} data-testid={`tenant-option-${tenant.id}`}>
            {nameOf(tenant.id)}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}
