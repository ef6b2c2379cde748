import { useMutation, useQueryClient } from "@tanstack/react-query";
import { UserMinusIcon } from "lucide-react";
import { toast } from "sonner";

import { memberKeys, removeMember, setMemberActive, type Member } from "@/api/members";
import { ConfirmDialog } from "@/components/common/confirm-dialog";
import { Button } from "@/components/ui/button";
import { useApi } from "@/hooks/use-api";

/** Suspend, reinstate or remove a member of the active tenant, each after confirmation (members.remove). */
export function MemberActions({ member }: { member: Member }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const who = member.name || member.email;
  const refresh = () => void queryClient.invalidateQueries({ queryKey: memberKeys.all });
  const suspended = member.status === "suspended";

  const toggle = useMutation({
    mutationFn: () => setMemberActive(api, member.user_id, suspended),
    onSuccess: () => {
      toast.success(suspended ? `Reinstated ${who}` : `Suspended ${who}`);
      refresh();
    },
  });
  const remove = useMutation({
    mutationFn: () => removeMember(api, member.user_id),
    onSuccess: () => {
      toast.success(`Removed ${who} from this tenant`);
      refresh();
    },
  });
  const busy = toggle.isPending || remove.isPending;

  return (
    <div className="flex justify-end gap-1">
      {/* Invited people have no access yet, and a disabled account is the platform operator's to restore. */}
      {(member.status === "active" || member.status === "suspended") && (
        <ConfirmDialog
          trigger={
            <Button variant="outline" size="sm" disabled={busy}>
              {suspended ? "Reinstate" : "Suspend"}
            </Button>
          }
          title={suspended ? `Reinstate ${who}?` : `Suspend ${who}?`}
          description={
            suspended
              ? "Their roles in this tenant are restored."
              : "They lose access to this tenant until reinstated. Their other tenants are not affected."
          }
          confirmLabel={suspended ? "Reinstate" : "Suspend"}
          destructive={!suspended}
          onConfirm={() => toggle.mutate()}
        />
      )}
      <ConfirmDialog
        trigger={
          <Button variant="ghost" size="icon" aria-label={`Remove ${who}`} disabled={busy}>
            <UserMinusIcon />
          </Button>
        }
        title={`Remove ${who} from this tenant?`}
        description="They lose their roles and access here. Their account and other tenants are not affected."
        confirmLabel="Remove"
        onConfirm={() => remove.mutate()}
      />
    </div>
  );
}
