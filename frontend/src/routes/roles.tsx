import { useQuery } from "@tanstack/react-query";

import { myRolesQuery, roleDefinitionsQuery } from "@/api/roles";
import { Permission } from "@/auth/rbac";
import { RequirePermission } from "@/auth/require-permission";
import { NoTenant } from "@/components/common/no-tenant";
import { RowsSkeleton } from "@/components/common/page-skeleton";
import { QueryError } from "@/components/common/query-error";
import { PageHeader } from "@/components/layout/page-header";
import { ManageRolesForm } from "@/components/roles/manage-roles-form";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useApi } from "@/hooks/use-api";
import { useRbac } from "@/hooks/use-rbac";

function Badges({ names, empty, testId }: { names: string[]; empty: string; testId?: string }) {
  return (
    <div className="flex flex-wrap gap-1" data-testid={testId}>
      {names.length === 0 ? (
        <span className="text-sm text-muted-foreground">{empty}</span>
      ) : (
        names.map((name) => (
          <Badge key={name} variant="secondary">
            {name}
          </Badge>
        ))
      )}
    </div>
  );
}

function MyRolesCard() {
  const query = useQuery(myRolesQuery(useApi()));
  return (
    <Card>
      <CardHeader>
        <CardTitle>Your roles</CardTitle>
        <CardDescription>In the active tenant, as the API reads your token and as the identity provider holds them now.</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-3">
        {query.isPending ? (
          <RowsSkeleton rows={2} />
        ) : query.isError ? (
          <QueryError error={query.error} onRetry={() => void query.refetch()} />
        ) : (
          <>
            <Badges names={query.data.roles} empty="No roles" testId="my-roles" />
            {query.data.current_roles && (
              <p className="text-sm text-muted-foreground" data-testid="server-confirmed-roles">
                Server-confirmed: {query.data.current_roles.join(", ") || "none"}
              </p>
            )}
            <Badges names={query.data.permissions} empty="No permissions" />
          </>
        )}
      </CardContent>
    </Card>
  );
}

function RoleDefinitionsCard() {
  const query = useQuery(roleDefinitionsQuery(useApi()));
  return (
    <Card>
      <CardHeader>
        <CardTitle>Role definitions</CardTitle>
      </CardHeader>
      <CardContent>
        {query.isPending ? (
          <RowsSkeleton />
        ) : query.isError ? (
          <QueryError error={query.error} onRetry={() => void query.refetch()} />
        ) : (
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Role</TableHead>
                <TableHead>Permissions</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {query.data.roles.map((role) => (
                <TableRow key={role.name}>
                  <TableCell className="align-top">
                    <div className="font-medium">{role.name}</div>
                    <div className="text-xs text-muted-foreground">{role.description}</div>
                  </TableCell>
                  <TableCell className="whitespace-normal">
                    <Badges names={role.permissions} empty="None" />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}

/** My roles for everyone; assigning and removing roles with members.update_role. */
export function RolesPage() {
  const { currentTenantId } = useRbac();
  return (
    <>
      <PageHeader title="Roles" description="Roles grant permissions within the active tenant." />
      {!currentTenantId ? (
        <NoTenant />
      ) : (
        <>
          <MyRolesCard />
          <RequirePermission permission={Permission.MEMBERS_UPDATE_ROLE}>
            <Card>
              <CardHeader>
                <CardTitle>Manage member roles</CardTitle>
                <CardDescription>You can grant or remove roles up to your own.</CardDescription>
              </CardHeader>
              <CardContent>
                <ManageRolesForm tenantId={currentTenantId} />
              </CardContent>
            </Card>
            <RoleDefinitionsCard />
          </RequirePermission>
        </>
      )}
    </>
  );
}
