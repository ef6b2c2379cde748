import { LoaderCircleIcon } from "lucide-react";

/** Centered spinner with a message, for the moments before the app shell exists. */
export function FullPageStatus({ message }: { message: string }) {
  return (
    <div className="flex min-h-svh items-center justify-center gap-2 text-sm text-muted-foreground" role="status">
      <LoaderCircleIcon className="size-4 animate-spin" aria-hidden="true" />
      {message}
    </div>
  );
}
