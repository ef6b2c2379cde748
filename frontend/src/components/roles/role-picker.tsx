import { Checkbox } from "@/components/ui/checkbox";
import { Label } from "@/components/ui/label";
import { useRbac } from "@/hooks/use-rbac";

interface RolePickerProps {
  /** Prefix for element ids, unique on the page. */
  idPrefix: string;
  value: string[];
  onChange: (roles: string[]) => void;
  /** Descriptions by role name, e.g. from GET /api/roles. */
  descriptions?: Record<string, string>;
  disabled?: boolean;
}

/** Checkboxes for the roles the caller may grant: none ranked above their own, `owner` only for owners. */
export function RolePicker({ idPrefix, value, onChange, descriptions = {}, disabled }: RolePickerProps) {
  const { grantableRoles } = useRbac();
  const toggle = (role: string, checked: boolean) =>
    onChange(checked ? [...value.filter((r) => r !== role), role] : value.filter((r) => r !== role));

  if (grantableRoles.length === 0) {
    return <p className="text-sm text-muted-foreground">You cannot grant any role in this tenant.</p>;
  }
  return (
    <fieldset className="flex flex-wrap gap-4" data-testid={`${idPrefix}-roles`}>
      <legend className="sr-only">Roles</legend>
      {grantableRoles.map((role) => {
        const id = `${idPrefix}-role-${role}`;
        return (
          <div key={role} className="flex items-center gap-2">
            <Checkbox
              id={id}
              checked={value.includes(role)}
              onCheckedChange={(checked) => toggle(role, checked === true)}
              disabled={disabled}
            />
            <Label htmlFor={id} title={descriptions[role]}>
              {role}
            </Label>
          </div>
        );
      })}
    </fieldset>
  );
}
