import { type Attributes, type Context, TraceFlags, trace } from "@opentelemetry/api";
import type { Sampler, SamplingDecision, SamplingResult } from "@opentelemetry/sdk-trace-base";

// Which spans are recorded.
// 1. Next.js creates spans through the global tracer once the SDK is registered: for every
//    request about six (module loading, component resolution, response start…). The HTTP server
//    span and the route handler's span carry the request into ours; the rest would double what
//    a record costs to trace and say nothing about sync, so they are not recorded (none of ours
//    runs inside them).
// 2. Parent-based: a span follows its parent's decision, local or remote (the trace context
//    stored with a queue row or carried by a wire message), so a journey is traced whole or not
//    at all, on both instances.
// 3. A root is sampled with probability `ratio` (OTEL_TRACES_SAMPLER_ARG), decided by its trace id.
const keptNextSpans = new Set(["BaseServer.handleRequest", "AppRouteRouteHandlers.runHandler"]);

// The SDK's SamplingDecision values, without importing the SDK where tracing is off.
const NOT_RECORD = 0 as SamplingDecision;
const RECORD_AND_SAMPLED = 2 as SamplingDecision;

export function tandemSampler(ratio: number): Sampler {
  // The low 32 bits of a random trace id are uniform: compare them to ratio × 2^32.
  const bound = Math.floor(Math.max(0, Math.min(1, ratio)) * 0xffffffff);
  return {
    shouldSample(
      context: Context,
      traceId: string,
      _name: string,
      _kind: unknown,
      attributes: Attributes,
    ): SamplingResult {
      const nextType = attributes["next.span_type"];
      if (typeof nextType === "string" && !keptNextSpans.has(nextType)) return { decision: NOT_RECORD };
      const parent = trace.getSpanContext(context);
      if (parent && trace.isSpanContextValid(parent)) {
        return { decision: parent.traceFlags & TraceFlags.SAMPLED ? RECORD_AND_SAMPLED : NOT_RECORD };
      }
      if (ratio >= 1) return { decision: RECORD_AND_SAMPLED };
      return { decision: Number.parseInt(traceId.slice(-8), 16) <= bound ? RECORD_AND_SAMPLED : NOT_RECORD };
    },
    toString: () => `TandemSampler{parent-based, root ratio ${ratio}, Next.js request and handler spans}`,
  };
}
