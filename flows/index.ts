/**
 * The flow language (SPEC 4): schemas, node registry, compiler, interpreter, templates.
 * Pure TypeScript + zod + jsonata; imports nothing of React, Next, the database or server/.
 */

export type { BindingScope } from "./compiler/check-bindings";
export * from "./compiler/compile";
export * from "./compiler/connect";
export * from "./compiler/diagnostics";
export * from "./expressions/expressions";
export * from "./expressions/limits";

export * from "./graph/graph";
export * from "./interpreter/journal";
export type * from "./interpreter/observer";
export * from "./interpreter/options";
export * from "./interpreter/pills";
export { DagError, type PreparedDag, prepareDag } from "./interpreter/prepare";
export * from "./interpreter/run";
export * from "./ports/errors";
export type * from "./ports/ports";
export * from "./registry/coerce";
export * from "./registry/registry";
export * from "./registry/types";
export * from "./schema/binding";
export * from "./schema/canvas";
export * from "./schema/dag";
export * from "./schema/migrate";
export * from "./schema/payload";
export * from "./schema/value-type";

export * from "./templates/index";
