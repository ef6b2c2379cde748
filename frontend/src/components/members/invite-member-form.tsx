import { useMutation, useQueryClient } from "@tanstack/react-query";
import { MailPlusIcon } from "lucide-react";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";

import { inviteMember, memberKeys, type Invitation } from "@/api/members";
import { Role } from "@/auth/rbac";
import { FieldError, FormField } from "@/components/common/form-field";
import { RolePicker } from "@/components/roles/role-picker";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
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
      <FormField id="invite-email" label="E-mail" error={errors.email} className="max-w-md">
        {(control) => (
          <Input {...control} type="email" autoComplete="off" value={email} onChange={(event) => setEmail(event.target.value)} />
        )}
      </FormField>
      <div className="grid gap-2">
        <span className="text-sm font-medium">Roles</span>
        <RolePicker idPrefix="invite" value={roles} onChange={setRoles} disabled={invite.isPending} />
        <FieldError>{errors.roles}</FieldError>
      </div>
      <Button type="submit" disabled={invite.isPending} className="w-fit">
        <MailPlusIcon aria-hidden="true" />
        Invite member
      </Button>
    </form>
  );
}
