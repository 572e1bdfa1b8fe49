import { formatTime } from "../monitor/format";

// Last 24 hours as SVG bars (processed, errors stacked on top). Hand-drawn: one chart with two
// series does not justify a chart library.

interface Hour {
  start: number;
  processed: number;
  errors: number;
}

export function HourChart({ title, hours, testId }: { title: string; hours: Hour[]; testId?: string }) {
  const max = Math.max(1, ...hours.map((h) => h.processed + h.errors));
  const w = 24;
  const height = 96;
  const total = hours.reduce((s, h) => s + h.processed, 0);
  const errors = hours.reduce((s, h) => s + h.errors, 0);
  return (
    <figure data-testid={testId} className="rounded-lg border border-slate-200 bg-white p-4">
      <figcaption className="mb-2 flex items-baseline justify-between text-sm">
        <span className="font-semibold text-slate-800">{title}</span>
        <span className="text-xs text-slate-500">
          {total} processed · {errors} errors · last 24 h
        </span>
      </figcaption>
      <svg
        viewBox={`0 0 ${hours.length * w} ${height + 14}`}
        className="h-32 w-full"
        preserveAspectRatio="none"
        role="img"
      >
        <title>{`${title}: processed and failed rows per hour over the last 24 hours`}</title>
        {hours.map((h, i) => {
          const ph = (h.processed / max) * height;
          const eh = (h.errors / max) * height;
          return (
            <g key={h.start}>
              <title>{`${formatTime(h.start)}: ${h.processed} processed, ${h.errors} errors`}</title>
              <rect x={i * w + 3} y={height - ph} width={w - 6} height={ph} className="fill-brand-500" />
              <rect x={i * w + 3} y={height - ph - eh} width={w - 6} height={eh} className="fill-red-500" />
              {i % 6 === 0 ? (
                <text x={i * w + 2} y={height + 12} className="fill-slate-400 text-[9px]">
                  {new Date(h.start).getHours()}:00
                </text>
              ) : null}
            </g>
          );
        })}
        <line x1={0} x2={hours.length * w} y1={height} y2={height} className="stroke-slate-200" />
      </svg>
    </figure>
  );
}
