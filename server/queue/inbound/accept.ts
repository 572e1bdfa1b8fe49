import type { Span } from "@opentelemetry/api";
import type Database from "better-sqlite3";
import type { Db } from "../../db/client";
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
import { newSysId } from "../../util/ids";
import { encodePayload } from "../payload-codec";

interface ExistingRow {
  sequence: number;
  local_correlation_id: string | null;
}

/**
 * Stores a batch of accepted messages in the inbound queue in ONE transaction, deduplicating
 * by (remote, message id) inside it (SPEC 3.9). The caller answers 200 only after the promise
 * resolves, and that waits for the WAL's fsync, so the messages are on disk by then.
 */
export class InboundAcceptor {
  private readonly sql;
  private readonly sqlite: Database.Database;
  private readonly durable: WalSync;

  constructor(
    db: Db,
    private readonly wake: () => void,
    durable?: WalSync,
  ) {
    const c = db.$client;
    this.sqlite = c;
    this.durable = durable ?? new WalSync(c);
    this.sql = {
      existing: c.prepare<[string, string], ExistingRow>(
        "SELECT sequence, local_correlation_id FROM inbound_queue WHERE remote_system_id = ? AND message_id = ?",
      ),
      laneLocalId: c.prepare<[string], { local_correlation_id: string }>(
        `SELECT local_correlation_id FROM inbound_queue WHERE lane_key = ? AND local_correlation_id IS NOT NULL
         ORDER BY sequence DESC LIMIT 1`,
      ),
      correlationByRemote: c.prepare<[string, string], { local_id: string }>(
        "SELECT local_id FROM correlation WHERE remote_system_id = ? AND remote_id = ? AND state = 'active' LIMIT 1",
      ),
      insert: c.prepare(
        `INSERT INTO inbound_queue (message_id, remote_system_id, process_event, operation, local_correlation_id,
           remote_correlation_id, lane_key, lane_seq, payload, status, received_at, domain, trace_context)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'ready', ?, ?, ?)`,
      ),
    };
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
    const results = this.sqlite.transaction(() =>
      messages.map((m): MessageResult => {
        const seen = this.sql.existing.get(remoteSystemId, m.id);
        if (seen) {
          return {
            id: m.id,
            status: "duplicate",
            sequence: seen.sequence,
            receiver_correlation_id: seen.local_correlation_id,
          };
        }
        const laneKey = `${remoteSystemId}:${m.sender_correlation_id}`;
        // The sender learns our correlation id from this answer; until it does, every message of
        // the lane resolves to the same local id.
        const localId =
          m.receiver_correlation_id ||
          this.sql.correlationByRemote.get(remoteSystemId, m.sender_correlation_id)?.local_id ||
          this.sql.laneLocalId.get(laneKey)?.local_correlation_id ||
          newSysId();
        const traceContext = this.acceptSpan(m, requestTrace, spans);
        const info = this.sql.insert.run(
          m.id,
          remoteSystemId,
          m.process_event,
          m.operation,
          localId,
          m.sender_correlation_id,
          laneKey,
          m.lane_sequence,
          encodePayload(m.payload),
          Date.now(),
          domain,
          traceContext,
        );
        return {
          id: m.id,
          status: "accepted",
          sequence: Number(info.lastInsertRowid),
          receiver_correlation_id: localId,
        };
      }),
    )();
    // Committed, so safe from a crash: the worker may start while the fsync runs, since a power
    // loss can only drop a suffix of the WAL, the worker's own later writes included.
    if (results.some((r) => r.status === "accepted")) setImmediate(this.wake);
    await this.durable.sync();
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
