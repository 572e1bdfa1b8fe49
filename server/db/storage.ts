import fs from "node:fs";

/**
 * What the storage under an instance can throw, in one place. Measured on a full tmpfs:
 * better-sqlite3 throws `SqliteError` with `code` "SQLITE_FULL" ("database or disk is full"), a
 * WAL or journal write that runs short may surface as "SQLITE_IOERR_*" instead, and attachment
 * files fail with Node's "ENOSPC" (or "EDQUOT" on a quota). Another writer holding the lock past
 * `busy_timeout` gives "SQLITE_BUSY*" / "SQLITE_LOCKED*".
 *   full — no space: refuse with 503 + Retry-After, retry later, report it on /api/health
 *   busy — the database is locked for a moment: retry soon
 *   io   — any other I/O error of the storage: retry later (it may be the disk filling)
 */
export type StorageProblem = "full" | "busy" | "io";

export function storageProblem(error: unknown): StorageProblem | null {
  for (let e: unknown = error, depth = 0; e && depth < 4; depth++) {
    const code = typeof e === "object" ? (e as { code?: unknown }).code : undefined;
    if (typeof code === "string") {
      if (code === "SQLITE_FULL" || code === "ENOSPC" || code === "EDQUOT") return "full";
      if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) return "busy";
      if (code.startsWith("SQLITE_IOERR") || code === "EIO") return "io";
    }
    e = typeof e === "object" ? (e as { cause?: unknown }).cause : undefined;
  }
  return null;
}

/** Seconds a caller should wait before trying again, per problem. */
export const retryAfterSeconds: Record<StorageProblem, number> = { full: 10, busy: 1, io: 5 };

export const storageMessage: Record<StorageProblem, { message: string; detail: string }> = {
  full: {
    message: "Storage full",
    detail: "The instance's data folder has no space left; nothing was stored. Retry later.",
  },
  busy: { message: "Database busy", detail: "The database is locked for a moment; retry shortly." },
  io: { message: "Storage error", detail: "The instance could not write to its data folder; retry later." },
};

/** Free bytes below which the data folder counts as full even before a write failed. */
const LOW_WATER_BYTES = 1024 * 1024;
/** Space that must come back after a failure before the folder counts as usable again. */
const RECOVERED_BYTES = 2 * 1024 * 1024;
/**
 * A noted failure counts this long: while the folder stays full, retried writes (workers, peers)
 * keep noting it; a one-off I/O error on a roomy disk must not leave health degraded for good.
 */
const NOTE_MS = 30_000;

interface FullNote {
  at: number;
  problem: "full" | "io";
  freeBytes: number | null;
}

/**
 * Remembers the last "storage full" seen by any part of the process (REST mapping, workers), so
 * /api/health can report it. Kept on globalThis: Next.js may load server modules in more than one
 * bundle, and the health route must see what the wire handler noted.
 */
const state = globalThis as typeof globalThis & {
  __tandemStorageFull?: FullNote | null;
  __tandemDataDir?: string;
};

export function watchDataDir(dir: string): void {
  state.__tandemDataDir = dir;
}

export function noteStorageError(error: unknown): StorageProblem | null {
  const problem = storageProblem(error);
  if (problem === "full" || problem === "io")
    state.__tandemStorageFull = { at: Date.now(), problem, freeBytes: freeBytes(state.__tandemDataDir) };
  return problem;
}

/**
 * Problems of the data folder for /api/health: "storage full" while it is nearly full or a write
 * just failed for want of space ("storage error" for other I/O failures), until space comes back
 * or the failure is older than NOTE_MS.
 */
export function storageProblems(dir = state.__tandemDataDir, now = Date.now()): string[] {
  const free = freeBytes(dir);
  const note = state.__tandemStorageFull;
  if (note) {
    const recovered = free !== null && note.freeBytes !== null && free >= note.freeBytes + RECOVERED_BYTES;
    if (recovered || now - note.at > NOTE_MS) state.__tandemStorageFull = null;
  }
  const current = state.__tandemStorageFull;
  if ((free !== null && free < LOW_WATER_BYTES) || current?.problem === "full") return ["storage full"];
  if (current) return ["storage error"];
  return [];
}

/** Forgets noted failures (tests). */
export function resetStorageNotes(): void {
  state.__tandemStorageFull = null;
}

function freeBytes(dir: string | undefined): number | null {
  if (!dir) return null;
  try {
    const s = fs.statfsSync(dir);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}
