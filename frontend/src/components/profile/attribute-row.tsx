import { useMutation, useQueryClient } from "@tanstack/react-query";
import { PencilIcon } from "lucide-react";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";

import { attributeKeys, updateProfile, type AttributeValue } from "@/api/attributes";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { TableCell, TableRow } from "@/components/ui/table";
import { useApi } from "@/hooks/use-api";

import { validateProfileAttribute, type ProfileAttributeKey } from "./attribute-rules";

interface AttributeRowProps {
  attribute: ProfileAttributeKey;
  label: string;
  value: AttributeValue | undefined;
}

/** One custom attribute with inline edit: Save validates, then PATCHes `{key, value}`. */
export function AttributeRow({ attribute, label, value }: AttributeRowProps) {
  const api = useApi();
  const queryClient = useQueryClient();
  const current = value === null || value === undefined ? "" : String(value);
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const inputId = `attribute-${attribute}`;

  const save = useMutation({
    mutationFn: (next: string) => updateProfile(api, { key: attribute, value: next }),
    onSuccess: () => {
      toast.success(`${label} saved`);
      setDraft(null);
      void queryClient.invalidateQueries({ queryKey: attributeKeys.profile });
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = (draft ?? "").trim();
    const problem = validateProfileAttribute(attribute, next);
    setError(problem);
    if (!problem) save.mutate(next);
  };

  return (
    <TableRow data-testid={`attribute-${attribute}`}>
      <TableCell className="w-40 align-top font-medium">
        <label htmlFor={inputId}>{label}</label>
      </TableCell>
      <TableCell className="whitespace-normal">
        {draft === null ? (
          <div className="flex items-center justify-between gap-2">
            <span className={current ? "break-all" : "text-muted-foreground"}>{current || "Not set"}</span>
            <Button variant="ghost" size="sm" onClick={() => setDraft(current)} aria-label={`Edit ${label}`}>
              <PencilIcon aria-hidden="true" />
              Edit
            </Button>
          </div>
        ) : (
          <form onSubmit={submit} noValidate className="flex flex-col gap-2">
            <div className="flex flex-wrap items-center gap-2">
              <Input
                id={inputId}
                value={draft}
                onChange={(event) => setDraft(event.target.value)}
                aria-invalid={Boolean(error)}
                aria-describedby={error ? `${inputId}-error` : undefined}
                className="max-w-md flex-1"
                autoFocus
              />
              <Button type="submit" size="sm" disabled={save.isPending}>
                Save
              </Button>
              <Button
                type="button"
                variant="outline"
                size="sm"
                onClick={() => {
                  setDraft(null);
                  setError(null);
                }}
              >
                Cancel
              </Button>
            </div>
            {error && (
              <p id={`${inputId}-error`} className="text-sm text-destructive">
                {error}
              </p>
            )}
          </form>
        )}
      </TableCell>
    </TableRow>
  );
}
