import { z } from "zod";
import { DataError } from "../ports/errors";
import { defineNodeType } from "../registry/types";
import { bindingSchema } from "../schema/binding";
import { capturedPayloadSchema } from "../schema/payload";
import { fastCapturedPayload } from "../schema/payload-fast";
import { inferValueType, t, type ValueType } from "../schema/value-type";
import { attachmentListType } from "./shared";

const MAX_JSON_CHARS = 5_000_000;

const configSchema = z.object({
  payload: bindingSchema,
  /** `captured`: the SPEC 3.1 payload, changed fields keyed by name; `json`: any JSON document. */
  format: z.enum(["captured", "json"]).default("captured"),
  /** A sample payload; its keys become typed pills in the designer. */
  samplePayload: z.unknown().default(null),
});

const changedFieldType = t.object({
  value: t.any("Value"),
  display_value: t.any("Display value"),
  previous_value: t.any("Previous value"),
  changed: t.boolean("Changed"),
});

function sampleFieldKeys(sample: unknown): string[] {
  const parsed = capturedPayloadSchema.safeParse(sample);
  return parsed.success ? parsed.data.changed_fields.map((f) => f.key) : [];
}

function parse(value: unknown): unknown {
  if (typeof value !== "string") return value;
  if (value.length > MAX_JSON_CHARS)
    throw new DataError("The payload is too large to parse.", { field: "payload" });
  try {
    return JSON.parse(value);
  } catch {
    throw new DataError("The payload is not valid JSON.", { code: "PAYLOAD_INVALID", field: "payload" });
  }
}

export const transformPayload = defineNodeType({
  id: "transform_payload",
  version: 1,
  label: "Transform Payload",
  group: "Sync",
  description: "Parses the inbound payload into typed outputs shaped by a sample payload.",
  ports: ["next"],
  configSchema,
  inputs: { payload: { type: "any", label: "Payload", required: true } },
  outputs: (c) => {
    if (c.format === "json") return t.object({ data: inferValueType(c.samplePayload) });
    const fields: Record<string, ValueType> = {};
    for (const key of sampleFieldKeys(c.samplePayload)) fields[key] = changedFieldType;
    return t.object({
      operation: t.string("Operation"),
      table: t.string("Source table"),
      sys_id: t.string("Source sys_id"),
      capture_metadata: t.object({}, { open: true }),
      changed_fields: t.object(fields, { open: true, label: "Changed fields" }),
      changed_keys: t.array(t.string(), "Changed field names"),
      journal_entries: t.array(t.object({}, { open: true }), "Journal entries"),
      attachment_metadata: attachmentListType,
      payload: t.any("Payload"),
    });
  },
  sideEffects: false,
  execute(_ctx, c) {
    const doc = parse(c.payload);
    if (c.format === "json") return { outputs: { data: doc } };
    const fast = fastCapturedPayload(doc);
    const parsed = fast ? { success: true as const, data: fast } : capturedPayloadSchema.safeParse(doc);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.join(".") || "payload";
      throw new DataError(`The payload is not a captured payload: ${where}: ${issue?.message ?? "invalid"}`, {
        code: "PAYLOAD_INVALID",
        field: where,
      });
    }
    const p = parsed.data;
    // Keyed by field name so pills read `changed_fields.short_description.value` (SPEC 4.3).
    const changed: Record<string, unknown> = Object.create(null);
    const changedKeys: string[] = [];
    for (const f of p.changed_fields) {
      if (f.key === "__proto__" || f.key === "constructor" || f.key === "prototype") continue;
      changed[f.key] = f;
      if (f.changed !== false) changedKeys.push(f.key);
    }
    const meta = p.capture_metadata;
    return {
      outputs: {
        operation: meta.operation ?? null,
        table: meta.source_table ?? null,
        sys_id: meta.sys_id ?? null,
        capture_metadata: meta,
        changed_fields: changed,
        changed_keys: changedKeys,
        journal_entries: p.journal_entries,
        attachment_metadata: p.attachment_metadata,
        payload: doc,
      },
    };
  },
});
