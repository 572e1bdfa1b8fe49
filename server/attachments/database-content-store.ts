import { createHash, randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { attempt, get, type Plan, run, type Storage, sql } from "../storage";
import { assertHash, type ContentStore, type StoredContent, tooLargeContent } from "./content-store";

/** Bytes per row of attachment_content (the last chunk of a file is shorter). */
export const CONTENT_CHUNK_BYTES = 256 * 1024;

const Q = {
  stage: sql("INSERT INTO attachment_content (hash, seq, bytes, staged_at) VALUES (?, ?, ?, ?)"),
  staged: sql<{ n: number }>("SELECT count(*) AS n FROM attachment_content WHERE hash = ?"),
  has: sql<{ one: number }>("SELECT 1 AS one FROM attachment_content WHERE hash = ? AND seq = 0"),
  promote: sql("UPDATE attachment_content SET hash = ?, staged_at = NULL WHERE hash = ?"),
  drop: sql("DELETE FROM attachment_content WHERE hash = ?"),
  chunk: sql<{ bytes: Uint8Array }>("SELECT bytes FROM attachment_content WHERE hash = ? AND seq = ?"),
  // A staging id whose newest chunk is older than the cutoff: its upload is gone.
  sweep: sql(
    `DELETE FROM attachment_content WHERE hash IN (SELECT hash FROM attachment_content
       WHERE staged_at IS NOT NULL GROUP BY hash HAVING max(staged_at) < ?)`,
  ),
};

/** The staged chunks of one upload become the content of `hash`, unless that content is there already (exported for its test). */
export function* promote(staging: string, hash: string, chunks: number): Plan<void> {
  const staged = (yield* get(Q.staged, staging))?.n ?? 0;
  if (Number(staged) !== chunks) {
    // the caller drops the rest (this transaction is rolled back)
    throw new Error(
      `The upload lost ${chunks - Number(staged)} of its ${chunks} chunks (swept as abandoned?)`,
    );
  }
  if (yield* get(Q.has, hash)) {
    yield* run(Q.drop, staging);
    return;
  }
  try {
    yield* attempt(run(Q.promote, hash, staging));
  } catch (error) {
    // PostgreSQL: another process promoted the same content since (its primary key won)
    if (!(yield* get(Q.has, hash))) throw error;
    yield* run(Q.drop, staging);
  }
}

/**
 * Attachment bytes in the database (issue 13: every process of an instance sees them), in rows
 * of 256 KiB. An upload is written as it streams in, one small transaction per chunk under a
 * staging id ("staging:<random>", never a hash), since a transaction may not stay open across
 * the network; one last transaction renames the chunks to the content's hash, or drops them when
 * that content is stored already. A hash therefore has rows only once all of its bytes are
 * there; a crash mid-upload leaves staged rows only, which sweep() removes by age.
 */
export class DatabaseContentStore implements ContentStore {
  constructor(private readonly storage: Storage) {}

  async has(hash: string): Promise<boolean> {
    assertHash(hash);
    return (await this.storage.read(get(Q.has, hash))) !== undefined;
  }

  async write(body: AsyncIterable<Uint8Array> | Uint8Array, maxBytes: number): Promise<StoredContent> {
    const staging = `staging:${randomBytes(12).toString("hex")}`;
    const hasher = createHash("sha256");
    let size = 0;
    let chunks = 0;
    let pending: Uint8Array[] = [];
    let pendingBytes = 0;
    const stage = async (bytes: Buffer) => {
      const seq = chunks++;
      await this.storage.write(() => run(Q.stage, staging, seq, bytes, Date.now()));
    };
    try {
      const input = body instanceof Uint8Array ? [body] : body;
      for await (const piece of input) {
        size += piece.byteLength;
        if (size > maxBytes) throw tooLargeContent(maxBytes);
        hasher.update(piece);
        pending.push(piece);
        pendingBytes += piece.byteLength;
        if (pendingBytes < CONTENT_CHUNK_BYTES) continue;
        const joined = Buffer.concat(pending, pendingBytes);
        let at = 0;
        for (; joined.length - at >= CONTENT_CHUNK_BYTES; at += CONTENT_CHUNK_BYTES) {
          await stage(joined.subarray(at, at + CONTENT_CHUNK_BYTES));
        }
        pending = at < joined.length ? [joined.subarray(at)] : [];
        pendingBytes = joined.length - at;
      }
      // the last, shorter chunk; an empty file is one empty chunk, so that has() sees it
      if (pendingBytes > 0 || chunks === 0) await stage(Buffer.concat(pending, pendingBytes));
      const hash = hasher.digest("hex");
      await this.storage.transaction(() => promote(staging, hash, chunks));
      return { hash, sizeBytes: size };
    } catch (error) {
      if (chunks > 0) await this.storage.write(() => run(Q.drop, staging)).catch(() => undefined); // else sweep()
      throw error;
    }
  }

  read(hash: string): Readable {
    assertHash(hash);
    const storage = this.storage;
    async function* chunks(): AsyncGenerator<Buffer> {
      for (let seq = 0; ; seq++) {
        const row = await storage.read(get(Q.chunk, hash, seq));
        if (!row) {
          if (seq > 0) return;
          throw Object.assign(new Error(`No attachment content has hash ${hash}`), { code: "ENOENT" });
        }
        const bytes = Buffer.from(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength);
        if (bytes.length > 0) yield bytes; // an empty chunk would end a byte stream early
      }
    }
    return Readable.from(chunks(), { objectMode: false });
  }

  async remove(hash: string): Promise<void> {
    assertHash(hash);
    await this.storage.write(() => run(Q.drop, hash));
  }

  async sweep(olderThanMs: number, now = Date.now()): Promise<number> {
    return (await this.storage.write(() => run(Q.sweep, now - olderThanMs))).changes;
  }
}
