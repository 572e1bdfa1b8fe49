import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { WireMessage } from "../protocol/wire-schema";
import { InboundAcceptor } from "../queue/inbound/accept";
import { SqliteStorage } from "../storage/sqlite";
import { SyncConfig } from "../sync/config-store";
import { SecretBox } from "../sync/secrets";
import { openDatabase } from "./client";
import { WalSync } from "./wal-sync";

// What the receiver promises (SPEC 3.9): it answers 200 only once an accepted batch survives
// power loss. The commit itself no longer syncs; the WAL's fsync runs off the event loop and the
// accept waits for it. A held-open fsync stands in for a slow disk.
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function fileDb() {
  const dir = fs.mkdtempSync(path.join(process.env.TANDEM_TEST_DATA_ROOT ?? os.tmpdir(), "tandem-walsync-"));
  dirs.push(dir);
  return openDatabase({ file: path.join(dir, "instance.db") });
}

/** An fsync the test releases by hand, counting the syncs it was asked for. */
function heldFsync() {
  const waiting: Array<{ files: string[]; release: () => void; fail: (e: Error) => void }> = [];
  const fsync = (files: string[]) =>
    new Promise<void>((release, fail) => {
      waiting.push({ files, release, fail });
    });
  return { fsync, waiting };
}

const settled = async (p: Promise<unknown>) => {
  let done = false;
  void p.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  await new Promise((r) => setImmediate(r));
  return done;
};

const message = (id: string): WireMessage => ({
  id,
  process_event: "e",
  operation: "create",
  sender_correlation_id: `lane-${id}`,
  receiver_correlation_id: null,
  lane_sequence: 1,
  payload: { short_description: id },
});

describe("WalSync", () => {
  it("syncs the WAL file, and a sync asked for while one runs waits for the next one", async () => {
    const db = fileDb();
    db.$client.exec("CREATE TABLE t (a)");
    const held = heldFsync();
    const wal = new WalSync(db.$client, held.fsync);
    const first = wal.sync();
    // Two callers whose commits landed after the first fsync started: they share one more.
    const second = wal.sync();
    const third = wal.sync();
    expect(held.waiting).toHaveLength(1);
    expect(held.waiting[0]?.files[0]).toBe(`${db.$client.name}-wal`);
    held.waiting[0]?.release();
    await first;
    expect(await settled(second)).toBe(false);
    expect(held.waiting).toHaveLength(2);
    held.waiting[1]?.release();
    await Promise.all([second, third]);
    expect(held.waiting).toHaveLength(2);
  });

  it("syncs a real file without a test seam", async () => {
    const db = fileDb();
    db.$client.exec("CREATE TABLE t (a)");
    db.$client.prepare("INSERT INTO t VALUES (1)").run();
    await expect(new WalSync(db.$client).sync()).resolves.toBeUndefined();
  });

  // Opening and closing the WAL around every fsync cost two more trips through the thread pool.
  it("keeps one descriptor of the WAL open across syncs, and lets it go on close", async () => {
    const db = fileDb();
    db.$client.exec("CREATE TABLE t (a)");
    const wal = `${db.$client.name}-wal`;
    const walDescriptors = () =>
      fs.readdirSync("/proc/self/fd").filter((fd) => {
        try {
          return fs.readlinkSync(`/proc/self/fd/${fd}`) === wal;
        } catch {
          return false; // closed meanwhile (the readdir's own descriptor)
        }
      }).length;
    const sqliteOwn = walDescriptors(); // SQLite's own
    const sync = new WalSync(db.$client);
    for (let i = 0; i < 3; i++) {
      db.$client.prepare("INSERT INTO t VALUES (?)").run(i);
      await sync.sync();
      expect(walDescriptors()).toBe(sqliteOwn + 1);
    }
    await sync.close();
    expect(walDescriptors()).toBe(sqliteOwn);
    // a sync after close opens it again
    await sync.sync();
    expect(walDescriptors()).toBe(sqliteOwn + 1);
    await sync.close();
  });
});

describe("inbound accept and durability", () => {
  async function receiver() {
    const db = fileDb();
    const storage = new SqliteStorage(db.$client);
    const config = new SyncConfig(storage, SecretBox.forTests());
    const remote = await config.createRemote({ name: "alpha", baseUrl: "http://localhost:1" });
    const held = heldFsync();
    let woken = 0;
    storage.signals.listen("inbound", () => woken++);
    const acceptor = new InboundAcceptor(storage, new WalSync(db.$client, held.fsync));
    const stored = () =>
      db.$client.prepare<[], { n: number }>("SELECT count(*) AS n FROM inbound_queue").get()?.n ?? 0;
    return { remote, held, acceptor, stored, woken: () => woken };
  }

  it("answers only after the WAL is synced, while the worker may already start", async () => {
    const r = await receiver();
    const answer = r.acceptor.accept(r.remote.id, [message("m1"), message("m2")], "global");
    // Committed (a crash keeps it) but not yet synced: no answer yet.
    expect(r.stored()).toBe(2);
    expect(await settled(answer)).toBe(false);
    expect(r.woken()).toBe(1);
    r.held.waiting[0]?.release();
    const results = await answer;
    expect(results.map((m) => m.status)).toEqual(["accepted", "accepted"]);
  });

  it("fails the answer when the sync fails, so the sender sends again and dedup keeps one copy", async () => {
    const r = await receiver();
    const answer = r.acceptor.accept(r.remote.id, [message("m1")], "global");
    r.held.waiting[0]?.fail(Object.assign(new Error("EIO: i/o error, fsync"), { code: "EIO" }));
    await expect(answer).rejects.toThrow(/fsync/);
    const again = r.acceptor.accept(r.remote.id, [message("m1")], "global");
    r.held.waiting[1]?.release();
    expect((await again).map((m) => m.status)).toEqual(["duplicate"]);
    expect(r.stored()).toBe(1);
  });
});
