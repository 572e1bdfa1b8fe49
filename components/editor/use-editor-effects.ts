"use client";

import { useMutation } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { useTRPC } from "../trpc/client";
import type { EditorStore } from "./store/editor-store";

export type SaveStatus = "saved" | "saving" | "unsaved" | "error";

const SAVE_DELAY_MS = 800;
const COMPILE_DELAY_MS = 200;

/** Recompiles shortly after each change: diagnostics follow the user without slowing a drag. */
export function useLiveCompile(store: EditorStore): void {
  useEffect(() => {
    store.getState().compile();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = store.subscribe((s, prev) => {
      if (s.revision === prev.revision) return;
      clearTimeout(timer);
      timer = setTimeout(() => store.getState().compile(), COMPILE_DELAY_MS);
    });
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, [store]);
}

/** Debounced draft autosave; `flush` saves now (before publish, test run or leaving). */
export function useAutosave(
  store: EditorStore,
  flowId: string,
): { status: SaveStatus; flush: () => Promise<void> } {
  const trpc = useTRPC();
  const save = useMutation(trpc.flows.saveDraft.mutationOptions());
  const [status, setStatus] = useState<SaveStatus>("saved");
  const savedRevision = useRef(store.getState().revision);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const { mutateAsync } = save;

  const flush = useCallback(async () => {
    clearTimeout(timer.current);
    const { revision } = store.getState();
    if (revision === savedRevision.current) return;
    setStatus("saving");
    try {
      await mutateAsync({ id: flowId, graph: store.getState().graph() });
      savedRevision.current = revision;
      setStatus(store.getState().revision === revision ? "saved" : "unsaved");
    } catch {
      setStatus("error");
    }
  }, [store, flowId, mutateAsync]);

  useEffect(() => {
    const unsubscribe = store.subscribe((s, prev) => {
      if (s.revision === prev.revision || s.readOnly) return;
      setStatus("unsaved");
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void flush(), SAVE_DELAY_MS);
    });
    const warn = (e: BeforeUnloadEvent) => {
      if (store.getState().revision !== savedRevision.current) e.preventDefault();
    };
    window.addEventListener("beforeunload", warn);
    return () => {
      unsubscribe();
      window.removeEventListener("beforeunload", warn);
    };
  }, [store, flush]);

  return { status, flush };
}
