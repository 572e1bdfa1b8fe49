/** "YYYY-MM-DD HH:MM:SS" in UTC: the date-time format of the Table API. */
export function toGlideDateTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace("T", " ");
}

/** Accepts the Table API format or ISO 8601; returns the Table API format or null. */
export function parseDateTime(value: string): string | null {
  const text = value.trim();
  const glide = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text) ? `${text.replace(" ", "T")}Z` : text;
  const ms = Date.parse(glide);
  return Number.isNaN(ms) ? null : toGlideDateTime(new Date(ms));
}

export type Clock = () => Date;
export const systemClock: Clock = () => new Date();
