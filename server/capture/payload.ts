import { displayValuesPlan } from "../records/display-values";
import type { RecordService } from "../records/record-service";
import type { RecordChange, RecordValues } from "../records/types";
import type { Plan } from "../storage";
import type { CaptureRow } from "../sync/config-store";
import type { FieldClock } from "./field-clocks";

/** The captured payload (SPEC 3.1); also the shape inbound flows' Transform Payload reads. */
export interface CapturedPayload {
  capture_metadata: {
    changed_by: string;
    timestamp: string;
    capture_definition: string;
    operation: "create" | "update" | "delete";
    source_table: string;
    sys_id: string;
  };
  changed_fields: Array<{
    key: string;
    value: string;
    display_value: string;
    previous_value?: string;
    changed: boolean;
    clock: FieldClock;
  }>;
  journal_entries: Array<{
    element: string;
    value: string;
    created_by: string;
    created_on: string;
    entry_id: string;
  }>;
  attachment_metadata: Array<{
    key: string;
    hash: string;
    file_name: string;
    content_type: string;
    size_bytes: number;
  }>;
}

export interface PayloadInput {
  change: RecordChange;
  capture: CaptureRow;
  records: RecordService;
  clockOf: (field: string) => FieldClock;
  now: Date;
}

/** Builds the payload of one capture firing: every included field (changed or not) + sys_id. */
export function* buildPayload({
  change,
  capture,
  records,
  clockOf,
  now,
}: PayloadInput): Plan<CapturedPayload> {
  const current: RecordValues = change.after ?? change.before ?? { sys_id: change.sysId };
  const display = (yield* displayValuesPlan(records, change.table, [current], { journal: false }))[0] ?? {};
  const changed = new Set(change.operation === "create" ? Object.keys(current) : change.changedFields);
  const keys = ["sys_id", ...capture.includeFields.filter((f) => f !== "sys_id")];
  const fields: CapturedPayload["changed_fields"] = keys.map((key) => {
    const value = current[key] ?? "";
    const entry: CapturedPayload["changed_fields"][number] = {
      key,
      value,
      display_value: display[key] ?? value,
      changed:
        key !== "sys_id" &&
        change.operation !== "delete" &&
        changed.has(key) &&
        (change.operation !== "create" || value !== ""),
      clock: clockOf(key),
    };
    if (change.before && change.operation === "update") entry.previous_value = change.before[key] ?? "";
    return entry;
  });
  fields.push({
    key: "sys_class_name",
    value: change.table.name,
    display_value: change.table.label,
    changed: false,
    clock: { counter: 0, origin: "" },
  });
  const journal = change.journalEntries
    .filter((j) => capture.includeJournal.includes(j.element))
    .map((j) => ({
      element: j.element,
      value: j.value,
      created_by: j.createdBy,
      created_on: j.createdOn,
      entry_id: j.entryId,
    }));
  return {
    capture_metadata: {
      changed_by: change.actor.userName,
      timestamp: now.toISOString(),
      capture_definition: capture.name,
      operation: change.operation,
      source_table: change.table.name,
      sys_id: change.sysId,
    },
    changed_fields: fields,
    journal_entries: journal,
    attachment_metadata: [],
  };
}
