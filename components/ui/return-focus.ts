"use client";

import { useCallback, useLayoutEffect, useRef } from "react";

/**
 * Radix returns focus to a dialog's Trigger on close; our dialogs are opened by plain buttons
 * (or a shortcut) with no Trigger, so focus would fall to <body>. This remembers what had focus
 * when the dialog opened and gives it back; pass the result as `onCloseAutoFocus`.
 */
export function useReturnFocus(open: boolean): (event: Event) => void {
  const opener = useRef<HTMLElement | null>(null);
  // A layout effect runs before Radix moves focus into the dialog (its portal mounts afterwards).
  useLayoutEffect(() => {
    if (open && document.activeElement instanceof HTMLElement && document.activeElement !== document.body) {
      opener.current = document.activeElement;
    }
  }, [open]);
  return useCallback((event: Event) => {
    const target = opener.current;
    opener.current = null;
    if (target?.isConnected) {
      event.preventDefault();
      target.focus();
    }
  }, []);
}
