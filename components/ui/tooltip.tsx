"use client";

import { Tooltip as T } from "radix-ui";
import type { ReactElement, ReactNode } from "react";

/**
 * Shows a short hint beside its child (one focusable element) on hover and on keyboard focus,
 * which a `title` attribute never does; Escape hides it. The hint is not the child's name: an
 * icon button still needs its own aria-label.
 */
export function Tip({
  label,
  children,
  side = "bottom",
}: {
  label: ReactNode;
  children: ReactElement;
  side?: "top" | "right" | "bottom" | "left";
}) {
  return (
    <T.Root>
      <T.Trigger asChild>{children}</T.Trigger>
      <T.Portal>
        <T.Content
          side={side}
          sideOffset={4}
          className="z-50 max-w-xs rounded bg-slate-900 px-2 py-1 text-xs text-white shadow"
        >
          {label}
          <T.Arrow className="fill-slate-900" />
        </T.Content>
      </T.Portal>
    </T.Root>
  );
}

/** One per page shell, so moving between tooltips shows the next at once. */
export function TipProvider({ children }: { children: ReactNode }) {
  return <T.Provider delayDuration={400}>{children}</T.Provider>;
}
