import { expect, it } from "vitest";
import { createLogger } from "../log/logger";
import type { Storage } from "../storage";
import { EmailSender, outboxPlans } from "./email-sender";

// The email outbox on every dialect (issue 13): SQLite in email-outbox.test.ts, a real
// PostgreSQL in tests/integration/storage-seam.test.ts. Without SMTP_URL messages are kept.

const logger = createLogger("test", "silent");
const mail = { to: ["ops@example.com", "dev@example.com"], subject: "Remote in error", text: "beta is down" };

export function emailOutboxContract(fresh: () => Promise<Storage>): void {
  it("keeps a message once per idempotency key", async () => {
    const storage = await fresh();
    const sender = new EmailSender(storage, logger, undefined, "Tandem <t@alpha.localhost>");
    const first = await sender.send(mail, "alert:fired:r1:queue_age:1");
    expect(first.duplicate).toBe(false);
    expect(await sender.send(mail, "alert:fired:r1:queue_age:1")).toEqual({
      messageId: first.messageId,
      duplicate: true,
    });
    expect(await sender.outboxEntry("alert:fired:r1:queue_age:1")).toMatchObject({
      id: first.messageId,
      to: "ops@example.com, dev@example.com",
      subject: "Remote in error",
      body: "beta is down",
      status: "kept",
      error: null,
    });
    expect((await sender.send(mail, "alert:fired:r1:queue_age:2")).messageId).not.toBe(first.messageId);
  });

  it("a failed delivery is tried again under the same message id; a sent one is not", async () => {
    const storage = await fresh();
    const reserve = () => storage.write(() => outboxPlans.reserve(mail, "k", "failed"));
    const first = await reserve();
    expect(first.seen).toBeNull();
    await storage.write(() => outboxPlans.mark(first.id, "failed", "connection refused"));
    const again = await reserve();
    expect(again).toEqual({ id: first.id, seen: { id: first.id, status: "failed" } });
    expect(await storage.read(outboxPlans.byKey("k"))).toMatchObject({
      status: "failed",
      error: "connection refused",
    });
    await storage.write(() => outboxPlans.mark(first.id, "sent", null));
    expect((await reserve()).seen?.status).toBe("sent");
    expect(typeof (await storage.read(outboxPlans.byKey("k")))?.created_at).toBe("number");
  });

  it("concurrent sends of one key record one message", async () => {
    const storage = await fresh();
    const sender = new EmailSender(storage, logger, undefined, "Tandem <t@alpha.localhost>");
    const [a, b] = await Promise.all([sender.send(mail, "same"), sender.send(mail, "same")]);
    expect(a?.messageId).toBe(b?.messageId);
    expect([a?.duplicate, b?.duplicate].sort()).toEqual([false, true]);
    const ids = [a?.messageId];
    expect((await sender.outboxEntry("same"))?.id).toBe(ids[0]);
  });
}
