import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import { RecordError } from "../util/errors";

export interface StoredContent {
  hash: string;
  sizeBytes: number;
}

/**
 * Attachment bytes, addressed by SHA-256: equal files are stored once, and a file is complete
 * before any row points at it. Two implementations: files in the data folder (FileContentStore,
 * one process, the SQLite default) and chunks in the database (DatabaseContentStore, shared by
 * every process of an instance on PostgreSQL, issue 13); contentStoreFor picks one.
 */
export interface ContentStore {
  has(hash: string): Promise<boolean>;
  /** Streams the content in while hashing it; refuses (413) past maxBytes without keeping anything. */
  write(body: AsyncIterable<Uint8Array> | Uint8Array, maxBytes: number): Promise<StoredContent>;
  /**
   * The bytes, streamed piece by piece (never the whole file in memory). The stream fails when
   * the content is missing: callers that answer 404 for that ask has() first.
   */
  read(hash: string): Readable;
  remove(hash: string): Promise<void>;
  /**
   * Drops what interrupted writes (a crash mid-upload) left behind once untouched for
   * `olderThanMs`; how many pieces went. Run by the instance's housekeeping.
   */
  sweep(olderThanMs: number, now?: number): Promise<number>;
}

export function assertHash(hash: string): void {
  if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`Not a SHA-256 hash: ${hash}`);
}

export function tooLargeContent(maxBytes: number): RecordError {
  return new RecordError(413, "Attachment too large", `The limit is ${maxBytes} bytes`);
}

/**
 * Attachment bytes on disk, one file per hash (written to a temp name, fsynced, then renamed).
 * The file system calls are synchronous, as before the interface became async: on SQLite the
 * store behaves, and interleaves with the rest of the process, exactly as it did.
 */
export class FileContentStore implements ContentStore {
  constructor(private readonly dir: string) {}

  pathOf(hash: string): string {
    assertHash(hash);
    return path.join(this.dir, hash.slice(0, 2), hash);
  }

  async has(hash: string): Promise<boolean> {
    return fs.existsSync(this.pathOf(hash));
  }

  async write(body: AsyncIterable<Uint8Array> | Uint8Array, maxBytes: number): Promise<StoredContent> {
    const tmpDir = path.join(this.dir, "tmp");
    fs.mkdirSync(tmpDir, { recursive: true });
    const tmp = path.join(tmpDir, randomBytes(12).toString("hex"));
    const hasher = createHash("sha256");
    const fd = fs.openSync(tmp, "w");
    let size = 0;
    try {
      const chunks = body instanceof Uint8Array ? [body] : body;
      for await (const chunk of chunks) {
        size += chunk.byteLength;
        if (size > maxBytes) throw tooLargeContent(maxBytes);
        hasher.update(chunk);
        fs.writeSync(fd, chunk);
      }
      fs.fsyncSync(fd);
    } catch (error) {
      fs.closeSync(fd);
      fs.rmSync(tmp, { force: true });
      throw error;
    }
    fs.closeSync(fd);
    const hash = hasher.digest("hex");
    const target = this.pathOf(hash);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.renameSync(tmp, target);
    return { hash, sizeBytes: size };
  }

  read(hash: string): Readable {
    return fs.createReadStream(this.pathOf(hash));
  }

  async remove(hash: string): Promise<void> {
    fs.rmSync(this.pathOf(hash), { force: true });
  }

  /** Temp files of uploads that died with the process (their mtime moves while one is written). */
  async sweep(olderThanMs: number, now = Date.now()): Promise<number> {
    const tmpDir = path.join(this.dir, "tmp");
    let names: string[];
    try {
      names = fs.readdirSync(tmpDir);
    } catch {
      return 0; // no upload yet
    }
    let removed = 0;
    for (const name of names) {
      const file = path.join(tmpDir, name);
      try {
        if (fs.statSync(file).mtimeMs < now - olderThanMs) {
          fs.rmSync(file, { force: true });
          removed += 1;
        }
      } catch {
        // renamed into place meanwhile
      }
    }
    return removed;
  }
}
