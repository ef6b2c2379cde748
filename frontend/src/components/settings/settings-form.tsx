import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";

import {
  attributeKeys,
  MAX_MEMBERS_RANGE,
  PLAN_TIERS,
  updateTenantSettings,
  type AttributeUpdate,
  type PlanTier,
  type TenantSettings,
} from "@/api/attributes";
import { Permission } from "@/auth/rbac";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { useApi } from "@/hooks/use-api";
import { useRbac } from "@/hooks/use-rbac";

/** The problem with a max-members entry, or null when the API will accept it (an integer in range). */
export function validateMaxMembers(raw: string): string | null {
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isInteger(value)) return "Enter a whole number.";
  if (value < MAX_MEMBERS_RANGE.min || value > MAX_MEMBERS_RANGE.max)
    return `Enter a number from ${MAX_MEMBERS_RANGE.min} to ${MAX_MEMBERS_RANGE.max}.`;
  return null;
}

function isPlanTier(value: unknown): value is PlanTier {
  return PLAN_TIERS.includes(value as PlanTier);
}

/** Edits plan tier (billing.manage) and max members (settings.manage), each saved on its own. */
export function SettingsForm({ settings }: { settings: TenantSettings }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const { hasPermission } = useRbac();
  const canBill = hasPermission(Permission.BILLING_MANAGE);
  const storedTier = settings.custom_attributes.plan_tier;
  const [tier, setTier] = useState<string>(isPlanTier(storedTier) ? storedTier : "free");
  const [maxMembers, setMaxMembers] = useState(String(settings.custom_attributes.max_members ?? ""));
  const [maxError, setMaxError] = useState<string | null>(null);

  const save = useMutation({
    mutationFn: (update: AttributeUpdate) => updateTenantSettings(api, update),
    onSuccess: (_result, update) => {
      toast.success(update.key === "plan_tier" ? "Plan tier saved" : "Max members saved");
      void queryClient.invalidateQueries({ queryKey: attributeKeys.settings });
    },
  });

  const saveMaxMembers = (event: FormEvent) => {
    event.preventDefault();
    const problem = validateMaxMembers(maxMembers);
    setMaxError(problem);
    if (!problem) save.mutate({ key: "max_members", value: Number(maxMembers) });
  };

  return (
    <div className="flex flex-col gap-6">
      <div className="grid gap-2">
        <Label htmlFor="plan-tier">Plan tier</Label>
        <div className="flex flex-wrap items-center gap-2">
          <Select value={tier} onValueChange={setTier} disabled={!canBill}>
            <SelectTrigger id="plan-tier" className="w-48" data-testid="plan-tier">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              {PLAN_TIERS.map((name) => (
                <SelectItem key={name} value={name}>
                  {name}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
          {canBill && (
            <Button
              variant="outline"
              disabled={save.isPending || tier === storedTier}
              onClick={() => save.mutate({ key: "plan_tier", value: tier })}
            >
              Save plan
            </Button>
          )}
        </div>
        {!canBill && <p className="text-sm text-muted-foreground">Changing the plan needs the billing.manage permission (owners).</p>}
      </div>
      <form onSubmit={saveMaxMembers} noValidate className="grid gap-2">
        <Label htmlFor="max-members">Max members</Label>
        <div className="flex flex-wrap items-center gap-2">
          <Input
            id="max-members"
            type="number"
            inputMode="numeric"
            min={MAX_MEMBERS_RANGE.min}
            max={MAX_MEMBERS_RANGE.max}
            value={maxMembers}
            onChange={(event) => setMaxMembers(event.target.value)}
            aria-invalid={Boolean(maxError)}
            aria-describedby={maxError ? "max-members-error" : undefined}
            className="w-48"
          />
          <Button type="submit" variant="outline" disabled={save.isPending}>
            Save limit
          </Button>
        </div>
        {maxError && (
          <p id="max-members-error" className="text-sm text-destructive">
            {maxError}
          </p>
        )}
      </form>
    </div>
  );
}
