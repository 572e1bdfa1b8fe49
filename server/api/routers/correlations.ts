import { z } from "zod";
import { readRecordRoles } from "../access";
import { roleProcedure, router } from "../trpc";

// The Sync panel of a record form (SPEC 6): its correlations and its queue history both ways.

const reader = roleProcedure(...readRecordRoles);

export const correlationsRouter = router({
  ofRecord: reader
    .input(
      z.object({
        table: z.string().min(1),
        sysId: z.string().min(1),
        limit: z.number().int().max(200).default(50),
      }),
    )
    .query(({ ctx, input }) => {
      const c = ctx.inst.db.$client;
      const remotes = ctx.inst.sync.config.snapshot().remotesById;
      const correlations = ctx.inst.sync.correlations
        .ofRecord(input.table, input.sysId)
        .map((k) => ({ ...k, remoteName: remotes.get(k.remoteSystem)?.name ?? k.remoteSystem }));
      const outbound = c
        .prepare(
          `SELECT id, status, process_event AS processEvent, remote_system_id AS remoteSystemId, operation, attempts,
             last_error AS lastError, flow_execution_id AS executionId, created_at AS at FROM outbound_queue
           WHERE table_name = ? AND record_sys_id = ? ORDER BY id DESC LIMIT ?`,
        )
        .all(input.table, input.sysId, input.limit) as QueueHistoryRow[];
      // Inbound rows name the record through its correlation (local id), not its sys_id.
      const inbound = correlations.length
        ? (c
            .prepare(
              `SELECT sequence AS id, status, process_event AS processEvent, remote_system_id AS remoteSystemId, operation,
                 attempts, last_error AS lastError, flow_execution_id AS executionId, received_at AS at FROM inbound_queue
               WHERE local_correlation_id IN (${correlations.map(() => "?").join(", ")}) ORDER BY sequence DESC LIMIT ?`,
            )
            .all(...correlations.map((k) => k.localCorrelationId), input.limit) as QueueHistoryRow[])
        : [];
      const name = (r: QueueHistoryRow) => ({
        ...r,
        remoteName: remotes.get(r.remoteSystemId)?.name ?? r.remoteSystemId,
      });
      return { correlations, outbound: outbound.map(name), inbound: inbound.map(name) };
    }),
});

interface QueueHistoryRow {
  id: number;
  status: string;
  processEvent: string;
  remoteSystemId: string;
  operation: string;
  attempts: number;
  lastError: string | null;
  executionId: string | null;
  at: number;
}
