import { BuildingIcon } from "lucide-react";

import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";

/** Shown on tenant-scoped pages when the token has no active tenant (`dct`). */
export function NoTenant() {
  return (
    <Alert data-testid="no-tenant">
      <BuildingIcon />
      <AlertTitle>No active tenant</AlertTitle>
      <AlertDescription>Select a tenant in the header, or ask a tenant owner to invite you.</AlertDescription>
    </Alert>
  );
}
