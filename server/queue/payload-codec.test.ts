import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import {
  decodePayload,
  encodePayload,
  payloadSysIdSql,
  plainPayloadIncludes,
  registerPayloadSql,
  storePayload,
} from "./payload-codec";

const origin = "0bc4598ce0e943548f675beb5ea40e90";
const field = (key: string, value: string, display = value, counter = 1) => ({
  key,
  value,
  display_value: display,
  changed: counter > 0,
  clock: { counter, origin: counter > 0 ? origin : "" },
});

/** A ten-field incident create as capture builds it (server/capture/payload.ts). */
function created() {
  return {
    capture_metadata: {
      changed_by: "admin",
      timestamp: "2026-12-04T18:11:12.759Z",
      capture_definition: "Hardware incidents",
      operation: "create",
      source_table: "incident",
      sys_id: "295361b59cd8404380f53103277d7a48",
    },
    changed_fields: [
      field("sys_id", "295361b59cd8404380f53103277d7a48", "295361b59cd8404380f53103277d7a48", 0),
      field("short_description", "Printer on fire"),
      field("description", "", "", 0),
      field("state", "1", "New"),
      field("impact", "3", "3 - Low"),
      field("urgency", "3", "3 - Low"),
      field("category", "inquiry", "Inquiry / Help"),
      field("assignment_group", "e588b52a56d64304a92977fcfe0c897e", "Hardware"),
      field("caller", "", "", 0),
      { ...field("sys_class_name", "incident", "Incident", 0), changed: false },
    ],
    journal_entries: [] as unknown[],
    attachment_metadata: [] as unknown[],
  };
}

const roundTrip = (p: unknown) => decodePayload(encodePayload(p));

describe("queue payload codec", () => {
  it("gives back a captured create exactly, key order included, in under 0.4× the plain JSON", () => {
    const p = created();
    expect(JSON.stringify(roundTrip(p))).toBe(JSON.stringify(p));
    expect(encodePayload(p).startsWith("[")).toBe(true);
    expect(encodePayload(p).length).toBeLessThan(0.4 * JSON.stringify(p).length);
  });

  it("keeps previous values, journal entries, attachments and removals of an update", () => {
    const p = created();
    p.capture_metadata.operation = "update";
    const fields = p.changed_fields.map((f) => ({ ...f, previous_value: f.key === "state" ? "2" : f.value }));
    const q = {
      ...p,
      changed_fields: [...fields.slice(0, -1), p.changed_fields.at(-1)],
      journal_entries: [
        {
          element: "comments",
          value: "Smoke, 0",
          created_by: "alice",
          created_on: "2026-12-04 18:00:00",
          entry_id: "j1",
        },
      ],
      attachment_metadata: [
        { key: "k1", hash: "sha256:ab", file_name: "log.txt", content_type: "text/plain", size_bytes: 12 },
        { key: "", hash: "sha256:cd", file_name: "old.png", content_type: "", size_bytes: 0, deleted: true },
      ],
    };
    expect(encodePayload(q).startsWith("[")).toBe(true);
    expect(JSON.stringify(roundTrip(q))).toBe(JSON.stringify(q));
  });

  it("stores anything that is not exactly a captured payload as plain JSON, unchanged", () => {
    const extraKey = { ...created(), note: "from a partner's own tool" };
    const { sys_id, ...rest } = created().capture_metadata;
    const reordered = { ...created(), capture_metadata: { sys_id, ...rest } };
    const numberValue = created();
    (numberValue.changed_fields[1] as { value: unknown }).value = 42;
    const displayZero = created();
    (displayZero.changed_fields[1] as { display_value: unknown }).display_value = 0;
    const odd = created();
    (odd.attachment_metadata as unknown[]).push({
      key: "k",
      hash: "h",
      file_name: "f",
      content_type: "c",
      size_bytes: "9",
    });
    for (const p of [extraKey, reordered, numberValue, displayZero, odd, { anything: ["a", 1] }, {}]) {
      expect(encodePayload(p)).toBe(JSON.stringify(p));
      expect(roundTrip(p)).toEqual(p);
    }
  });

  it("reads rows written as plain JSON before packing", () => {
    const p = created();
    expect(decodePayload(JSON.stringify(p))).toEqual(p);
  });

  it("gives SQL the record's sys_id from every form, deflated included", () => {
    const db = new Database(":memory:");
    registerPayloadSql(db);
    db.exec("CREATE TABLE q (payload TEXT)");
    db.prepare("INSERT INTO q VALUES (?), (?), (?)").run(
      encodePayload(created()),
      JSON.stringify(created()),
      storePayload(created(), "sqlite"),
    );
    const ids = db.prepare(`SELECT ${payloadSysIdSql()} AS id FROM q`).all() as Array<{ id: string }>;
    expect(ids.map((r) => r.id)).toEqual(Array(3).fill("295361b59cd8404380f53103277d7a48"));
    const found = db.prepare(
      "SELECT count(*) AS n FROM q WHERE tandem_payload(payload) LIKE '%Printer on fire%'",
    );
    expect(found.get()).toEqual({ n: 3 });
    db.close();
  });

  describe("as a queue row stores it", () => {
    it("deflates a captured payload on SQLite to about a third of its packed text, and reads it back exactly", () => {
      const p = created();
      const stored = storePayload(p, "sqlite");
      expect(stored).toBeInstanceOf(Uint8Array);
      expect(stored.length).toBeLessThan(encodePayload(p).length * 0.36);
      expect(JSON.stringify(decodePayload(stored))).toBe(JSON.stringify(p));
      // survives a real SQLite column (declared text: a BLOB stays a BLOB)
      const db = new Database(":memory:");
      db.exec("CREATE TABLE q (payload TEXT NOT NULL)");
      db.prepare("INSERT INTO q VALUES (?)").run(stored);
      const back = db.prepare("SELECT payload, typeof(payload) AS t FROM q").get() as {
        payload: Buffer;
        t: string;
      };
      expect(back.t).toBe("blob");
      expect(JSON.stringify(decodePayload(back.payload))).toBe(JSON.stringify(p));
      db.close();
    });

    it("keeps the packed text on PostgreSQL, and plain JSON as text on both", () => {
      expect(storePayload(created(), "postgres")).toBe(encodePayload(created()));
      const instruction = { changed_fields: [], initial_sync: { job: "j1" } };
      for (const dialect of ["sqlite", "postgres"] as const) {
        const stored = storePayload(instruction, dialect);
        expect(stored).toBe(JSON.stringify(instruction));
        expect(plainPayloadIncludes(stored, '"initial_sync"')).toBe(true);
      }
      expect(plainPayloadIncludes(storePayload(created(), "sqlite"), '"')).toBe(false);
    });

    it("refuses a stored value naming a dictionary it does not know, saying so", () => {
      const stored = storePayload(created(), "sqlite") as Uint8Array;
      const unknown = Uint8Array.from(stored);
      unknown[0] = 200;
      expect(() => decodePayload(unknown)).toThrow(/dictionary 200, which this version does not know/);
    });
  });
});
