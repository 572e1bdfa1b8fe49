"use client";

import { AlertDialog } from "radix-ui";
import type { ReactNode } from "react";
import { buttonClass } from "./button";
import { useReturnFocus } from "./return-focus";

/**
 * A modal confirmation on Radix's AlertDialog: focus is trapped inside and starts on Cancel (the
 * safe choice), Escape cancels, and focus goes back to the button that opened it. Clicking the
 * backdrop does not dismiss it, as an alert dialog asks for an explicit answer.
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  busy = false,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const returnFocus = useReturnFocus(open);
  return (
    <AlertDialog.Root
      open={open}
      onOpenChange={(next) => {
        if (!next && !busy) onCancel();
      }}
    >
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="fixed inset-0 z-50 bg-slate-900/40" />
        <AlertDialog.Content
          data-testid="confirm-dialog"
          onCloseAutoFocus={returnFocus}
          // Without a body there is nothing to describe the dialog with.
          {...(children ? {} : { "aria-describedby": undefined })}
          className="fixed top-1/2 left-1/2 z-50 w-full max-w-sm -translate-x-1/2 -translate-y-1/2 rounded-lg border border-slate-200 bg-white shadow-xl outline-none"
        >
          <div className="p-5">
            <AlertDialog.Title className="text-base font-semibold text-slate-900">{title}</AlertDialog.Title>
            {children ? (
              <AlertDialog.Description asChild>
                <div className="mt-2 text-sm text-slate-600">{children}</div>
              </AlertDialog.Description>
            ) : null}
          </div>
          <div className="flex justify-end gap-2 border-t border-slate-100 bg-slate-50 px-5 py-3">
            <AlertDialog.Cancel className={buttonClass("secondary")} disabled={busy}>
              Cancel
            </AlertDialog.Cancel>
            {/* Not AlertDialog.Action: that closes at once, and the dialog stays while the work runs. */}
            <button type="button" className={buttonClass("destructive")} onClick={onConfirm} disabled={busy}>
              {busy ? "Working…" : confirmLabel}
            </button>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
