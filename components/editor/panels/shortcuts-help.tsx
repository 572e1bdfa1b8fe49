"use client";

import { Dialog } from "../../ui/dialog";
import { SHORTCUTS } from "../use-shortcuts";

export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose} testId="shortcuts-help" className="w-[28rem]">
      <div className="overflow-y-auto px-5 pt-2 pb-5">
        <table className="w-full text-sm">
          <caption className="sr-only">Keys and what they do</caption>
          <tbody>
            {SHORTCUTS.map(([keys, what]) => (
              <tr key={keys} className="border-t border-slate-100">
                <th scope="row" className="py-1.5 pr-3 text-left font-normal whitespace-nowrap">
                  <kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 py-0.5 font-mono text-[11px]">
                    {keys}
                  </kbd>
                </th>
                <td className="py-1.5 text-slate-700">{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Dialog>
  );
}
