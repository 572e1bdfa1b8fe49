import type { ReactNode } from "react";
import { focusRing } from "./button";

/** A control's look without its width, for inline controls (filters). */
export const controlClass = `block rounded border border-slate-300 bg-white px-2.5 py-1.5 text-sm text-slate-900 shadow-xs placeholder:text-slate-400 disabled:bg-slate-100 disabled:text-slate-500 aria-[invalid=true]:border-red-500 ${focusRing}`;

export const inputClass = `${controlClass} w-full`;

/** A labelled form control with its help and error text tied to it for screen readers. */
export function Field({
  id,
  label,
  mandatory,
  error,
  hint,
  children,
}: {
  id: string;
  label: string;
  mandatory?: boolean;
  error?: string | null;
  hint?: string;
  children: ReactNode;
}) {
  return (
    <div data-testid={`field-${id}`} className="flex flex-col gap-1">
      <div className="flex items-baseline gap-0.5 text-xs font-medium text-slate-600">
        {/* Outside the label, so the field's name stays its label; aria-required says it to screen readers. */}
        {mandatory ? (
          <span aria-hidden="true" className="text-red-600" title="Mandatory">
            *
          </span>
        ) : null}
        <label htmlFor={id}>{label}</label>
      </div>
      {children}
      {error ? (
        <p id={`${id}-error`} data-testid={`field-error-${id}`} className="text-xs text-red-700" role="alert">
          {error}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
