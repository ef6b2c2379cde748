import { useMutation, useQueryClient } from "@tanstack/react-query";
import { MailPlusIcon } from "lucide-react";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";

import { inviteMember, memberKeys, type Invitation } from "@/api/members";
import { Role } from "@/auth/rbac";
import { RolePicker } from "@/components/roles/role-picker";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { useApi } from "@/hooks/use-api";
import { useRbac } from "@/hooks/use-rbac";
import { isEmail } from "@/lib/email";

/** Invites a person by e-mail with roles up to the caller's own (members.invite). */
export function InviteMemberForm() {
  const api = useApi();
  const queryClient = useQueryClient();
  const { canGrant } = useRbac();
  const [email, setEmail] = useState("");
  const [roles, setRoles] = useState<string[]>(() => (canGrant(Role.MEMBER) ? [Role.MEMBER] : []));
  const [errors, setErrors] = useState<{ email?: string; roles?: string }>({});

  const invite = useMutation({
    mutationFn: (body: Invitation) => inviteMember(api, body),
    onSuccess: (_result, body) => {
      toast.success(`Invited ${body.email}`);
      setEmail("");
      void queryClient.invalidateQueries({ queryKey: memberKeys.all });
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const address = email.trim();
    const found: typeof errors = {};
    if (!isEmail(address)) found.email = "Enter a valid e-mail address.";
    if (roles.length === 0) found.roles = "Choose at least one role.";
    setErrors(found);
    if (Object.keys(found).length === 0) invite.mutate({ email: address, role_names: roles });
  };

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-4" data-testid="invite-member-form">
      <div className="grid max-w-md gap-2">
        <Label htmlFor="invite-email">E-mail</Label>
        <Input
          id="invite-email"
          type="email"
          autoComplete="off"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          aria-invalid={Boolean(errors.email)}
          aria-describedby={errors.email ? "invite-email-error" : undefined}
        />
        {errors.email && (
          <p id="invite-email-error" className="text-sm text-destructive">
            {errors.email}
          </p>
        )}
      </div>
      <div className="grid gap-2">
        <span className="text-sm font-medium">Roles</span>
        <RolePicker idPrefix="invite" value={roles} onChange={setRoles} disabled={invite.isPending} />
        {errors.roles && <p className="text-sm text-destructive">{errors.roles}</p>}
      </div>
      <Button type="submit" disabled={invite.isPending} className="w-fit">
        <MailPlusIcon aria-hidden="true" />
        Invite member
      </Button>
    </form>
  );
}
