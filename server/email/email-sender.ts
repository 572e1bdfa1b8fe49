import net from "node:net";
import nodemailer, { type Transporter } from "nodemailer";
import type { Db } from "../db/client";
import type { Logger } from "../log/logger";
import type { OutboundGuard } from "../net/url-guard";
import { newSysId } from "../util/ids";

export interface OutgoingEmail {
  to: string[];
  subject: string;
  text: string;
}

/**
 * Email through nodemailer to the SMTP server in configuration (SMTP_URL), or kept in the
 * outbox table when none is set (SPEC 7). Every message carries an idempotency key that is
 * recorded before sending, so a re-run of the same flow step never sends it twice.
 */
export class EmailSender {
  private readonly transport: Transporter | null;
  private readonly sql;

  constructor(
    db: Db,
    private readonly logger: Logger,
    smtpUrl: string | undefined,
    private readonly from: string,
    guard: OutboundGuard | null = null,
  ) {
    this.transport = smtpUrl ? createGuardedTransport(smtpUrl, guard) : null;
    const c = db.$client;
    this.sql = {
      find: c.prepare<[string], { id: string; status: string }>(
        "SELECT id, status FROM email_outbox WHERE idempotency_key = ?",
      ),
      insert: c.prepare(
        `INSERT INTO email_outbox (id, idempotency_key, "to", subject, body, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      mark: c.prepare("UPDATE email_outbox SET status = ?, error = ? WHERE id = ?"),
    };
  }

  async send(
    email: OutgoingEmail,
    idempotencyKey: string,
  ): Promise<{ messageId: string; duplicate: boolean }> {
    const seen = this.sql.find.get(idempotencyKey);
    if (seen && seen.status !== "failed") return { messageId: seen.id, duplicate: true };
    const id = seen?.id ?? newSysId();
    if (!seen) {
      this.sql.insert.run(
        id,
        idempotencyKey,
        email.to.join(", "),
        email.subject,
        email.text,
        this.transport ? "failed" : "kept",
        Date.now(),
      );
    }
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
      this.sql.mark.run("sent", null, id);
      return { messageId: id, duplicate: false };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.sql.mark.run("failed", message, id);
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
