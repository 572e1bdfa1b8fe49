import type { DryEffect } from "@/server/runner/dry-run/dry-ports";
import type { JournalEffect } from "@/server/runner/dry-run/try-with-draft";

// The diff of effects beside "Try with draft" (issue 15): one row per record field, message,
// email or correlation, pairing what the draft would do with what the published version's last
// run of the row did (from its journal: the resolved inputs of each side-effecting step).

export interface EffectRow {
  key: string;
  label: string;
  before: string;
  published: string;
  draft: string;
  changed: boolean;
}

const NONE = "—";

export function show(value: unknown): string {
  if (value === undefined) return NONE;
  if (value === null || value === "") return "∅";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

const recordOp: Record<string, "create" | "update" | "delete"> = {
  create_record: "create",
  update_record: "update",
  delete_record: "delete",
};

function objectOf(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

// The failure's message is shown once above the diff; a cell only marks the refused value.
function failed(e: JournalEffect | undefined, text: string): string {
  return e?.status === "error" ? `${text} ✕` : text;
}

/**
 * `replayed`: nodes whose step the dry run took from the row's last journal (a reprocess does not
 * repeat a side effect already made), shown as such rather than as "the draft would not do it".
 */
export function effectRows(
  draft: readonly DryEffect[],
  published: readonly JournalEffect[],
  replayed: ReadonlySet<string> = new Set(),
): EffectRow[] {
  const rows: EffectRow[] = [];
  const used = new Set<JournalEffect>();
  const take = (pred: (e: JournalEffect) => boolean) => {
    const found = published.find((e) => !used.has(e) && pred(e));
    if (found) used.add(found);
    return found;
  };
  const push = (row: Omit<EffectRow, "changed">) =>
    rows.push({ ...row, changed: row.published !== row.draft });

  for (const [i, e] of draft.entries()) {
    if (e.kind === "record") {
      const pub = take((p) => recordOp[p.type] === e.op);
      const pubValues = objectOf(objectOf(pub?.inputs).values);
      const fields = new Set([...e.changes.map((c) => c.field), ...Object.keys(pubValues)]);
      for (const field of fields) {
        const change = e.changes.find((c) => c.field === field);
        push({
          key: `record-${e.op}-${field}`,
          label: `${e.op} ${e.table}.${field}`,
          before: show(change?.before),
          published: pub ? failed(pub, show(pubValues[field])) : NONE,
          draft: change ? (e.error ? `${show(change.after)} ✕` : show(change.after)) : NONE,
        });
      }
      if (e.journal.length > 0)
        push({
          key: `record-${e.op}-journal`,
          label: `${e.op} ${e.table} journal`,
          before: NONE,
          published: pub ? show(objectOf(pub.inputs).journal) : NONE,
          draft: show(e.journal),
        });
    } else if (e.kind === "send") {
      const pub = take((p) => p.type === "send_payload");
      push({
        key: "send",
        label: `send to ${e.remote}`,
        before: NONE,
        published: pub ? failed(pub, show(objectOf(pub.inputs).payload)) : NONE,
        draft: show(e.message.payload),
      });
    } else if (e.kind === "email") {
      const pub = take((p) => p.type === "send_email");
      const pi = objectOf(pub?.inputs);
      push({
        key: `email-${i}`,
        label: "email",
        before: NONE,
        published: pub ? failed(pub, `${show(pi.to)}: ${show(pi.subject)}`) : NONE,
        draft: `${show(e.to)}: ${e.subject}`,
      });
    } else if (e.kind === "correlation") {
      const pub = take((p) => /correlat/.test(p.type));
      push({
        key: `correlation-${i}`,
        label: `correlation ${e.op}`,
        before: NONE,
        published: pub ? failed(pub, pub.type) : NONE,
        draft: show(e.detail),
      });
    } else if (e.kind !== "log") {
      push({
        key: `${e.kind}-${i}`,
        label: e.kind,
        before: NONE,
        published: NONE,
        draft: show(e),
      });
    }
  }
  // What the published run did that the draft would not do at all.
  for (const p of published) {
    if (used.has(p)) continue;
    push({
      key: `published-${p.nodeId}`,
      label: p.type,
      before: NONE,
      published: failed(p, show(p.inputs)),
      draft: replayed.has(p.nodeId) ? "already done (replayed, not repeated)" : NONE,
    });
  }
  return rows;
}
