import { useQuery } from "@tanstack/react-query";

import { tenantSettingsQuery } from "@/api/attributes";
import { Permission } from "@/auth/rbac";
import { RequirePermission } from "@/auth/require-permission";
import { NoTenant } from "@/components/common/no-tenant";
import { RowsSkeleton } from "@/components/common/page-skeleton";
import { QueryError } from "@/components/common/query-error";
import { PageHeader } from "@/components/layout/page-header";
import { SettingsForm } from "@/components/settings/settings-form";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { useApi } from "@/hooks/use-api";
import { useRbac } from "@/hooks/use-rbac";

function TenantSettingsCard() {
  const query = useQuery(tenantSettingsQuery(useApi()));
  if (query.isPending) return <RowsSkeleton rows={3} />;
  if (query.isError) return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  const { name, tenant_id: tenantId, custom_attributes: attributes } = query.data;
  return (
    <>
      <Card>
        <CardHeader>
          <CardTitle>{name}</CardTitle>
          <CardDescription className="font-mono text-xs">{tenantId}</CardDescription>
        </CardHeader>
        <CardContent className="flex flex-wrap gap-6 text-sm">
          <div className="flex items-center gap-2">
            Plan <Badge data-testid="plan-badge">{String(attributes.plan_tier ?? "free")}</Badge>
          </div>
          <div data-testid="max-members">Max members: {String(attributes.max_members ?? "—")}</div>
        </CardContent>
      </Card>
      <RequirePermission permission={Permission.SETTINGS_MANAGE}>
        <Card>
          <CardHeader>
            <CardTitle>Edit settings</CardTitle>
          </CardHeader>
          <CardContent>
            <SettingsForm key={JSON.stringify(attributes)} settings={query.data} />
          </CardContent>
        </Card>
      </RequirePermission>
    </>
  );
}

/** The active tenant's plan and limits; editable with settings.manage (plan tier also needs billing.manage). */
export function TenantSettingsPage() {
  const { currentTenantId } = useRbac();
  return (
    <>
      <PageHeader title="Tenant Settings" description="Plan and limits of the active tenant." />
      {currentTenantId ? <TenantSettingsCard /> : <NoTenant />}
    </>
  );
}
