"use client";

import { DropdownMenu as M } from "radix-ui";
import type { ReactElement, ReactNode } from "react";

/**
 * A menu button on Radix's DropdownMenu: Enter, Space or ArrowDown opens it, the arrows (and
 * typing a letter) move between items, Escape closes it and focus returns to the button. The
 * menu is named by its button (aria-labelledby).
 */
export function Menu({
  trigger,
  children,
  testId,
  align = "end",
}: {
  /** The button that opens the menu (one element; it receives aria-haspopup and aria-expanded). */
  trigger: ReactElement;
  children: ReactNode;
  testId?: string;
  align?: "start" | "center" | "end";
}) {
  return (
    <M.Root modal={false}>
      <M.Trigger asChild>{trigger}</M.Trigger>
      <M.Portal>
        <M.Content
          data-testid={testId}
          align={align}
          sideOffset={4}
          className="z-50 min-w-44 rounded border border-slate-200 bg-white py-1 text-sm text-slate-800 shadow-lg"
        >
          {children}
        </M.Content>
      </M.Portal>
    </M.Root>
  );
}

const itemClass =
  "flex w-full cursor-default items-center gap-2 px-3 py-1.5 text-left outline-none select-none data-[disabled]:text-slate-400 data-[highlighted]:bg-slate-100";

export function MenuItem({
  children,
  onSelect,
  testId,
  asChild,
  disabled,
}: {
  children: ReactNode;
  onSelect?: (event: Event) => void;
  testId?: string;
  /** Render the child element (a link, a submit button) as the item. */
  asChild?: boolean;
  disabled?: boolean;
}) {
  return (
    <M.Item
      asChild={asChild}
      onSelect={onSelect}
      data-testid={testId}
      disabled={disabled}
      className={itemClass}
    >
      {children}
    </M.Item>
  );
}

export function MenuLabel({ children }: { children: ReactNode }) {
  return <M.Label className="px-3 py-1.5 text-xs text-slate-600">{children}</M.Label>;
}

export function MenuSeparator() {
  return <M.Separator className="my-1 h-px bg-slate-100" />;
}
