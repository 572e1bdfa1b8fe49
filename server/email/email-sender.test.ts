import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSmtp } from "../../tests/support/smtp";
import { createLogger } from "../log/logger";
import { OutboundGuard } from "../net/url-guard";
import { SqliteStorage } from "../storage/sqlite";
import { memoryInstance } from "../testing/memory-instance";
import { EmailSender } from "./email-sender";

// The SMTP relay goes through the outbound guard (issue 12), against a real SMTP server on loopback.

let smtp: Awaited<ReturnType<typeof startSmtp>>;
beforeAll(async () => {
  smtp = await startSmtp();
});
afterAll(() => smtp.stop());

const logger = createLogger("alpha", "silent");
const sender = (url: string, allowPrivate: string) =>
  new EmailSender(
    new SqliteStorage(memoryInstance().db.$client),
    logger,
    url,
    "Tandem <t@alpha.localhost>",
    new OutboundGuard({ allowPrivate }),
  );
const mail = { to: ["ops@example.com"], subject: "Remote in error", text: "..." };

describe("email relay behind the outbound guard", () => {
  it("delivers through an allowed relay, connecting to the checked address", async () => {
    await sender(smtp.url, "1").send(mail, "k1");
    expect(smtp.mails.map((m) => m.subject)).toContain("Remote in error");
  });

  it("refuses a loopback relay when private networks are not allowed, sending nothing", async () => {
    const before = smtp.mails.length;
    await expect(sender(smtp.url, "").send(mail, "k2")).rejects.toThrow(
      /127\.0\.0\.1, a private or loopback address/,
    );
    await expect(sender(smtp.url.replace("127.0.0.1", "localhost"), "").send(mail, "k3")).rejects.toThrow(
      /localhost resolves to (127\.0\.0\.1|::1), a private or loopback address/,
    );
    expect(smtp.mails.length).toBe(before);
  });

  it("only smtp(s) URLs", () => {
    expect(() => sender("http://169.254.169.254/", "1")).toThrow(
      /SMTP_URL must be an smtp:\/\/ or smtps:\/\//,
    );
  });
});
