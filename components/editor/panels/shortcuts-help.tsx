"use client";

import { SHORTCUTS } from "../use-shortcuts";

export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: the backdrop closes on click; Escape is handled by the dialog
    // biome-ignore lint/a11y/useKeyWithClickEvents: see above
    <div className="fixed inset-0 z-40 flex items-center justify-center bg-slate-900/40" onClick={onClose}>
      <div
        role="dialog"
        aria-label="Keyboard shortcuts"
        data-testid="shortcuts-help"
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => e.key === "Escape" && onClose()}
        className="w-[28rem] rounded-lg bg-white p-5 shadow-xl"
      >
        <div className="mb-3 flex items-center justify-between">
          <h2 className="text-base font-semibold text-slate-900">Keyboard shortcuts</h2>
          <button
            type="button"
            onClick={onClose}
            aria-label="Close"
            className="text-slate-400 hover:text-slate-700"
          >
            ✕
          </button>
        </div>
        <table className="w-full text-sm">
          <tbody>
            {SHORTCUTS.map(([keys, what]) => (
              <tr key={keys} className="border-t border-slate-100">
                <td className="py-1.5 pr-3 whitespace-nowrap">
                  <kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 py-0.5 font-mono text-[11px]">
                    {keys}
                  </kbd>
                </td>
                <td className="py-1.5 text-slate-700">{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
