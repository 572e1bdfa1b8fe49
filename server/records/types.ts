import type { TableDefinition } from "../tables/types";

/** Who is writing, and through which door; captured with every change. */
export interface Actor {
  userName: string;
  origin: "ui" | "api" | "flow" | "system";
  /** Set when an inbound flow writes on behalf of a remote system (echo suppression, SPEC 3.8). */
  originRemote?: string | null;
}

/** Field values as stored strings (journal fields excluded). */
export type FieldValues = Record<string, string>;
/** A record as stored: every field plus the sys_ columns, as strings. */
export type RecordValues = FieldValues & { sys_id: string };

export interface JournalEntry {
  entryId: string;
  element: string;
  value: string;
  createdBy: string;
  createdOn: string;
}

export interface AttachmentChange {
  kind: "added" | "removed";
  sysId: string;
  fileName: string;
  hash: string;
}

/** One committed-to-be change, handed to hooks inside the write transaction (capture hooks here). */
export interface RecordChange {
  table: TableDefinition;
  operation: "create" | "update" | "delete";
  sysId: string;
  before: RecordValues | null;
  after: RecordValues | null;
  /** Names of the non-journal fields whose value changed (all set fields on create). */
  changedFields: string[];
  journalEntries: JournalEntry[];
  attachmentChanges: AttachmentChange[];
  actor: Actor;
  /** Field clocks that arrived with a synced write (see ArrivedClocks). */
  arrivedClocks?: ArrivedClocks;
}

/**
 * The logical clocks a synced write brings for the fields it sets (SPEC 3.8), handed to the
 * change hooks: the capture, which moves the record's clocks anyway, stores them in the same
 * write and says so (`applied`); otherwise the writer sets them itself after the write. One
 * read and one write of the record's clocks instead of two of each for every synced record.
 */
export interface ArrivedClocks {
  /** Field name and clock (capture's FieldClock, spelt out: records does not import capture). */
  clocks: ReadonlyArray<[string, { counter: number; origin: string }]>;
  applied: boolean;
}
