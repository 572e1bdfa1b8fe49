"use client";

import { useReactFlow } from "@xyflow/react";
import { useEffect } from "react";
import { parseClipboard } from "./store/clipboard";
import type { EditorStore } from "./store/editor-store";

export const SHORTCUTS: Array<[string, string]> = [
  ["Ctrl/⌘ Z", "Undo"],
  ["Ctrl/⌘ Shift Z, Ctrl Y", "Redo"],
  ["Ctrl/⌘ C / X / V", "Copy, cut, paste nodes (also into another flow)"],
  ["Ctrl/⌘ D", "Duplicate selection"],
  ["Ctrl/⌘ A", "Select all nodes"],
  ["Shift/Ctrl click, Shift drag", "Add to selection, box-select"],
  ["Delete / Backspace", "Delete the selection"],
  ["L", "Auto-layout"],
  ["F", "Fit the flow in view"],
  ["Ctrl/⌘ S", "Save the draft now"],
  ["Esc", "Clear the selection"],
  ["?", "Show this help"],
];

// The system clipboard needs a permission to read; our own copy is kept here so paste works in
// any tab of this browser, including another flow's editor.
const CLIPBOARD_KEY = "tandem.flow-clipboard";

const typing = (t: EventTarget | null) =>
  t instanceof HTMLElement && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName));

export function useShortcuts(store: EditorStore, actions: { save: () => void; help: () => void }): void {
  const flow = useReactFlow();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (typing(e.target) || e.altKey) return;
      const s = store.getState();
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      const copy = () => {
        const data = s.copySelection();
        if (!data) return false;
        const text = JSON.stringify(data);
        localStorage.setItem(CLIPBOARD_KEY, text);
        navigator.clipboard?.writeText(text).catch(() => undefined);
        return true;
      };
      let handled = true;
      if (mod && key === "z" && !e.shiftKey) s.undo();
      else if (mod && (key === "y" || (key === "z" && e.shiftKey))) s.redo();
      else if (mod && key === "s") actions.save();
      else if (key === "?" || (e.shiftKey && key === "/")) actions.help();
      else if (s.readOnly) handled = false;
      else if (mod && key === "c") handled = copy();
      else if (mod && key === "x") {
        if (copy()) s.removeSelected();
      } else if (mod && key === "v") {
        const data = parseClipboard(localStorage.getItem(CLIPBOARD_KEY) ?? "");
        if (data) s.paste(data);
      } else if (mod && key === "d") {
        const data = s.copySelection();
        if (data) s.paste(data);
      } else if (mod && key === "a") s.selectAll();
      else if (!mod && key === "l") s.layout();
      else if (!mod && key === "f") void flow.fitView({ padding: 0.15, duration: 200 });
      else if (key === "escape") s.select([]);
      else handled = false;
      if (handled) e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [store, flow, actions]);
}
