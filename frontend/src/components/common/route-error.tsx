import { AlertTriangleIcon } from "lucide-react";
import { useRouteError } from "react-router";

import { Button } from "@/components/ui/button";

/** Shown when a page throws while rendering, e.g. an API answer of an unexpected shape. */
export function RouteError() {
  const error = useRouteError();
  return (
    <section className="flex flex-col items-center gap-4 py-16 text-center" role="alert" data-testid="route-error">
      <AlertTriangleIcon className="size-12 text-muted-foreground" aria-hidden="true" />
      <h1 className="text-2xl font-semibold">Something went wrong</h1>
      <p className="max-w-md text-sm text-muted-foreground">
        {error instanceof Error ? error.message : "This page could not be shown."}
      </p>
      <Button variant="outline" onClick={() => window.location.reload()}>
        Reload
      </Button>
    </section>
  );
}
