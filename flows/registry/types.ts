import type { z } from "zod";
import type { Ports } from "../ports/ports";
import type { Binding } from "../schema/binding";
import type { FlowParam } from "../schema/canvas";
import type { ValueKind, ValueType } from "../schema/value-type";

export type PaletteGroup = "Start" | "Correlation" | "Sync" | "Records" | "Logic" | "Operations";
export const PALETTE_GROUPS: readonly PaletteGroup[] = [
  "Start",
  "Correlation",
  "Sync",
  "Records",
  "Logic",
  "Operations",
];

/** Everything a node may use while it runs. One object per run, `nodeId`/key updated per step. */
export interface NodeContext {
  readonly ports: Ports;
  readonly nodeId: string;
  readonly runKey: string;
  /** `${runKey}:${nodeId}` (plus `:${index}` inside For Each); only meaningful for side effects. */
  readonly idempotencyKey: string;
  readonly signal: AbortSignal | undefined;
  /** Local user whose name appears on writes (the remote's "run inbound flows as"). */
  readonly runAs: string | undefined;
  /** Remote system a write is made on behalf of (echo suppression, SPEC 3.8). */
  readonly originRemoteSystem: string | undefined;
  /** The flow's inputs (Flow Inputs outputs them). */
  readonly flowInputs: Record<string, unknown>;
  /** Set Variables writes here; pills read it as `vars.<name>`. */
  readonly vars: Record<string, unknown>;
}

export type NodeOutputs = Record<string, unknown>;

/** `port` defaults to `next`. */
export interface NodeResult {
  outputs: NodeOutputs;
  port?: string;
}

/** A config type with every binding replaced by its resolved value. */
export type Resolved<T> = T extends Binding
  ? unknown
  : T extends readonly (infer U)[]
    ? Resolved<U>[]
    : T extends object
      ? { [K in keyof T]: Resolved<T[K]> }
      : T;

export interface InputSpec {
  type: ValueKind;
  label: string;
  required?: boolean;
}

export interface OutputContext {
  flowInputs: readonly FlowParam[];
}

/** What the interpreter treats specially. */
export type NodeRole = "start" | "end" | "loop";

export interface NodeTypeDefinition<C extends Record<string, unknown>> {
  id: string;
  version: number;
  label: string;
  group: PaletteGroup;
  description: string;
  /** Output ports; `error` is added by the registry for every node but End. */
  ports: readonly string[];
  configSchema: z.ZodType<C>;
  /** Config fields that are bindings (inputs), with their expected type. */
  inputs: Readonly<Record<string, InputSpec>>;
  /** Required inputs that depend on other settings (e.g. Look Up Correlation's mode). */
  requiredInputs?: (config: C) => string[];
  outputs: (config: C, ctx: OutputContext) => ValueType;
  sideEffects: boolean;
  role?: NodeRole;
  execute(ctx: NodeContext, config: Resolved<C>): NodeResult | Promise<NodeResult>;
}

/** A node type with its config type erased, as the registry stores it. */
export interface NodeType {
  readonly id: string;
  readonly version: number;
  readonly label: string;
  readonly group: PaletteGroup;
  readonly description: string;
  readonly ports: readonly string[];
  readonly configSchema: z.ZodType<Record<string, unknown>>;
  readonly inputs: Readonly<Record<string, InputSpec>>;
  readonly requiredInputs?: (config: Record<string, unknown>) => string[];
  readonly outputs: (config: Record<string, unknown>, ctx: OutputContext) => ValueType;
  readonly sideEffects: boolean;
  readonly role?: NodeRole;
  execute(ctx: NodeContext, config: Record<string, unknown>): NodeResult | Promise<NodeResult>;
}

/** Typed authoring helper: checks the definition against its config type, then erases it. */
export function defineNodeType<C extends Record<string, unknown>>(def: NodeTypeDefinition<C>): NodeType {
  const ports = def.role === "end" || def.ports.includes("error") ? def.ports : [...def.ports, "error"];
  return { ...def, ports } as unknown as NodeType;
}
