import { createHash, randomBytes } from "node:crypto";
import type { Readable } from "node:stream";
import { expect, it } from "vitest";
import type { ContentStore } from "./content-store";

// The ContentStore's behaviour, written once and run on every implementation (issue 13): the
// files store and the database store on SQLite (content-store.test.ts), the database store on
// a real PostgreSQL server (tests/integration/storage-seam.test.ts).

export interface ContentStoreFixture {
  store: ContentStore;
  /** Everything the store holds: files (temp ones too) or rows (staged ones too). */
  pieces(): Promise<number>;
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

async function readAll(stream: Readable): Promise<{ bytes: Buffer; chunks: number }> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(Buffer.from(chunk as Uint8Array));
  return { bytes: Buffer.concat(parts), chunks: parts.length };
}

/** `bytes` as an upload delivers it: in pieces of uneven size. */
async function* pieces(bytes: Uint8Array, size = 7_919): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.slice(at, at + size);
}

export function contentStoreContract(fresh: () => Promise<ContentStoreFixture>): void {
  it("round-trips an empty file and a 1-byte file", async () => {
    const { store } = await fresh();
    for (const bytes of [Buffer.alloc(0), Buffer.from([0x2a])]) {
      const stored = await store.write(pieces(bytes), 1_000);
      expect(stored).toEqual({ hash: sha256(bytes), sizeBytes: bytes.length });
      expect(await store.has(stored.hash)).toBe(true);
      expect((await readAll(store.read(stored.hash))).bytes.equals(bytes)).toBe(true);
    }
  });

  it("round-trips a multi-chunk file byte for byte, streamed back in pieces", async () => {
    const { store } = await fresh();
    const bytes = randomBytes(Math.round(1.3 * 1024 * 1024));
    const stored = await store.write(pieces(bytes), 2 * 1024 * 1024);
    expect(stored).toEqual({ hash: sha256(bytes), sizeBytes: bytes.length });
    const back = await readAll(store.read(stored.hash));
    expect(back.bytes.equals(bytes)).toBe(true);
    expect(back.chunks).toBeGreaterThan(1);
    // a whole Uint8Array body works as well, and is the same content
    expect(await store.write(bytes, bytes.length)).toEqual(stored);
  });

  it("stores equal content once", async () => {
    const { store, pieces: count } = await fresh();
    const bytes = randomBytes(300 * 1024);
    const first = await store.write(pieces(bytes), bytes.length);
    const held = await count();
    const second = await store.write(pieces(bytes, 65_536), bytes.length);
    expect(second).toEqual(first);
    expect(await count()).toBe(held);
    expect((await readAll(store.read(first.hash))).bytes.equals(bytes)).toBe(true);
  });

  it("stores equal content once when two uploads of it run at the same time", async () => {
    const { store, pieces: count } = await fresh();
    const bytes = randomBytes(600 * 1024);
    const both = await Promise.all([0, 1, 2].map(() => store.write(pieces(bytes, 32_768), bytes.length)));
    expect(new Set(both.map((s) => s.hash))).toEqual(new Set([sha256(bytes)]));
    const held = await count();
    await store.remove(sha256(bytes));
    expect(await count()).toBe(0);
    expect(held).toBeGreaterThan(0);
    expect(await store.write(pieces(bytes), bytes.length)).toEqual(both[0]);
    expect(await count()).toBe(held); // what the three left is one copy, nothing staged
  });

  it("refuses (413) past maxBytes and keeps nothing, also after several chunks arrived", async () => {
    const { store, pieces: count } = await fresh();
    const cases: [size: number, max: number][] = [
      [1_800, 1_000],
      [1024 * 1024, 600 * 1024],
    ];
    for (const [size, max] of cases) {
      const bytes = randomBytes(size);
      await expect(store.write(pieces(bytes, 600), max)).rejects.toMatchObject({
        status: 413,
        message: "Attachment too large",
      });
      expect(await store.has(sha256(bytes))).toBe(false);
      expect(await count()).toBe(0);
    }
    // exactly the limit is fine
    const bytes = randomBytes(1_000);
    expect((await store.write(pieces(bytes, 600), 1_000)).sizeBytes).toBe(1_000);
  });

  it("removes content; has() and a reader of a missing hash tell it is gone", async () => {
    const { store, pieces: count } = await fresh();
    const bytes = randomBytes(600 * 1024);
    const { hash } = await store.write(pieces(bytes), bytes.length);
    await store.remove(hash);
    expect(await store.has(hash)).toBe(false);
    expect(await count()).toBe(0);
    await store.remove(hash); // nothing left to remove: no error
    await expect(readAll(store.read(hash))).rejects.toMatchObject({ code: "ENOENT" });
    const unknown = sha256(Buffer.from("never stored"));
    expect(await store.has(unknown)).toBe(false);
    await expect(readAll(store.read(unknown))).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("sweeps what an interrupted upload left, once old, and never complete content", async () => {
    const { store, pieces: count } = await fresh();
    const kept = await store.write(Buffer.from("kept"), 100);
    const held = await count();
    // An upload that stops halfway: its process died, as far as the store can tell.
    let resume!: () => void;
    const paused = new Promise<void>((resolve) => {
      resume = resolve;
    });
    const bytes = randomBytes(700 * 1024);
    let sent = 0;
    const body = (async function* () {
      for await (const piece of pieces(bytes, 64 * 1024)) {
        yield piece;
        sent += piece.length;
        if (sent === 6 * 64 * 1024) await paused;
      }
    })();
    const upload = store.write(body, bytes.length);
    for (let i = 0; i < 200 && (await count()) === held; i++) await new Promise((r) => setTimeout(r, 5));
    expect(await count()).toBeGreaterThan(held); // its first chunk (or temp file) is stored
    expect(await store.has(sha256(bytes))).toBe(false);

    expect(await store.sweep(60_000)).toBe(0); // young: it may still be going on
    expect(await store.sweep(60_000, Date.now() + 120_000)).toBeGreaterThan(0);
    expect(await count()).toBe(held);
    expect(await store.has(kept.hash)).toBe(true);

    // Were it still alive after all, it fails instead of storing a file with a hole in it.
    resume();
    await expect(upload).rejects.toThrow();
    expect(await store.has(sha256(bytes))).toBe(false);
    expect(await count()).toBe(held);
  });
}
