// Small formatting helpers shared by the records views. Pure.

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** The attachment limit in whole (or one-decimal) megabytes, for "File too large (limit N MB)". */
export function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return Number.isInteger(mb) ? String(mb) : mb.toFixed(1);
}

/** Stored "YYYY-MM-DD HH:MM:SS" (UTC) → the value of an <input type="datetime-local">. */
export function toDateTimeInput(stored: string): string {
  return stored ? stored.replace(" ", "T") : "";
}

/** An <input type="datetime-local"> value (read as UTC) → the stored format. */
export function fromDateTimeInput(value: string): string {
  if (!value) return "";
  const [date, time = "00:00"] = value.split("T");
  const full = time.length === 5 ? `${time}:00` : time.slice(0, 8);
  return `${date} ${full}`;
}

/** Initials for an avatar: "Beth Anglin" → "BA". */
export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0], parts[parts.length - 1]] : [parts[0] ?? "?"];
  return letters
    .map((p) => (p ?? "?").charAt(0).toUpperCase())
    .join("")
    .slice(0, 2);
}
