"use client";

import { useEffect } from "react";
import { create } from "zustand";

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
  useEffect(() => {
    const timer = setTimeout(() => dismiss(item.id), item.kind === "error" ? 8000 : 4000);
    return () => clearTimeout(timer);
  }, [item, dismiss]);
  const tone =
    item.kind === "success"
      ? "border-brand-500 bg-white text-slate-800"
      : "border-red-500 bg-red-50 text-red-900";
  return (
    <div
      data-testid={`toast-${item.kind}`}
      className={`pointer-events-auto flex items-start gap-3 rounded border-l-4 px-4 py-3 text-sm shadow-lg ${tone}`}
    >
      <p className="flex-1">{item.message}</p>
      <button
        type="button"
        onClick={() => dismiss(item.id)}
        className="text-slate-400 hover:text-slate-700"
        aria-label="Dismiss"
      >
        ×
      </button>
    </div>
  );
}

export function Toaster() {
  const toasts = useToasts((s) => s.toasts);
  return (
    <div
      aria-live="polite"
      data-testid="toaster"
      className="pointer-events-none fixed right-4 bottom-4 z-50 flex w-80 flex-col gap-2"
    >
      {toasts.map((t) => (
        <ToastItem key={t.id} item={t} />
      ))}
    </div>
  );
}
