"use client";

import { ToggleGroup } from "radix-ui";
import { focusRing } from "../ui/button";

// The dashboard chart's time window: one of three, picked like radio buttons (arrow keys move
// between them). The server buckets each window (server/queue/dashboard.ts).

export type ChartWindow = "1h" | "24h" | "7d";

export const windowLabels: Record<ChartWindow, string> = {
  "1h": "last hour",
  "24h": "last 24 h",
  "7d": "last 7 days",
};

const short: Record<ChartWindow, string> = { "1h": "1 h", "24h": "24 h", "7d": "7 d" };

export function WindowPicker({
  value,
  onChange,
}: {
  value: ChartWindow;
  onChange: (w: ChartWindow) => void;
}) {
  return (
    <div className="flex items-center gap-2 text-xs text-slate-600">
      <span id="chart-window-label">Chart window</span>
      <ToggleGroup.Root
        type="single"
        value={value}
        // Clicking the pressed item would clear the choice; a window is always chosen.
        onValueChange={(v) => v && onChange(v as ChartWindow)}
        aria-labelledby="chart-window-label"
        data-testid="chart-window"
        className="inline-flex rounded border border-slate-300 bg-white"
      >
        {(Object.keys(short) as ChartWindow[]).map((w) => (
          <ToggleGroup.Item
            key={w}
            value={w}
            aria-label={windowLabels[w]}
            data-testid={`chart-window-${w}`}
            className={`px-2.5 py-1 font-medium text-slate-700 first:rounded-l last:rounded-r hover:bg-slate-50 data-[state=on]:bg-brand-700 data-[state=on]:text-white ${focusRing}`}
          >
            {short[w]}
          </ToggleGroup.Item>
        ))}
      </ToggleGroup.Root>
    </div>
  );
}
