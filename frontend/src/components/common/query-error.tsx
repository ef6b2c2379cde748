import { AlertCircleIcon } from "lucide-react";

import { ApiError, isForbidden } from "@/api/errors";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

import { Forbidden } from "./forbidden";

/** A failed load: the 403 page when the API refused, otherwise the problem with a retry button. */
export function QueryError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  if (isForbidden(error)) return <Forbidden detail={(error as ApiError).detail} />;
  const title = error instanceof ApiError ? error.title : "Could not load this data";
  const detail = error instanceof ApiError ? error.detail : undefined;
  return (
    <Alert variant="destructive" data-testid="query-error">
      <AlertCircleIcon />
      <AlertTitle>{title}</AlertTitle>
      <AlertDescription>
        {detail && <span>{detail}</span>}
        {onRetry && (
          <Button variant="outline" size="sm" onClick={onRetry}>
            Try again
          </Button>
        )}
      </AlertDescription>
    </Alert>
  );
}
