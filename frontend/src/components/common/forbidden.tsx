import { ShieldAlertIcon } from "lucide-react";
import { Link } from "react-router";

import { Button } from "@/components/ui/button";

/** The 403 page: shown when the UI gate or the API says the active tenant does not grant access. */
export function Forbidden({ detail }: { detail?: string | undefined }) {
  return (
    <section className="flex flex-col items-center gap-4 py-16 text-center" data-testid="forbidden">
      <ShieldAlertIcon className="size-12 text-muted-foreground" aria-hidden="true" />
      <h1 className="text-2xl font-semibold">403 — Access denied</h1>
      <p className="max-w-md text-sm text-muted-foreground">
        {detail ?? "Your role in the active tenant does not allow this page."} Ask an owner or admin of the tenant if you
        need access, or switch tenants.
      </p>
      <Button asChild variant="outline">
        <Link to="/">Back to the dashboard</Link>
      </Button>
    </section>
  );
}
