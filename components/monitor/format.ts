// Small display helpers for times and durations in the monitors and the dashboard.

export function formatTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  const d = new Date(ms);
  const today = new Date();
  const sameDay = d.toDateString() === today.toDateString();
  return sameDay
    ? d.toLocaleTimeString([], { hour12: false })
    : d.toLocaleString([], {
        hour12: false,
        month: "short",
        day: "numeric",
        hour: "2-digit",
        minute: "2-digit",
      });
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/** "Next attempt at 2026-…Z" from the server reads better in local time. */
export function localizeWaiting(text: string | null): string | null {
  if (!text) return text;
  return text.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/, (iso) => formatTime(Date.parse(iso)));
}
