import { z } from "zod";
import { flowKindSchema, flowParamSchema } from "./canvas";

/**
 * The compiled JSON DAG the server stores with a published version and the interpreter runs.
 * `order` is a topological order of every node, so the interpreter need not recompute it.
 */
export const DAG_VERSION = 1 as const;

export const dagNodeSchema = z.object({
  type: z.string(),
  typeVersion: z.number().int().positive(),
  label: z.string().optional(),
  config: z.record(z.string(), z.unknown()),
  next: z.record(z.string(), z.array(z.string())),
});
export type DagNode = z.infer<typeof dagNodeSchema>;

export const dagSchema = z.object({
  dagVersion: z.literal(DAG_VERSION),
  name: z.string(),
  kind: flowKindSchema,
  inputs: z.array(flowParamSchema),
  outputs: z.array(flowParamSchema),
  start: z.string(),
  order: z.array(z.string()),
  nodes: z.record(z.string(), dagNodeSchema),
});
export type Dag = z.infer<typeof dagSchema>;
