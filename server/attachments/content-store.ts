import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { RecordError } from "../util/errors";

export interface StoredContent {
  hash: string;
  sizeBytes: number;
}

/**
 * Attachment bytes on disk, addressed by SHA-256: equal files are stored once, and a file is
 * complete before any row points at it (written to a temp name, fsynced, then renamed).
 */
export class ContentStore {
  constructor(private readonly dir: string) {}

  pathOf(hash: string): string {
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`Not a SHA-256 hash: ${hash}`);
    return path.join(this.dir, hash.slice(0, 2), hash);
  }

  has(hash: string): boolean {
    return fs.existsSync(this.pathOf(hash));
  }

  /** Streams content to disk while hashing it; refuses (413) past maxBytes without keeping anything. */
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
        if (size > maxBytes) {
          throw new RecordError(413, "Attachment too large", `The limit is ${maxBytes} bytes`);
        }
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

  read(hash: string): fs.ReadStream {
    return fs.createReadStream(this.pathOf(hash));
  }

  remove(hash: string): void {
    fs.rmSync(this.pathOf(hash), { force: true });
  }
}
