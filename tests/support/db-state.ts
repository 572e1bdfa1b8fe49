import { createHash } from "node:crypto";
import Database from "better-sqlite3";

// A fingerprint of an instance's business state (records, queues, correlations, configuration,
// flows…), read straight from its SQLite file, so a test can prove that refused requests
// changed nothing. Bookkeeping that a refusal may legitimately write is left out: the audit
// log (throttled sign-ins are logged there), sessions, sign-in throttling and migrations.

const bookkeeping = [
  /^audit/,
  /session/,
  /throttl/,
  /sign_?in/,
  /login/,
  /attempt/,
  /auth_?fail/,
  /^__drizzle/,
  /^sqlite_/,
];

export interface DbState {
  /** One hash over every business table. */
  hash: string;
  /** Per table: row count and content hash, to say what changed. */
  tables: Record<string, { rows: number; hash: string }>;
}

export function businessTables(dbFile: string): string[] {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all()
      .map((t) => t.name)
      .filter((name) => !bookkeeping.some((re) => re.test(name)));
  } finally {
    db.close();
  }
}

export function dbState(dbFile: string, exclude: readonly string[] = []): DbState {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const names = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all()
      .map((t) => t.name)
      .filter((name) => !bookkeeping.some((re) => re.test(name)) && !exclude.includes(name));
    const total = createHash("sha256");
    const tables: DbState["tables"] = {};
    // One read transaction, so every table is seen at the same instant.
    db.transaction(() => {
      for (const name of names) {
        const rows = db
          .prepare(`SELECT * FROM "${name.replaceAll('"', '""')}"`)
          .raw()
          .all()
          .map((row) => JSON.stringify(row, (_k, v) => (Buffer.isBuffer(v) ? v.toString("hex") : v)))
          .sort();
        const hash = createHash("sha256").update(rows.join("\n")).digest("hex");
        tables[name] = { rows: rows.length, hash };
        total.update(`${name}:${hash}\n`);
      }
    })();
    return { hash: total.digest("hex"), tables };
  } finally {
    db.close();
  }
}

/** "inbound_queue 12 → 13 rows; record changed" — what differs between two states. */
export function describeChange(before: DbState, after: DbState): string {
  const names = new Set([...Object.keys(before.tables), ...Object.keys(after.tables)]);
  const changes: string[] = [];
  for (const name of names) {
    const a = before.tables[name];
    const b = after.tables[name];
    if (a?.hash === b?.hash) continue;
    changes.push(
      a?.rows === b?.rows
        ? `${name} changed (${b?.rows} rows)`
        : `${name} ${a?.rows ?? 0} → ${b?.rows ?? 0} rows`,
    );
  }
  return changes.join("; ") || "no change";
}
