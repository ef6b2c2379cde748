import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { KeyRoundIcon, Trash2Icon } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";

import { deleteKey, keyKeys, keysQuery, setKeyActive, type AccessKey, type CreatedAccessKey } from "@/api/keys";
import { ConfirmDialog } from "@/components/common/confirm-dialog";
import { EmptyState } from "@/components/common/empty-state";
import { RowsSkeleton } from "@/components/common/page-skeleton";
import { QueryError } from "@/components/common/query-error";
import { CreateKeyForm } from "@/components/keys/create-key-form";
import { KeySecret } from "@/components/keys/key-secret";
import { PageHeader } from "@/components/layout/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useApi } from "@/hooks/use-api";

function formatExpiry(expireTime: number | null | undefined): string {
  return expireTime ? new Date(expireTime * 1000).toLocaleDateString() : "Never";
}

function KeyActions({ accessKey }: { accessKey: AccessKey }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: keyKeys.all });
  const active = accessKey.status === "active";

  const toggle = useMutation({
    mutationFn: () => setKeyActive(api, accessKey.id, !active),
    onSuccess: () => {
      toast.success(`${active ? "Deactivated" : "Activated"} “${accessKey.name}”`);
      refresh();
    },
  });
  const remove = useMutation({
    mutationFn: () => deleteKey(api, accessKey.id),
    onSuccess: () => {
      toast.success(`Deleted “${accessKey.name}”`);
      refresh();
    },
  });
  const busy = toggle.isPending || remove.isPending;

  return (
    <div className="flex justify-end gap-1">
      {active ? (
        <ConfirmDialog
          trigger={
            <Button variant="outline" size="sm" disabled={busy}>
              Deactivate
            </Button>
          }
          title={`Deactivate “${accessKey.name}”?`}
          description="Machines using this key can no longer get tokens until it is activated again."
          confirmLabel="Deactivate"
          onConfirm={() => toggle.mutate()}
        />
      ) : (
        <Button variant="outline" size="sm" disabled={busy} onClick={() => toggle.mutate()}>
          Activate
        </Button>
      )}
      <ConfirmDialog
        trigger={
          <Button variant="ghost" size="icon" aria-label={`Delete ${accessKey.name}`} disabled={busy}>
            <Trash2Icon />
          </Button>
        }
        title={`Delete “${accessKey.name}”?`}
        description="The key stops working at once and cannot be restored."
        confirmLabel="Delete"
        onConfirm={() => remove.mutate()}
      />
    </div>
  );
}

function KeysTable() {
  const query = useQuery(keysQuery(useApi()));
  if (query.isPending) return <RowsSkeleton />;
  if (query.isError) return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  if (query.data.keys.length === 0) {
    return <EmptyState icon={KeyRoundIcon} title="No access keys" description="Keys let machines call the API as this tenant." />;
  }
  return (
    <Table data-testid="keys-table">
      <TableHeader>
        <TableRow>
          <TableHead>Name</TableHead>
          <TableHead>Status</TableHead>
          <TableHead>Roles</TableHead>
          <TableHead>Expires</TableHead>
          <TableHead>
            <span className="sr-only">Actions</span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {query.data.keys.map((accessKey) => (
          <TableRow key={accessKey.id}>
            <TableCell>
              <div className="font-medium">{accessKey.name}</div>
              <div className="font-mono text-xs text-muted-foreground">{accessKey.id}</div>
            </TableCell>
            <TableCell>
              <div className="flex gap-1">
                <Badge variant={accessKey.status === "active" ? "success" : "outline"}>{accessKey.status}</Badge>
                {accessKey.shared && (
                  <Badge variant="outline" title="Also bound to other tenants; manage it where it was created.">
                    shared
                  </Badge>
                )}
              </div>
            </TableCell>
            <TableCell>{accessKey.role_names.join(", ")}</TableCell>
            <TableCell>{formatExpiry(accessKey.expire_time)}</TableCell>
            <TableCell>
              <KeyActions accessKey={accessKey} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** Access keys of the active tenant (keys.manage; the route is gated on it). */
export function AccessKeysPage() {
  const [created, setCreated] = useState<CreatedAccessKey | null>(null);
  return (
    <>
      <PageHeader title="Access Keys" description="Credentials for machines, bound to the active tenant." />
      {created && <KeySecret name={created.key.name} secret={created.cleartext} onDismiss={() => setCreated(null)} />}
      <Card>
        <CardHeader>
          <CardTitle>Create key</CardTitle>
        </CardHeader>
        <CardContent>
          <CreateKeyForm onCreated={setCreated} />
        </CardContent>
      </Card>
      <KeysTable />
    </>
  );
}
