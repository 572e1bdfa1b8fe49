import fs from "node:fs";
import { ROOT_CONTEXT, TraceFlags, trace } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { installQueueGauges } from "../queue/queue-gauges";
import { SyncConfig } from "../sync/config-store";
import { SecretBox } from "../sync/secrets";
import { memoryInstance } from "../testing/memory-instance";
import { nowRoutePattern } from "./http";
import { metrics } from "./metrics";
import { tandemSampler } from "./sampler";
import { currentTraceContext, inSpan, tracingOn } from "./tracing";

describe("observability", () => {
  it("names Table API routes by pattern, never by record id", () => {
    expect(nowRoutePattern(["table", "incident"])).toBe("/api/now/table/{table}");
    expect(nowRoutePattern(["v2", "table", "incident", "a".repeat(32)])).toBe(
      "/api/now/v2/table/{table}/{sys_id}",
    );
    expect(nowRoutePattern(["attachment", "file"])).toBe("/api/now/attachment/file");
    expect(nowRoutePattern(["attachment", "b".repeat(32), "file"])).toBe("/api/now/attachment/{sys_id}/file");
    expect(nowRoutePattern(["whatever", "c".repeat(32), "x", "y"])).toBe("/api/now/{unknown}");
  });

  it("reads queue depth and the oldest ready row per remote at scrape time", async () => {
    const { db, storage } = memoryInstance();
    const config = new SyncConfig(storage, SecretBox.forTests());
    const def = await config.createDefinition({ name: "D" });
    const remote = await config.createRemote({
      definitionId: def.id,
      name: "beta",
      baseUrl: "http://127.0.0.1:9",
    });
    const insert = db.$client.prepare(
      `INSERT INTO outbound_queue (message_id, status, process_event, remote_system_id, flow_binding_id, operation, table_name,
         record_sys_id, lane_seq, payload, next_attempt_at, retry_history, created_at)
       VALUES (?, ?, 'e', ?, 'b', 'create', 'incident', ?, 1, '{}', 0, '[]', ?)`,
    );
    const now = Date.now();
    insert.run("m1", "ready", remote.id, "r1", now - 5_000);
    insert.run("m2", "ready", remote.id, "r2", now - 1_000);
    insert.run("m3", "error", remote.id, "r3", now);
    insert.run("m4", "processed", remote.id, "r4", now - 60_000);
    installQueueGauges({ storage, config });
    const text = await metrics().registry.metrics();
    expect(text).toContain('tandem_queue_depth{queue="outbound",remote="beta",status="ready"} 2');
    expect(text).toContain('tandem_queue_depth{queue="outbound",remote="beta",status="error"} 1');
    const age = /tandem_queue_oldest_ready_age_seconds\{queue="outbound",remote="beta"\} (\S+)/.exec(text);
    expect(Number(age?.[1])).toBeGreaterThanOrEqual(5);
    expect(Number(age?.[1])).toBeLessThan(60); // the processed row is not "waiting"
  });

  it("every series the Grafana dashboard queries is one Tandem exports", async () => {
    const dashboard = fs.readFileSync("ops/grafana/tandem.json", "utf8");
    const used = new Set([...dashboard.matchAll(/\b(tandem_[a-z0-9_]+)/g)].map((m) => m[1] as string));
    const exported = new Set(
      (await metrics().registry.getMetricsAsJSON()).flatMap((m) =>
        String(m.type) === "histogram" ? [`${m.name}_bucket`, `${m.name}_sum`, `${m.name}_count`] : [m.name],
      ),
    );
    const missing = [...used].filter((name) => !exported.has(name));
    expect(missing).toEqual([]);
  });

  it("costs nothing when tracing is off: no span, no context to store", () => {
    expect(tracingOn()).toBe(false);
    expect(inSpan("x", {}, (span) => span)).toBeUndefined();
    expect(currentTraceContext()).toBeUndefined();
  });

  it("samples whole journeys: a span follows its parent, a root follows the ratio, Next.js internals are dropped", () => {
    const half = tandemSampler(0.5);
    const decide = (ctx: typeof ROOT_CONTEXT, traceId: string, attributes = {}) =>
      half.shouldSample(ctx, traceId, "x", 0, attributes, []).decision;
    const parent = (flags: TraceFlags) =>
      trace.setSpanContext(ROOT_CONTEXT, {
        traceId: "a".repeat(32),
        spanId: "b".repeat(16),
        traceFlags: flags,
        isRemote: true,
      });
    expect(decide(parent(TraceFlags.SAMPLED), `${"0".repeat(24)}ffffffff`)).toBe(2); // sampled parent wins
    expect(decide(parent(TraceFlags.NONE), `${"0".repeat(32)}`)).toBe(0); // unsampled parent wins
    expect(decide(ROOT_CONTEXT, `${"f".repeat(24)}00000001`)).toBe(2); // low id: under the ratio
    expect(decide(ROOT_CONTEXT, `${"0".repeat(24)}ffffffff`)).toBe(0); // high id: over it
    expect(decide(ROOT_CONTEXT, "1".repeat(32), { "next.span_type": "NextNodeServer.startResponse" })).toBe(
      0,
    );
    expect(tandemSampler(1).shouldSample(ROOT_CONTEXT, "f".repeat(32), "x", 0, {}, []).decision).toBe(2);
  });
});
