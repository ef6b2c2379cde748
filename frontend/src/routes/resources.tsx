import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { FileTextIcon, Trash2Icon } from "lucide-react";
import { toast } from "sonner";

import { deleteResource, resourcesQuery, tenantKeys, type Resource } from "@/api/tenants";
import { Permission } from "@/auth/rbac";
import { RequirePermission } from "@/auth/require-permission";
import { ConfirmDialog } from "@/components/common/confirm-dialog";
import { CursorPager } from "@/components/common/cursor-pager";
import { EmptyState } from "@/components/common/empty-state";
import { RowsSkeleton } from "@/components/common/page-skeleton";
import { QueryError } from "@/components/common/query-error";
import { NoTenant } from "@/components/common/no-tenant";
import { PageHeader } from "@/components/layout/page-header";
import { CreateResourceForm } from "@/components/resources/create-resource-form";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useApi } from "@/hooks/use-api";
import { useCursorPages } from "@/hooks/use-cursor-pages";
import { useRbac } from "@/hooks/use-rbac";

function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

function DeleteResourceButton({ tenantId, resource }: { tenantId: string; resource: Resource }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => deleteResource(api, tenantId, resource.id),
    onSuccess: () => {
      toast.success(`Deleted “${resource.name}”`);
      void queryClient.invalidateQueries({ queryKey: tenantKeys.resources(tenantId) });
    },
  });
  return (
    <ConfirmDialog
      trigger={
        <Button variant="ghost" size="icon" aria-label={`Delete ${resource.name}`} disabled={remove.isPending}>
          <Trash2Icon />
        </Button>
      }
      title={`Delete “${resource.name}”?`}
      description="The resource is removed for everyone in this tenant. This cannot be undone."
      confirmLabel="Delete"
      onConfirm={() => remove.mutate()}
    />
  );
}

function ResourceList({ tenantId }: { tenantId: string }) {
  const api = useApi();
  const pages = useCursorPages();
  const query = useQuery({ ...resourcesQuery(api, tenantId, pages.cursor), placeholderData: keepPreviousData });

  if (query.isPending) return <RowsSkeleton />;
  if (query.isError) return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  const { items, next_cursor: nextCursor } = query.data;
  if (items.length === 0 && pages.isFirstPage) {
    return <EmptyState icon={FileTextIcon} title="No resources yet" description="Resources created in this tenant appear here." />;
  }
  return (
    <div className="flex flex-col gap-4">
      <Table data-testid="resources-table">
        <TableHeader>
          <TableRow>
            <TableHead>Name</TableHead>
            <TableHead>Description</TableHead>
            <TableHead>Created</TableHead>
            <TableHead className="w-12">
              <span className="sr-only">Actions</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {items.map((resource) => (
            <TableRow key={resource.id}>
              <TableCell className="font-medium">{resource.name}</TableCell>
              <TableCell className="max-w-md truncate text-muted-foreground">{resource.description}</TableCell>
              <TableCell>{formatDate(resource.created_at)}</TableCell>
              <TableCell>
                <RequirePermission permission={Permission.DOCUMENTS_DELETE}>
                  <DeleteResourceButton tenantId={tenantId} resource={resource} />
                </RequirePermission>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <CursorPager pages={pages} nextCursor={nextCursor} loading={query.isPlaceholderData} />
    </div>
  );
}

/** The active tenant's resources: list, create (documents.write), delete (documents.delete). */
export function ResourcesPage() {
  const { currentTenantId } = useRbac();
  return (
    <>
      <PageHeader title="Resources" description="Documents that belong to the active tenant only." />
      {!currentTenantId ? (
        <NoTenant />
      ) : (
        <>
          <RequirePermission permission={Permission.DOCUMENTS_WRITE}>
            <Card>
              <CardHeader>
                <CardTitle>New resource</CardTitle>
              </CardHeader>
              <CardContent>
                <CreateResourceForm tenantId={currentTenantId} />
              </CardContent>
            </Card>
          </RequirePermission>
          <ResourceList key={currentTenantId} tenantId={currentTenantId} />
        </>
      )}
    </>
  );
}
