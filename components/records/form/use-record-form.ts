"use client";

import { useMemo, useState } from "react";
import type { TableViewOutput } from "@/server/api/routers/records.types";
import type { FieldDefinition } from "@/server/tables/types";

// Form state as edits on top of the stored record: when the record reloads (after a save, or a
// journal post elsewhere on the page) untouched fields follow it and unsaved edits stay.

export interface RecordData {
  values: Record<string, string>;
  display: Record<string, string>;
}

export function editableFields(view: TableViewOutput): FieldDefinition[] {
  return view.fields.filter((f) => f.type !== "journal");
}

export function defaultsOf(view: TableViewOutput): Record<string, string> {
  return Object.fromEntries(editableFields(view).map((f) => [f.name, f.defaultValue ?? ""]));
}

/** A server message for a field, in the words of the form. */
export function fieldMessage(
  field: FieldDefinition | undefined,
  message: string,
  detail: string | null,
): string {
  if (field && /mandatory/i.test(message)) return `${field.label} is required`;
  return detail ? `${message}. ${detail}` : message;
}

export function useRecordForm(view: TableViewOutput, record: RecordData | null) {
  const [edits, setEdits] = useState<Record<string, string>>({});
  const [editDisplays, setEditDisplays] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const base = useMemo(() => record?.values ?? defaultsOf(view), [record, view]);

  const valueFor = (name: string) => edits[name] ?? base[name] ?? "";
  const displayFor = (name: string) => editDisplays[name] ?? record?.display[name] ?? "";
  const changed = Object.keys(edits).filter((name) => edits[name] !== (base[name] ?? ""));

  const set = (name: string, value: string, display?: string) => {
    setEdits((e) => ({ ...e, [name]: value }));
    if (display !== undefined) setEditDisplays((d) => ({ ...d, [name]: display }));
    setErrors(({ [name]: _cleared, ...rest }) => rest);
  };

  /** Client-side check before sending: mandatory fields. Returns false when something is missing. */
  const validate = (): boolean => {
    const missing: Record<string, string> = {};
    for (const f of editableFields(view)) {
      if (f.mandatory && !f.readOnly && valueFor(f.name).trim() === "")
        missing[f.name] = `${f.label} is required`;
    }
    setErrors(missing);
    return Object.keys(missing).length === 0;
  };

  /** The values to send: the changes (for a new record, the non-empty ones). */
  const payload = (): Record<string, string> =>
    Object.fromEntries(changed.filter((n) => record || edits[n] !== "").map((n) => [n, edits[n] ?? ""]));

  const saved = () => {
    setEdits({});
    setEditDisplays({});
    setErrors({});
  };

  return { valueFor, displayFor, set, changed, errors, setErrors, validate, payload, saved };
}
