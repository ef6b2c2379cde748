import { useMutation, useQueryClient } from "@tanstack/react-query";
import { PlusIcon } from "lucide-react";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";

import { createResource, RESOURCE_DESCRIPTION_MAX, RESOURCE_NAME_MAX, tenantKeys, type ResourceCreate } from "@/api/tenants";
import { FormField } from "@/components/common/form-field";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { useApi } from "@/hooks/use-api";

type FieldErrors = Partial<Record<keyof ResourceCreate, string>>;

/** The API's rules (functions/tenants), checked before sending so most mistakes never leave the page. */
export function validateResource(input: ResourceCreate): FieldErrors {
  const errors: FieldErrors = {};
  const name = input.name.trim();
  if (!name) errors.name = "Enter a name.";
  else if (name.length > RESOURCE_NAME_MAX) errors.name = `Use at most ${RESOURCE_NAME_MAX} characters.`;
  if (input.description.length > RESOURCE_DESCRIPTION_MAX)
    errors.description = `Use at most ${RESOURCE_DESCRIPTION_MAX} characters.`;
  return errors;
}

export function CreateResourceForm({ tenantId }: { tenantId: string }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});

  const create = useMutation({
    mutationFn: (body: ResourceCreate) => createResource(api, tenantId, body),
    onSuccess: (resource) => {
      toast.success(`Created “${resource.name}”`);
      setName("");
      setDescription("");
      void queryClient.invalidateQueries({ queryKey: tenantKeys.resources(tenantId) });
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = { name: name.trim(), description };
    const found = validateResource(body);
    setErrors(found);
    if (Object.keys(found).length === 0) create.mutate(body);
  };

  return (
    <form onSubmit={submit} noValidate className="grid gap-4 md:grid-cols-[1fr_2fr_auto] md:items-start" data-testid="create-resource-form">
      <FormField id="resource-name" label="Name" error={errors.name}>
        {(control) => <Input {...control} value={name} onChange={(event) => setName(event.target.value)} />}
      </FormField>
      <FormField id="resource-description" label="Description" error={errors.description}>
        {(control) => <Textarea {...control} rows={1} value={description} onChange={(event) => setDescription(event.target.value)} />}
      </FormField>
      <Button type="submit" disabled={create.isPending} className="md:mt-6">
        <PlusIcon aria-hidden="true" />
        Create resource
      </Button>
    </form>
  );
}
