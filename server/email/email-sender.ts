import net from "node:net";
import nodemailer, { type Transporter } from "nodemailer";
import type { Logger } from "../log/logger";
import type { OutboundGuard } from "../net/url-guard";
import { get, type Plan, run, type Storage, sql } from "../storage";
import { newSysId } from "../util/ids";

export interface OutgoingEmail {
  to: string[];
  subject: string;
  text: string;
}

const Q = {
  find: sql<{ id: string; status: string }>("SELECT id, status FROM email_outbox WHERE idempotency_key = ?"),
  // a concurrent send of the same key (PostgreSQL: another transaction) inserts nothing and reads its row
  insert: sql(
    `INSERT INTO email_outbox (id, idempotency_key, "to", subject, body, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (idempotency_key) DO NOTHING`,
  ),
  mark: sql("UPDATE email_outbox SET status = ?, error = ? WHERE id = ?"),
  byKey: sql<OutboxRow>(
    `SELECT id, idempotency_key, "to", subject, body, status, error, created_at FROM email_outbox WHERE idempotency_key = ?`,
  ),
};

export interface OutboxRow {
  id: string;
  idempotency_key: string;
  to: string;
  subject: string;
  body: string;
  status: "kept" | "failed" | "sent";
  error: string | null;
  created_at: number;
}

/** The outbox's work as plans (server/storage/plan.ts). */
export const outboxPlans = {
  /**
   * The message of `key`: the one already recorded (`seen`), or a new row (status "failed" until
   * the relay takes it, "kept" without a relay). Two sends of the same key never both insert.
   */
  *reserve(
    email: OutgoingEmail,
    key: string,
    status: "failed" | "kept",
    now = Date.now(),
  ): Plan<{ id: string; seen: { status: string } | null }> {
    const seen = yield* get(Q.find, key);
    if (seen) return { id: seen.id, seen };
    const id = newSysId();
    const { changes } = yield* run(
      Q.insert,
      id,
      key,
      email.to.join(", "),
      email.subject,
      email.text,
      status,
      now,
    );
    if (changes === 0) {
      const raced = yield* get(Q.find, key);
      if (raced) return { id: raced.id, seen: raced };
    }
    return { id, seen: null };
  },

  *mark(id: string, status: "sent" | "failed", error: string | null): Plan<void> {
    yield* run(Q.mark, status, error, id);
  },

  *byKey(key: string): Plan<OutboxRow | undefined> {
    return yield* get(Q.byKey, key);
  },
};

/**
 * Email through nodemailer to the SMTP server in configuration (SMTP_URL), or kept in the
 * outbox table when none is set (SPEC 7). Every message carries an idempotency key that is
 * recorded before sending, so a re-run of the same flow step never sends it twice.
 */
export class EmailSender {
  private readonly transport: Transporter | null;

  constructor(
    private readonly storage: Storage,
    private readonly logger: Logger,
    smtpUrl: string | undefined,
    private readonly from: string,
    guard: OutboundGuard | null = null,
  ) {
    this.transport = smtpUrl ? createGuardedTransport(smtpUrl, guard) : null;
  }

  /** The outbox row of a key (what a test or an operator looks at). */
  outboxEntry(idempotencyKey: string): Promise<OutboxRow | undefined> {
    return this.storage.read(outboxPlans.byKey(idempotencyKey));
  }

  async send(
    email: OutgoingEmail,
    idempotencyKey: string,
  ): Promise<{ messageId: string; duplicate: boolean }> {
    const { id, seen } = await this.storage.write(() =>
      outboxPlans.reserve(email, idempotencyKey, this.transport ? "failed" : "kept"),
    );
    if (seen && seen.status !== "failed") return { messageId: id, duplicate: true };
    if (!this.transport) {
      this.logger.info(
        { to: email.to, subject: email.subject },
        "email kept in the outbox (no SMTP server configured)",
      );
      return { messageId: id, duplicate: false };
    }
    try {
      await this.transport.sendMail({
        from: this.from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        messageId: `<${id}@tandem>`,
      });
      await this.storage.write(() => outboxPlans.mark(id, "sent", null));
      return { messageId: id, duplicate: false };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.storage.write(() => outboxPlans.mark(id, "failed", message));
      throw error;
    }
  }

  close(): void {
    this.transport?.close();
  }
}

interface SocketOptions {
  host?: string;
  port?: number | string;
  secure?: boolean;
}

/**
 * The relay is reached only through the outbound guard (issue 12): smtp(s) URLs only, and the
 * TCP connection goes to the address the guard checked (nodemailer's `getSocket` hands it our
 * socket; it still does STARTTLS or TLS on top, with the host name for the certificate).
 */
function createGuardedTransport(smtpUrl: string, guard: OutboundGuard | null): Transporter {
  if (!guard) return nodemailer.createTransport(smtpUrl);
  const protocol = URL.canParse(smtpUrl) ? new URL(smtpUrl).protocol : "";
  if (protocol !== "smtp:" && protocol !== "smtps:")
    throw new Error(`SMTP_URL must be an smtp:// or smtps:// URL, not ${protocol || smtpUrl}`);
  const getSocket = (
    options: SocketOptions,
    callback: (err: Error | null, socket?: { connection: net.Socket }) => void,
  ) => {
    const host = (options.host ?? "").replace(/^\[|\]$/g, "");
    try {
      guard.checkLiteral(host);
    } catch (error) {
      return callback(error as Error);
    }
    const port = Number(options.port) || (options.secure ? 465 : 587);
    const socket = net.connect({ host, port, lookup: guard.lookup });
    socket.once("connect", () => callback(null, { connection: socket }));
    socket.once("error", (error) => callback(error));
  };
  return nodemailer.createTransport({ url: smtpUrl, getSocket } as unknown as string);
}
