import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "./client";

// Issue 13: a database whose schema is newer than the code is refused at start with a clear
// error, and the file is left as it was.

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tempFile(): string {
  const dir = fs.mkdtempSync(path.join(process.env.TANDEM_TEST_DATA_ROOT ?? os.tmpdir(), "tandem-db-"));
  dirs.push(dir);
  return path.join(dir, "tandem.db");
}

describe("openDatabase", () => {
  it("opens a database it migrated itself again, unchanged", () => {
    const file = tempFile();
    openDatabase({ file }).$client.close();
    const db = openDatabase({ file });
    expect(db.$client.prepare("SELECT count(*) AS n FROM __drizzle_migrations").get()).toEqual({
      n: JSON.parse(fs.readFileSync("drizzle/meta/_journal.json", "utf8")).entries.length,
    });
    db.$client.close();
  });

  it("refuses a database a newer version migrated, saying what to do, and changes nothing", () => {
    const file = tempFile();
    const first = openDatabase({ file });
    const later = Date.now() + 86_400_000;
    first.$client
      .prepare("INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('from-a-newer-version', ?)")
      .run(later);
    first.$client.close();
    const before = fs.readFileSync(file);
    expect(() => openDatabase({ file })).toThrow(
      /has a newer schema than this version of Tandem.*Start the newer version of Tandem, or restore a backup/,
    );
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });
});
