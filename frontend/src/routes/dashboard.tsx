import { useQuery, type UseQueryResult } from "@tanstack/react-query";
import { useAuth } from "react-oidc-context";

import { claimsQuery, idTokenClaimsQuery, meQuery } from "@/api/auth";
import { healthQuery } from "@/api/health";
import { tenantsQuery } from "@/api/tenants";
import { JsonView } from "@/components/common/json-view";
import { RowsSkeleton } from "@/components/common/page-skeleton";
import { QueryError } from "@/components/common/query-error";
import { PageHeader } from "@/components/layout/page-header";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { useApi } from "@/hooks/use-api";
import { useRbac } from "@/hooks/use-rbac";

function HealthBadge() {
  const { data, isPending, isError } = useQuery(healthQuery(useApi()));
  if (isPending) return <Badge variant="outline">checking…</Badge>;
  if (isError || data.status !== "ok") {
    return (
      <Badge variant="destructive" data-testid="api-health">
        {isError ? "unreachable" : data.status}
      </Badge>
    );
  }
  return (
    <Badge variant="success" data-testid="api-health">
      {data.status}
      {data.version ? ` · ${data.version}` : ""}
    </Badge>
  );
}

function ClaimsTab({ query, label }: { query: UseQueryResult<unknown>; label: string }) {
  if (query.isPending) return <RowsSkeleton rows={4} />;
  if (query.isError) return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  return <JsonView value={query.data} label={label} />;
}

/** Who am I: API health, identity, active tenant and roles, and the claims the API validated. */
export function DashboardPage() {
  const api = useApi();
  const { user } = useAuth();
  const { currentTenantId, roles } = useRbac();
  const tenants = useQuery(tenantsQuery(api));
  const me = useQuery(meQuery(api));
  const claims = useQuery(claimsQuery(api));
  const idClaims = useQuery(idTokenClaimsQuery(api, user?.id_token));

  const name = user?.profile.name || user?.profile.email || "User";
  const tenantName = tenants.data?.tenants.find((tenant) => tenant.id === currentTenantId)?.name ?? currentTenantId;

  return (
    <>
      <PageHeader title={`Welcome, ${name}`} description="Your identity as the API sees it." />
      <div className="grid gap-4 md:grid-cols-3">
        <Card>
          <CardHeader>
            <CardDescription>API status</CardDescription>
            <CardTitle>
              <HealthBadge />
            </CardTitle>
          </CardHeader>
        </Card>
        <Card>
          <CardHeader>
            <CardDescription>Signed in as</CardDescription>
            <CardTitle className="truncate" data-testid="identity-name">
              {name}
            </CardTitle>
            {user?.profile.email && <CardDescription className="truncate">{user.profile.email}</CardDescription>}
          </CardHeader>
        </Card>
        <Card>
          <CardHeader>
            <CardDescription>Active tenant</CardDescription>
            <CardTitle className="truncate" data-testid="active-tenant">
              {tenantName ?? "None selected"}
            </CardTitle>
            <div className="flex flex-wrap gap-1" data-testid="active-roles">
              {roles.length === 0 ? (
                <span className="text-sm text-muted-foreground">No roles</span>
              ) : (
                roles.map((role) => (
                  <Badge key={role} variant="secondary">
                    {role}
                  </Badge>
                ))
              )}
            </div>
          </CardHeader>
        </Card>
      </div>
      <Card>
        <CardContent>
          <Tabs defaultValue="principal">
            <TabsList>
              <TabsTrigger value="principal">Principal</TabsTrigger>
              <TabsTrigger value="access">Access token</TabsTrigger>
              <TabsTrigger value="id">ID token</TabsTrigger>
            </TabsList>
            <TabsContent value="principal">
              <ClaimsTab query={me} label="Principal from /api/me" />
            </TabsContent>
            <TabsContent value="access">
              <ClaimsTab query={claims} label="Access-token claims validated by the API" />
            </TabsContent>
            <TabsContent value="id">
              {user?.id_token ? (
                <ClaimsTab query={idClaims} label="ID-token claims validated by the API" />
              ) : (
                <p className="text-sm text-muted-foreground">This session has no ID token.</p>
              )}
            </TabsContent>
          </Tabs>
        </CardContent>
      </Card>
    </>
  );
}
