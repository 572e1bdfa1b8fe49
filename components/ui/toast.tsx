"use client";

import { Toast as T } from "radix-ui";
import { create } from "zustand";
import { focusRing } from "./button";

export interface Toast {
  id: number;
  kind: "success" | "error";
  message: string;
}

interface ToastState {
  toasts: Toast[];
  push: (kind: Toast["kind"], message: string) => void;
  dismiss: (id: number) => void;
}

let nextId = 1;

export const useToasts = create<ToastState>((set) => ({
  toasts: [],
  push: (kind, message) => set((s) => ({ toasts: [...s.toasts.slice(-3), { id: nextId++, kind, message }] })),
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));

/** Shows a short confirmation (or failure) at the bottom right. */
export function toast(kind: Toast["kind"], message: string): void {
  useToasts.getState().push(kind, message);
}

function ToastItem({ item }: { item: Toast }) {
  const dismiss = useToasts((s) => s.dismiss);
  const tone =
    item.kind === "success"
      ? "border-brand-500 bg-white text-slate-800"
      : "border-red-500 bg-red-50 text-red-900";
  return (
    // Radix announces the toast (errors assertively), pauses its timer while hovered or focused,
    // closes it on Escape or a swipe, and F8 moves focus to the toasts.
    <T.Root
      data-testid={`toast-${item.kind}`}
      type={item.kind === "error" ? "foreground" : "background"}
      duration={item.kind === "error" ? 8000 : 4000}
      onOpenChange={(open) => !open && dismiss(item.id)}
      className={`pointer-events-auto flex items-start gap-3 rounded border-l-4 px-4 py-3 text-sm shadow-lg ${tone}`}
    >
      <T.Description className="flex-1">{item.message}</T.Description>
      <T.Close
        aria-label="Dismiss"
        className={`rounded px-1 text-slate-500 hover:text-slate-800 ${focusRing}`}
      >
        ×
      </T.Close>
    </T.Root>
  );
}

export function Toaster() {
  const toasts = useToasts((s) => s.toasts);
  return (
    <T.Provider swipeDirection="right" label="Notification">
      {toasts.map((t) => (
        <ToastItem key={t.id} item={t} />
      ))}
      <T.Viewport
        data-testid="toaster"
        className="pointer-events-none fixed right-4 bottom-4 z-50 flex w-80 flex-col gap-2 outline-none"
      />
    </T.Provider>
  );
}
