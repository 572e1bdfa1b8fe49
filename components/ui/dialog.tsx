"use client";

import { Dialog as D } from "radix-ui";
import type { ReactNode } from "react";
import { focusRing } from "./button";
import { useReturnFocus } from "./return-focus";

/**
 * A modal dialog on Radix: focus trapped inside, Escape and the backdrop close it, focus returns
 * to where it was, and the title names it for screen readers. Rendered open by its parent (mount
 * it while it should show), so callers keep their `{open && <X onClose=… />}` shape.
 */
export function Dialog({
  title = "",
  description,
  onClose,
  children,
  testId,
  className = "w-[32rem]",
  header = true,
}: {
  title?: string;
  /** One line under the title; also the dialog's accessible description. */
  description?: ReactNode;
  onClose: () => void;
  children: ReactNode;
  testId?: string;
  /** Size of the panel (width, height). */
  className?: string;
  /** False when the content draws its own heading with DialogTitle (and DialogDescription). */
  header?: boolean;
}) {
  const returnFocus = useReturnFocus(true);
  return (
    <D.Root open onOpenChange={(open) => !open && onClose()}>
      <D.Portal>
        <D.Overlay className="fixed inset-0 z-40 bg-slate-900/40" />
        <D.Content
          data-testid={testId}
          onCloseAutoFocus={returnFocus}
          {...(description || !header ? {} : { "aria-describedby": undefined })}
          className={`fixed top-1/2 left-1/2 z-40 flex max-h-[calc(100vh-3rem)] max-w-[calc(100vw-3rem)] -translate-x-1/2 -translate-y-1/2 flex-col rounded-lg bg-white shadow-xl outline-none ${className}`}
        >
          {header ? (
            <div className="flex items-start justify-between gap-3 px-5 pt-4">
              <div>
                <D.Title className="text-base font-semibold text-slate-900">{title}</D.Title>
                {description ? (
                  <D.Description className="text-[12px] text-slate-600">{description}</D.Description>
                ) : null}
              </div>
              <D.Close
                aria-label="Close"
                className={`rounded px-1 text-slate-500 hover:text-slate-800 ${focusRing}`}
              >
                ✕
              </D.Close>
            </div>
          ) : null}
          {children}
        </D.Content>
      </D.Portal>
    </D.Root>
  );
}

/** Closes the surrounding dialog (as a Cancel button, say). */
export const DialogClose = D.Close;
export const DialogTitle = D.Title;
export const DialogDescription = D.Description;
