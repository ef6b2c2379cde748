import { useMutation, useQueryClient } from "@tanstack/react-query";
import { PlusIcon } from "lucide-react";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";

import { createKey, KEY_DESCRIPTION_MAX, KEY_NAME_MAX, keyKeys, type AccessKeyCreate, type CreatedAccessKey } from "@/api/keys";
import { Role } from "@/auth/rbac";
import { FieldError, FormField } from "@/components/common/form-field";
import { RolePicker } from "@/components/roles/role-picker";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { useApi } from "@/hooks/use-api";
import { useRbac } from "@/hooks/use-rbac";

const SECONDS_PER_DAY = 86_400;
export const EXPIRY_CHOICES = [
  { value: "never", label: "Never", days: null },
  { value: "30", label: "30 days", days: 30 },
  { value: "90", label: "90 days", days: 90 },
  { value: "365", label: "1 year", days: 365 },
] as const;

/** `expire_time` for a choice: Unix seconds `days` from `nowMs`, or null for no expiry. */
export function expireTimeFor(days: number | null, nowMs: number = Date.now()): number | null {
  return days === null ? null : Math.floor(nowMs / 1000) + days * SECONDS_PER_DAY;
}

interface FieldErrors {
  name?: string;
  description?: string;
  roles?: string;
}

function validate(name: string, description: string, roles: string[]): FieldErrors {
  const errors: FieldErrors = {};
  if (!name) errors.name = "Enter a name.";
  else if (name.length > KEY_NAME_MAX) errors.name = `Use at most ${KEY_NAME_MAX} characters.`;
  if (description.length > KEY_DESCRIPTION_MAX) errors.description = `Use at most ${KEY_DESCRIPTION_MAX} characters.`;
  if (roles.length === 0) errors.roles = "Choose at least one role.";
  return errors;
}

/** Creates a key bound to the active tenant, with roles no higher than the caller's; hands the secret up once. */
export function CreateKeyForm({ onCreated }: { onCreated: (created: CreatedAccessKey) => void }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const { canGrant } = useRbac();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [expiry, setExpiry] = useState<string>("90");
  const [roles, setRoles] = useState<string[]>(() => (canGrant(Role.VIEWER) ? [Role.VIEWER] : []));
  const [errors, setErrors] = useState<FieldErrors>({});

  const create = useMutation({
    mutationFn: (body: AccessKeyCreate) => createKey(api, body),
    onSuccess: (created) => {
      toast.success(`Created key “${created.key.name}”`);
      onCreated(created);
      setName("");
      setDescription("");
      void queryClient.invalidateQueries({ queryKey: keyKeys.all });
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    const found = validate(trimmed, description, roles);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const days = EXPIRY_CHOICES.find((choice) => choice.value === expiry)?.days ?? null;
    create.mutate({
      name: trimmed,
      description: description || undefined,
      expire_time: expireTimeFor(days),
      role_names: roles,
    });
  };

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-4" data-testid="create-key-form">
      <div className="grid gap-4 md:grid-cols-3">
        <FormField id="key-name" label="Name" error={errors.name}>
          {(control) => <Input {...control} value={name} onChange={(event) => setName(event.target.value)} />}
        </FormField>
        <FormField id="key-description" label="Description (optional)" error={errors.description}>
          {(control) => <Input {...control} value={description} onChange={(event) => setDescription(event.target.value)} />}
        </FormField>
        <div className="grid gap-2">
          <Label htmlFor="key-expiry">Expires</Label>
          <Select value={expiry} onValueChange={setExpiry}>
            <SelectTrigger id="key-expiry" className="w-full">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              {EXPIRY_CHOICES.map((choice) => (
                <SelectItem key={choice.value} value={choice.value}>
                  {choice.label}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </div>
      </div>
      <div className="grid gap-2">
        <span className="text-sm font-medium">Roles</span>
        <RolePicker idPrefix="key" value={roles} onChange={setRoles} disabled={create.isPending} />
        <FieldError>{errors.roles}</FieldError>
      </div>
      <Button type="submit" disabled={create.isPending} className="w-fit">
        <PlusIcon aria-hidden="true" />
        Create key
      </Button>
    </form>
  );
}
