import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";

import { memberKeys } from "@/api/members";
import { assignRoles, removeRoles, roleDefinitionsQuery, type RoleChange } from "@/api/roles";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { useApi } from "@/hooks/use-api";

import { RolePicker } from "./role-picker";

type Action = "assign" | "remove";

/** Assign or remove tenant roles of a member by user id; the picker offers only roles the caller may grant. */
export function ManageRolesForm({ tenantId }: { tenantId: string }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const definitions = useQuery(roleDefinitionsQuery(api));
  const [userId, setUserId] = useState("");
  const [roles, setRoles] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);

  const change = useMutation({
    mutationFn: ({ action, body }: { action: Action; body: RoleChange }) =>
      action === "assign" ? assignRoles(api, body) : removeRoles(api, body),
    onSuccess: (_result, { action, body }) => {
      toast.success(`${action === "assign" ? "Assigned" : "Removed"} ${body.role_names.join(", ")}`, {
        description: `User ${body.user_id}`,
      });
      void queryClient.invalidateQueries({ queryKey: memberKeys.all });
    },
  });

  const submit = (action: Action) => (event?: FormEvent) => {
    event?.preventDefault();
    const user = userId.trim();
    if (!user) return setError("Enter the user's id.");
    if (roles.length === 0) return setError("Choose at least one role.");
    setError(null);
    change.mutate({ action, body: { user_id: user, role_names: roles, tenant_id: tenantId } });
  };

  const descriptions = Object.fromEntries((definitions.data?.roles ?? []).map((role) => [role.name, role.description]));
  return (
    <form onSubmit={submit("assign")} noValidate className="flex flex-col gap-4" data-testid="manage-roles-form">
      <div className="grid gap-2">
        <Label htmlFor="role-user-id">User id</Label>
        <Input
          id="role-user-id"
          value={userId}
          onChange={(event) => setUserId(event.target.value)}
          aria-invalid={Boolean(error)}
          aria-describedby={error ? "role-form-error" : undefined}
          className="max-w-md"
        />
      </div>
      <RolePicker idPrefix="manage" value={roles} onChange={setRoles} descriptions={descriptions} disabled={change.isPending} />
      {error && (
        <p id="role-form-error" className="text-sm text-destructive">
          {error}
        </p>
      )}
      <div className="flex gap-2">
        <Button type="submit" disabled={change.isPending}>
          Assign
        </Button>
        <Button type="button" variant="outline" disabled={change.isPending} onClick={() => submit("remove")()}>
          Remove
        </Button>
      </div>
    </form>
  );
}
