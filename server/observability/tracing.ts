import {
  type Attributes,
  type Context,
  context,
  type Link,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";

// Tracing (OpenTelemetry): one record's journey from the write that captured it to the write
// that committed it on the peer is one trace. The W3C trace context travels in each wire message
// and is stored with the queue rows, so workers continue the trace of the row they run.
// Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set: then no SDK is loaded and every helper here
// returns after one boolean test.

/** The W3C trace context of a message or queue row (SPEC 3.3, optional). */
export interface TraceContext {
  traceparent: string;
  tracestate?: string;
}

const slot = Symbol.for("tandem.tracing");
type Slot = { [slot]?: { shutdown: () => Promise<void> } };

let on = false;

/** Whether this process exports traces (the SDK is started). */
export function tracingOn(): boolean {
  return on;
}

export interface TracingOptions {
  /** OTLP/HTTP base URL (OTEL_EXPORTER_OTLP_ENDPOINT); undefined keeps tracing off. */
  endpoint: string | undefined;
  serviceName: string;
  serviceVersion: string;
  instanceId: string;
  /** Share of journeys traced (OTEL_TRACES_SAMPLER_ARG), decided at the root; 1 = all. */
  sampleRatio?: number;
}

/**
 * Starts the SDK once per process when an endpoint is configured. The SDK modules are imported
 * only then, so an instance without tracing never loads them.
 */
export async function startTracing(options: TracingOptions): Promise<void> {
  const g = globalThis as Slot;
  if (!options.endpoint || g[slot]) return;
  const [
    { NodeTracerProvider, BatchSpanProcessor },
    { OTLPTraceExporter },
    { resourceFromAttributes },
    sc,
    s,
  ] = await Promise.all([
    import("@opentelemetry/sdk-trace-node"),
    import("@opentelemetry/exporter-trace-otlp-http"),
    import("@opentelemetry/resources"),
    import("@opentelemetry/semantic-conventions"),
    import("./sampler"),
  ]);
  const provider = new NodeTracerProvider({
    sampler: s.tandemSampler(options.sampleRatio ?? 1),
    resource: resourceFromAttributes({
      [sc.ATTR_SERVICE_NAME]: options.serviceName,
      [sc.ATTR_SERVICE_VERSION]: options.serviceVersion,
      "service.instance.id": options.instanceId,
    }),
    spanProcessors: [
      // A large queue and big batches: a burst of thousands of records a second must not drop
      // spans nor send a request per handful of them. The exporter sends OTLP JSON and reads
      // OTEL_EXPORTER_OTLP_ENDPOINT (and _HEADERS) itself.
      new BatchSpanProcessor(new OTLPTraceExporter(), {
        maxQueueSize: 65_536,
        maxExportBatchSize: 2048,
        scheduledDelayMillis: 1000,
      }),
    ],
  });
  provider.register();
  on = true;
  g[slot] = { shutdown: () => provider.shutdown() };
}

/** Flushes and stops the SDK (at instance stop). */
export async function stopTracing(): Promise<void> {
  const g = globalThis as Slot;
  const started = g[slot];
  if (!started) return;
  g[slot] = undefined;
  on = false;
  await started.shutdown().catch(() => undefined);
}

const tracer = () => trace.getTracer("tandem");

/** The active trace context as a W3C carrier, for a message or a queue row; undefined when off. */
export function currentTraceContext(ctx: Context = context.active()): TraceContext | undefined {
  if (!on) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  if (!carrier.traceparent) return undefined;
  return carrier.tracestate
    ? { traceparent: carrier.traceparent, tracestate: carrier.tracestate }
    : { traceparent: carrier.traceparent };
}

/** The context a stored or received trace context stands for (the root context when there is none). */
export function contextOf(tc: TraceContext | null | undefined): Context {
  if (!on || !tc) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, tc);
}

/** A trace context as stored in a queue row (JSON text), or null. */
export function storedTraceContext(tc: TraceContext | undefined): string | null {
  return tc ? JSON.stringify(tc) : null;
}

/** Reads a queue row's stored trace context; anything unreadable is no context. */
export function parseStoredTraceContext(text: string | null | undefined): TraceContext | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<TraceContext>;
    return typeof value.traceparent === "string" ? (value as TraceContext) : undefined;
  } catch {
    return undefined;
  }
}

export interface SpanOptions {
  parent?: Context;
  kind?: SpanKind;
  attributes?: Attributes;
  links?: Link[];
}

/**
 * Runs fn in a new span (active for everything fn starts, sync or async) and ends it when fn
 * returns or settles; a thrown error or rejection marks the span as failed. Without tracing,
 * fn runs as is.
 */
export function inSpan<T>(name: string, options: SpanOptions, fn: (span: Span | undefined) => T): T {
  if (!on) return fn(undefined);
  const parent = options.parent ?? context.active();
  const span = tracer().startSpan(
    name,
    {
      kind: options.kind ?? SpanKind.INTERNAL,
      ...(options.attributes ? { attributes: options.attributes } : {}),
      ...(options.links ? { links: options.links } : {}),
    },
    parent,
  );
  const fail = (error: unknown) => {
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: error instanceof Error ? error.message : String(error),
    });
  };
  let result: T;
  try {
    result = context.with(trace.setSpan(parent, span), () => fn(span));
  } catch (error) {
    fail(error);
    span.end();
    throw error;
  }
  if (result instanceof Promise) {
    return result.then(
      (value) => {
        span.end();
        return value;
      },
      (error: unknown) => {
        fail(error);
        span.end();
        throw error;
      },
    ) as T;
  }
  span.end();
  return result;
}

/** Starts a span that the caller ends (for work that begins and ends in different places). */
export function startSpan(name: string, options: SpanOptions): Span | undefined {
  if (!on) return undefined;
  return tracer().startSpan(
    name,
    {
      kind: options.kind ?? SpanKind.INTERNAL,
      ...(options.attributes ? { attributes: options.attributes } : {}),
      ...(options.links ? { links: options.links } : {}),
    },
    options.parent ?? context.active(),
  );
}

/** The span context active in `ctx`, for links. */
export function spanContextOf(ctx: Context) {
  return trace.getSpanContext(ctx);
}

/** The context with `span` active under `parent`. */
export function withSpanContext(parent: Context, span: Span): Context {
  return trace.setSpan(parent, span);
}

/** Binds fn to the active context when tracing is on, so work run later keeps its parent span. */
export function bindToActiveContext<T>(fn: () => T): () => T {
  return tracingOn() ? context.bind(context.active(), fn) : fn;
}

export type { Context };
export { context, SpanKind, SpanStatusCode };
