import { z } from "zod";
import { DataError } from "../ports/errors";
import { str, strList } from "../registry/coerce";
import { defineNodeType } from "../registry/types";
import { bindingSchema } from "../schema/binding";
import { t } from "../schema/value-type";

const configSchema = z.object({ to: bindingSchema, subject: bindingSchema, text: bindingSchema });

const EMAIL = /^[^\s@]+@[^\s@]+$/;

export const sendEmail = defineNodeType({
  id: "send_email",
  version: 1,
  label: "Send Email",
  group: "Operations",
  description: "Sends an email (or keeps it in the outbox when no SMTP server is configured).",
  ports: ["next"],
  configSchema,
  inputs: {
    to: { type: "any", label: "To (list or comma-separated)", required: true },
    subject: { type: "string", label: "Subject", required: true },
    text: { type: "string", label: "Text", required: true },
  },
  outputs: () => t.object({ messageId: t.string("Message id"), duplicate: t.boolean("Duplicate") }),
  sideEffects: true,
  async execute(ctx, c) {
    const to = strList(c.to, "to");
    if (to.length === 0) throw new DataError("Send Email needs at least one recipient.", { field: "to" });
    const bad = to.find((a) => !EMAIL.test(a));
    if (bad !== undefined) throw new DataError(`"${bad}" is not an email address.`, { field: "to" });
    const result = await ctx.ports.email.send(
      { to, subject: str(c.subject, "subject"), text: str(c.text, "text") },
      ctx.idempotencyKey,
    );
    return { outputs: { messageId: result.messageId, duplicate: result.duplicate } };
  },
});
