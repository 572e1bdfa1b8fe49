import type { AttachmentOffer } from "../attachments/offer";
import { currentTraceContext, storedTraceContext } from "../observability/tracing";
import type { OutboundEnqueuer } from "../queue/outbound/enqueue";
import type { RecordService } from "../records/record-service";
import type { RecordChange } from "../records/types";
import type { Plan } from "../storage";
import type { CaptureRow, SyncConfig } from "../sync/config-store";
import { type FieldClock, fieldClocks } from "./field-clocks";
import { matchesFilter } from "./filter";
import { buildPayload } from "./payload";

export interface CaptureDeps {
  records: RecordService;
  config: SyncConfig;
  outbound: OutboundEnqueuer;
  instanceId: string;
  attachments: AttachmentOffer;
  clock?: () => Date;
}

/**
 * Capture (SPEC 2, 3.1) as a hook of the one write path: it runs inside the record's write
 * transaction, so the outbound rows commit together with the change (transactional outbox).
 */
export function installCapture(deps: CaptureDeps): () => void {
  return deps.records.onChange((change) => capture(change, deps));
}

function* capture(change: RecordChange, deps: CaptureDeps): Plan<void> {
  const snapshot = deps.config.snapshot();
  const captures = snapshot.capturesByTable.get(change.table.name);
  if (!captures) return;
  // Local changes move the clocks of the fields some capture sends; inbound writes set them
  // from the sender afterwards.
  const sent = includedFields(captures);
  // The record's clocks after the bump; without one, read only if a payload needs them.
  let stored = yield* fieldClocks.bumpAll(
    change.sysId,
    change.changedFields.filter((f) => sent.has(f)),
    deps.instanceId,
    change.arrivedClocks?.clocks,
  );
  // the sender's clocks are stored with the bump; the writer need not set them again
  if (stored && change.arrivedClocks) change.arrivedClocks.applied = true;
  const clockOf = (field: string): FieldClock => stored?.get(field) ?? { counter: 0, origin: "" };
  const now = (deps.clock ?? (() => new Date()))();
  let traceContext: string | null | undefined;
  for (const def of captures) {
    if (!fires(def, change)) continue;
    const bindings = snapshot.outboundByEvent.get(def.processEventId) ?? [];
    const event = snapshot.eventsById.get(def.processEventId);
    if (!event || bindings.length === 0) continue;
    stored ??= yield* fieldClocks.all(change.sysId); // every payload field carries its clock
    const payload = yield* buildPayload({ change, capture: def, records: deps.records, clockOf, now });
    for (const binding of bindings) {
      // Echo suppression (SPEC 3.8): what remote R just wrote here is not sent back to R.
      if (change.actor.originRemote === binding.remoteSystemId) continue;
      const offer = yield* deps.attachments.for(change, def, binding.remoteSystemId);
      // The write's span is active here (the hook runs inside it): the outbound flow continues it.
      traceContext ??= storedTraceContext(currentTraceContext());
      yield* deps.outbound.enqueuePlan({
        processEvent: event.name,
        remoteSystemId: binding.remoteSystemId,
        captureDefinitionId: def.id,
        flowBindingId: binding.id,
        operation: change.operation,
        tableName: change.table.name,
        recordSysId: change.sysId,
        payload: offer.metadata.length > 0 ? { ...payload, attachment_metadata: offer.metadata } : payload,
        domain: def.domain,
        warning: offer.refused.length > 0 ? `Attachments not sent: ${offer.refused.join("; ")}` : null,
        traceContext,
      });
    }
  }
}

const includedCache = new WeakMap<CaptureRow[], Set<string>>();
/** Fields any of these captures includes (cached per configuration snapshot). */
function includedFields(captures: CaptureRow[]): Set<string> {
  let set = includedCache.get(captures);
  if (!set) {
    set = new Set(captures.flatMap((c) => c.includeFields));
    includedCache.set(captures, set);
  }
  return set;
}

/** Operation, interactivity, filter, and for updates: did anything the capture includes change? */
export function fires(def: CaptureRow, change: RecordChange): boolean {
  if (!def.operations.includes(change.operation)) return false;
  if (def.ignoreNonInteractive && change.actor.origin !== "ui") return false;
  if (
    !matchesFilter(def.filter, { operation: change.operation, before: change.before, after: change.after })
  ) {
    return false;
  }
  if (change.operation !== "update") return true;
  return (
    change.changedFields.some((f) => def.includeFields.includes(f)) ||
    change.journalEntries.some((j) => def.includeJournal.includes(j.element)) ||
    (def.includeAttachments && change.attachmentChanges.length > 0)
  );
}
