"use client";

import { createContext, type ReactNode, useContext } from "react";
import { useStore } from "zustand";
import { createStore, type StoreApi } from "zustand/vanilla";

// The live canvas's figures, beside the editor store rather than in it: they change on every
// run while the page is open, and only the badges that read them (by node id) re-render.

export interface NodeFigures {
  runs: number;
  errors: number;
  p95Ms: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
}

export interface Overlay {
  flowId: string;
  version: number;
  /** Where a node's error count links to (the queue the flow's runs come from), if any. */
  queue: "inbound" | "outbound" | null;
  nodes: Record<string, NodeFigures>;
  /** Runs that left a node by a port, keyed `nodeId:port`. */
  ports: Record<string, number>;
}

interface OverlayState {
  overlay: Overlay | null;
  set(overlay: Overlay | null): void;
}

export type OverlayStore = StoreApi<OverlayState>;

export const createOverlayStore = (): OverlayStore =>
  createStore<OverlayState>((set) => ({ overlay: null, set: (overlay) => set({ overlay }) }));

const Context = createContext<OverlayStore | null>(null);

export function OverlayProvider({ store, children }: { store: OverlayStore; children: ReactNode }) {
  return <Context.Provider value={store}>{children}</Context.Provider>;
}

const none: OverlayStore = createOverlayStore();

/** The overlay (null when the canvas is not a live monitor, e.g. in the executions view). */
export function useOverlay<T>(select: (o: Overlay | null) => T): T {
  const store = useContext(Context) ?? none;
  return useStore(store, (s) => select(s.overlay));
}
