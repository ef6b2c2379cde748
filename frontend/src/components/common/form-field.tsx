import type * as React from "react";

import { Label } from "@/components/ui/label";
import { cn } from "@/lib/utils";

/** What a field hands its control so the label and the error message are announced with it. */
export interface FieldControlProps {
  id: string;
  "aria-invalid": boolean;
  "aria-describedby": string | undefined;
}

/** A validation message under a control; renders nothing while there is no message. */
export function FieldError({ className, children, ...props }: React.ComponentProps<"p">) {
  if (!children) return null;
  return (
    <p data-slot="field-error" className={cn("text-sm text-destructive", className)} {...props}>
      {children}
    </p>
  );
}

interface FormFieldProps extends Omit<React.ComponentProps<"div">, "children"> {
  /** The control's id; the error message gets `<id>-error`. */
  id: string;
  label: React.ReactNode;
  error?: string;
  /** Renders the control (Input, Textarea, …) with the id and ARIA wiring spread onto it. */
  children: (control: FieldControlProps) => React.ReactNode;
}

/** Label, control and validation message, wired so assistive technology reads the message with the control. */
export function FormField({ id, label, error, className, children, ...props }: FormFieldProps) {
  const errorId = `${id}-error`;
  return (
    <div data-slot="form-field" className={cn("grid gap-2", className)} {...props}>
      <Label htmlFor={id}>{label}</Label>
      {children({ id, "aria-invalid": Boolean(error), "aria-describedby": error ? errorId : undefined })}
      <FieldError id={errorId}>{error}</FieldError>
    </div>
  );
}
