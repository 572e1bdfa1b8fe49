import type { Attributes } from "@opentelemetry/api";
import type { Sampler, SamplingDecision, SamplingResult } from "@opentelemetry/sdk-trace-base";

// Next.js creates spans through the global tracer once the SDK is registered: for every request
// about six (module loading, component resolution, response start…). The HTTP server span and
// the route handler's span carry the request into our spans; the rest would double what each
// record costs to trace and say nothing about sync. They are not recorded. Their children, if
// any, are none of ours (our spans run inside the route handler's span, which is kept).
const keptNextSpans = new Set(["BaseServer.handleRequest", "AppRouteRouteHandlers.runHandler"]);

// The SDK's SamplingDecision values, without importing the SDK where tracing is off.
const NOT_RECORD = 0 as SamplingDecision;
const RECORD_AND_SAMPLED = 2 as SamplingDecision;

export const tandemSampler: Sampler = {
  shouldSample(
    _context: unknown,
    _traceId: string,
    _name: string,
    _kind: unknown,
    attributes: Attributes,
  ): SamplingResult {
    const nextType = attributes["next.span_type"];
    if (typeof nextType === "string" && !keptNextSpans.has(nextType)) return { decision: NOT_RECORD };
    return { decision: RECORD_AND_SAMPLED };
  },
  toString: () => "TandemSampler{all of ours, Next.js request and handler spans}",
};
