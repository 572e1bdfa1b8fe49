import { z } from "zod";
import { valueKindSchema } from "./value-type";

/** The graph the designer saves. Versioned; older versions migrate on load (see migrate.ts). */
export const CANVAS_SCHEMA_VERSION = 2 as const;

export const flowKindSchema = z.enum(["outbound", "inbound", "error", "subflow"]);
export type FlowKind = z.infer<typeof flowKindSchema>;

export const flowParamSchema = z.object({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an identifier (letters, digits, underscore)"),
  type: valueKindSchema,
  label: z.string().optional(),
});
export type FlowParam = z.infer<typeof flowParamSchema>;

export const canvasNodeSchema = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  typeVersion: z.number().int().positive(),
  position: z.object({ x: z.number(), y: z.number() }),
  label: z.string().optional(),
  config: z.record(z.string(), z.unknown()).default({}),
});
export type CanvasNode = z.infer<typeof canvasNodeSchema>;

export const canvasEdgeSchema = z.object({
  id: z.string().min(1),
  source: z.string().min(1),
  sourcePort: z.string().min(1),
  target: z.string().min(1),
  targetPort: z.string().optional(),
});
export type CanvasEdge = z.infer<typeof canvasEdgeSchema>;

export const canvasGraphSchema = z.object({
  schemaVersion: z.literal(CANVAS_SCHEMA_VERSION),
  id: z.string().optional(),
  name: z.string().min(1),
  description: z.string().default(""),
  kind: flowKindSchema,
  inputs: z.array(flowParamSchema).default([]),
  outputs: z.array(flowParamSchema).default([]),
  nodes: z.array(canvasNodeSchema),
  edges: z.array(canvasEdgeSchema),
});
export type CanvasGraph = z.infer<typeof canvasGraphSchema>;
/** What callers may hand in before defaults are applied. */
export type CanvasGraphInput = z.input<typeof canvasGraphSchema>;
