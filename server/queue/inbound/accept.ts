import type { Span } from "@opentelemetry/api";
import { WalSync } from "../../db/wal-sync";
import { observeTransaction } from "../../observability/metrics";
import {
  contextOf,
  currentTraceContext,
  SpanKind,
  startSpan,
  storedTraceContext,
  type TraceContext,
  tracingOn,
  withSpanContext,
} from "../../observability/tracing";
import type { MessageResult, WireMessage } from "../../protocol/wire-schema";
import { dialect, get, type Plan, run, type Storage, sql } from "../../storage";
import { SqliteStorage } from "../../storage/sqlite";
import { newSysId } from "../../util/ids";
import { storePayload } from "../payload-codec";
import { sqliteTransactionSync } from "../sync-transaction";

interface ExistingRow {
  sequence: number;
  local_correlation_id: string | null;
}

const Q = {
  existing: sql<ExistingRow>(
    "SELECT sequence, local_correlation_id FROM inbound_queue WHERE remote_system_id = ? AND message_id = ?",
  ),
  laneLocalId: sql<{ local_correlation_id: string }>(
    `SELECT local_correlation_id FROM inbound_queue WHERE lane_key = ? AND local_correlation_id IS NOT NULL
     ORDER BY sequence DESC LIMIT 1`,
  ),
  correlationByRemote: sql<{ local_id: string }>(
    "SELECT local_id FROM correlation WHERE remote_system_id = ? AND remote_id = ? AND state = 'active' LIMIT 1",
  ),
  // SQLite: the rowid from run(). PostgreSQL: another process may be storing the same message
  // (the sender sent it again while the first copy was in flight); the insert then waits for it
  // and does nothing, and returns no row.
  insert: sql<{ sequence: number }>({
    sqlite: `INSERT INTO inbound_queue (message_id, remote_system_id, process_event, operation, local_correlation_id,
       remote_correlation_id, lane_seq, payload, status, received_at, domain, trace_context, initial_sync_job_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'ready', ?, ?, ?, ?)`,
    postgres: `INSERT INTO inbound_queue (message_id, remote_system_id, process_event, operation, local_correlation_id,
       remote_correlation_id, lane_seq, payload, status, received_at, domain, trace_context, initial_sync_job_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'ready', ?, ?, ?, ?)
     ON CONFLICT (remote_system_id, message_id) DO NOTHING RETURNING sequence`,
  }),
};

/** The initial sync job a message belongs to (issue 17), from its payload; null for a live change. */
function initialSyncJobOf(m: WireMessage): string | null {
  const instruction = m.payload.initial_sync;
  if (!instruction || typeof instruction !== "object") return null;
  const job = (instruction as { job?: unknown }).job;
  return typeof job === "string" && job !== "" ? job.slice(0, 100) : null;
}

const duplicate = (m: WireMessage, seen: ExistingRow): MessageResult => ({
  id: m.id,
  status: "duplicate",
  sequence: seen.sequence,
  receiver_correlation_id: seen.local_correlation_id,
});

/**
 * Stores a batch of messages in the inbound queue, deduplicating by (remote, message id) (SPEC
 * 3.9); run it in one transaction. `traceContext` gives each new message's stored trace context.
 */
export function* acceptPlan(
  remoteSystemId: string,
  messages: readonly WireMessage[],
  domain: string,
  traceContext: (m: WireMessage) => string | null = () => null,
): Plan<MessageResult[]> {
  const pg = (yield* dialect()) === "postgres";
  const results: MessageResult[] = [];
  for (const m of messages) {
    const seen = yield* get(Q.existing, remoteSystemId, m.id);
    if (seen) {
      results.push(duplicate(m, seen));
      continue;
    }
    const laneKey = `${remoteSystemId}:${m.sender_correlation_id}`;
    // The sender learns our correlation id from this answer; until it does, every message of
    // the lane resolves to the same local id.
    const localId =
      m.receiver_correlation_id ||
      (yield* get(Q.correlationByRemote, remoteSystemId, m.sender_correlation_id))?.local_id ||
      (yield* get(Q.laneLocalId, laneKey))?.local_correlation_id ||
      newSysId();
    const values = [
      m.id,
      remoteSystemId,
      m.process_event,
      m.operation,
      localId,
      m.sender_correlation_id, // lane_key is computed from it (server/db/schema/queues.ts)
      m.lane_sequence,
      storePayload(m.payload, pg ? "postgres" : "sqlite"),
      Date.now(),
      domain,
      traceContext(m),
      initialSyncJobOf(m),
    ];
    const sequence = pg
      ? (yield* get(Q.insert, ...values))?.sequence
      : (yield* run(Q.insert, ...values)).lastInsertRowid;
    if (sequence === undefined) {
      // stored meanwhile by another process (PostgreSQL only)
      const stored = yield* get(Q.existing, remoteSystemId, m.id);
      if (!stored) throw new Error(`inbound message ${m.id} was neither stored nor found`);
      results.push(duplicate(m, stored));
      continue;
    }
    results.push({
      id: m.id,
      status: "accepted",
      sequence: Number(sequence),
      receiver_correlation_id: localId,
    });
  }
  return results;
}

/**
 * Stores a batch of accepted messages in the inbound queue in ONE transaction, deduplicating
 * by (remote, message id) inside it (SPEC 3.9). The caller answers 200 only after the promise
 * resolves, and by then the messages are on disk: on SQLite the transaction commits with
 * synchronous=NORMAL and the promise waits for the WAL's fsync (WalSync); on PostgreSQL it waits
 * for the COMMIT, which is durable. The workers of every process wake once it committed.
 */
export class InboundAcceptor {
  private readonly durable: WalSync | undefined;

  constructor(
    private readonly storage: Storage,
    durable?: WalSync,
  ) {
    this.durable = durable ?? (storage instanceof SqliteStorage ? new WalSync(storage.sqlite) : undefined);
  }

  /** Lets go of what the durable syncs keep open (the WAL's descriptor). */
  async close(): Promise<void> {
    await this.durable?.close();
  }

  /**
   * `requestTrace` is the request's traceparent header: the sender's span of the request, a
   * child of the first message's step. A message of that trace is accepted under it (the exact
   * causal chain); the others under the step that sent them, from their own trace context.
   */
  async accept(
    remoteSystemId: string,
    messages: WireMessage[],
    domain: string,
    requestTrace?: TraceContext,
  ): Promise<MessageResult[]> {
    const spans: Span[] = [];
    const t0 = performance.now();
    const make = () => {
      // a PostgreSQL transaction retried from the start: the spans of the failed attempt go
      for (const span of spans.splice(0)) span.end();
      return acceptPlan(remoteSystemId, messages, domain, (m) => this.acceptSpan(m, requestTrace, spans));
    };
    // SQLite: committed synchronously, so the fsync below starts at once and commits made
    // meanwhile share it.
    const results =
      this.storage instanceof SqliteStorage
        ? sqliteTransactionSync(this.storage, "InboundAcceptor", make)
        : await this.storage.transaction(make);
    // Committed, so safe from a crash: the workers may start while the fsync runs, since a power
    // loss can only drop a suffix of the WAL, the workers' own later writes included.
    // The worker defers its claim to setImmediate, so the answer's I/O still goes first.
    if (results.some((r) => r.status === "accepted")) this.storage.signals.notify("inbound");
    await this.durable?.sync();
    observeTransaction("inbound_accept", t0);
    for (const span of spans) span.end();
    return results;
  }

  /**
   * One accept span per message that carries a trace context, in the sender's trace; it ends
   * once the batch is on disk, and its context is stored so the inbound flow continues it.
   */
  private acceptSpan(m: WireMessage, requestTrace: TraceContext | undefined, spans: Span[]): string | null {
    if (!tracingOn() || !m.trace_context) return null;
    const sameTrace = requestTrace && traceIdOf(requestTrace) === traceIdOf(m.trace_context);
    const parent = contextOf(sameTrace ? requestTrace : m.trace_context);
    const span = startSpan("accept message", {
      parent,
      kind: SpanKind.CONSUMER,
      attributes: { "tandem.process_event": m.process_event, "tandem.message.id": m.id },
    });
    if (!span) return null;
    spans.push(span);
    return storedTraceContext(currentTraceContext(withSpanContext(parent, span)));
  }
}

const traceIdOf = (tc: TraceContext) => tc.traceparent.split("-")[1];
