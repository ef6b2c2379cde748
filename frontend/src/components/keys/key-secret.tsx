import { CheckIcon, CopyIcon, KeyRoundIcon } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";

import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

/** The new key's secret, shown once: the API never returns it again. */
export function KeySecret({ name, secret, onDismiss }: { name: string; secret: string; onDismiss: () => void }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(true);
    } catch {
      toast.error("Could not copy", { description: "Select the secret and copy it by hand." });
    }
  };
  return (
    <Alert data-testid="key-secret">
      <KeyRoundIcon />
      <AlertTitle>Secret for “{name}”</AlertTitle>
      <AlertDescription>
        <span>Copy it now: it is shown only once and cannot be retrieved later.</span>
        <code className="block w-full rounded bg-muted p-2 font-mono text-xs break-all text-foreground" data-testid="key-secret-value">
          {secret}
        </code>
        <div className="flex gap-2">
          <Button size="sm" variant="outline" onClick={() => void copy()}>
            {copied ? <CheckIcon aria-hidden="true" /> : <CopyIcon aria-hidden="true" />}
            {copied ? "Copied" : "Copy secret"}
          </Button>
          <Button size="sm" variant="ghost" onClick={onDismiss}>
            I have stored it
          </Button>
        </div>
      </AlertDescription>
    </Alert>
  );
}
