"use client";

import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";

// Rows finished per bucket (processed, and errors stacked on top) on recharts: axes, a tooltip
// with the values on hover and from the keyboard, and the same figures as a table for screen
// readers.

interface Bucket {
  start: number;
  processed: number;
  errors: number;
}

const hourMs = 3_600_000;

function tickLabel(start: number, bucketMs: number): string {
  const d = new Date(start);
  if (bucketMs >= hourMs * 4)
    return d.toLocaleString([], { weekday: "short", hour: "2-digit", hour12: false });
  return d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", hour12: false });
}

function bucketLabel(start: number, bucketMs: number): string {
  const from = new Date(start);
  const to = new Date(start + bucketMs);
  const time = (d: Date) => d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", hour12: false });
  const day = from.toLocaleDateString([], { month: "short", day: "numeric" });
  return `${day} ${time(from)}–${time(to)}`;
}

export function HourChart({
  title,
  hours,
  testId,
  bucketMs = hourMs,
  windowLabel = "last 24 h",
}: {
  title: string;
  /** Buckets oldest first (hourly unless bucketMs says otherwise). */
  hours: Bucket[];
  testId?: string;
  bucketMs?: number;
  windowLabel?: string;
}) {
  const total = hours.reduce((s, h) => s + h.processed, 0);
  const errors = hours.reduce((s, h) => s + h.errors, 0);
  return (
    <figure data-testid={testId} className="rounded-lg border border-slate-200 bg-white p-4">
      <figcaption className="mb-2 flex items-baseline justify-between text-sm">
        <span className="font-semibold text-slate-800">{title}</span>
        <span className="text-xs text-slate-600" data-testid={testId ? `${testId}-totals` : undefined}>
          {total} processed · {errors} errors · {windowLabel}
        </span>
      </figcaption>
      {/* Focus the chart and use the arrow keys to move the tooltip from bar to bar; screen readers
          also get the figures as the table below. */}
      <div className="h-44 w-full">
        <BarChart
          responsive
          data={hours}
          style={{ width: "100%", height: "100%" }}
          margin={{ top: 4, right: 4, bottom: 0, left: -16 }}
          title={`${title}, ${windowLabel}`}
          desc="Bar chart of rows processed and failed per period; arrow keys move between bars."
        >
          <CartesianGrid vertical={false} stroke="#e2e8f0" />
          <XAxis
            dataKey="start"
            tickFormatter={(v: number) => tickLabel(v, bucketMs)}
            tick={{ fontSize: 10, fill: "#475569" }}
            minTickGap={24}
            stroke="#cbd5e1"
          />
          <YAxis allowDecimals={false} tick={{ fontSize: 10, fill: "#475569" }} stroke="#cbd5e1" width={40} />
          <Tooltip
            labelFormatter={(v) => bucketLabel(Number(v), bucketMs)}
            cursor={{ fill: "#f1f5f9" }}
            contentStyle={{ fontSize: 12, borderRadius: 4, borderColor: "#e2e8f0" }}
            isAnimationActive={false}
          />
          <Legend iconSize={8} wrapperStyle={{ fontSize: 11 }} />
          <Bar dataKey="processed" name="Processed" stackId="rows" fill="#14b8a6" isAnimationActive={false} />
          <Bar dataKey="errors" name="Errors" stackId="rows" fill="#dc2626" isAnimationActive={false} />
        </BarChart>
      </div>
      <table className="sr-only">
        <caption>{`${title}: rows processed and failed, ${windowLabel}`}</caption>
        <thead>
          <tr>
            <th scope="col">Period</th>
            <th scope="col">Processed</th>
            <th scope="col">Errors</th>
          </tr>
        </thead>
        <tbody>
          {hours
            .filter((h) => h.processed + h.errors > 0)
            .map((h) => (
              <tr key={h.start}>
                <th scope="row">{bucketLabel(h.start, bucketMs)}</th>
                <td>{h.processed}</td>
                <td>{h.errors}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </figure>
  );
}
