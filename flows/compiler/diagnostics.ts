/**
 * The one catalogue of compiler diagnostics. Codes are stable (the designer and tests key on
 * them); messages are written at the call site and name the node, edge or field concerned.
 */
export type Severity = "error" | "warning";

export const DIAGNOSTIC_CATALOGUE = {
  INVALID_GRAPH: { severity: "error", title: "The flow is not a valid flow document" },
  UNSUPPORTED_SCHEMA_VERSION: { severity: "error", title: "Unsupported flow schema version" },
  DUPLICATE_NODE_ID: { severity: "error", title: "Two nodes share an id" },
  DUPLICATE_EDGE_ID: { severity: "error", title: "Two edges share an id" },
  MISSING_START: { severity: "error", title: "The flow has no Flow Inputs node" },
  MULTIPLE_STARTS: { severity: "error", title: "The flow has more than one Flow Inputs node" },
  UNKNOWN_NODE_TYPE: { severity: "error", title: "Unknown node type" },
  UNSUPPORTED_TYPE_VERSION: { severity: "error", title: "Node type version newer than this engine" },
  EDGE_TO_MISSING_NODE: { severity: "error", title: "Edge to or from a node that does not exist" },
  UNKNOWN_PORT: { severity: "error", title: "Edge from a port the node does not have" },
  EDGE_INTO_START: { severity: "error", title: "Edge into Flow Inputs" },
  DUPLICATE_EDGE: { severity: "warning", title: "The same connection twice" },
  CYCLE: { severity: "error", title: "The flow contains a cycle" },
  UNREACHABLE_NODE: { severity: "warning", title: "Node not reachable from Flow Inputs" },
  MISSING_END: { severity: "warning", title: "No End node reachable: the flow's outputs are never assigned" },
  LOOP_BODY_ESCAPES: { severity: "warning", title: "A For Each body joins the path after the loop" },
  INVALID_CONFIG: { severity: "error", title: "Invalid configuration" },
  REQUIRED_INPUT_EMPTY: { severity: "error", title: "Required input left empty" },
  PILL_FORBIDDEN_SEGMENT: { severity: "error", title: "Data pill path uses a forbidden segment" },
  PILL_UNKNOWN_ROOT: { severity: "error", title: "Data pill does not start with inputs, steps or vars" },
  PILL_UNKNOWN_NODE: { severity: "error", title: "Data pill references a node that does not exist" },
  PILL_NOT_UPSTREAM: { severity: "error", title: "Data pill references a node that is not upstream" },
  PILL_UNKNOWN_OUTPUT: { severity: "error", title: "Data pill references an output that does not exist" },
  TYPE_MISMATCH: { severity: "error", title: "Type mismatch" },
  EXPRESSION_SYNTAX: { severity: "error", title: "Expression syntax error" },
  EXPRESSION_FORBIDDEN: { severity: "error", title: "Expression uses something not allowed" },
  EXPRESSION_REGEX_UNSUPPORTED: {
    severity: "error",
    title: "Regular expression needs backtracking (backreference or lookaround)",
  },
  EXPRESSION_TOO_LONG: { severity: "error", title: "Expression too long" },
} as const satisfies Record<string, { severity: Severity; title: string }>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CATALOGUE;

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  nodeId?: string;
  edgeId?: string;
  /** Config field path, e.g. `rows.2.value`, when the diagnostic is about one field. */
  field?: string;
}

export function diagnostic(
  code: DiagnosticCode,
  message: string,
  where: { nodeId?: string; edgeId?: string; field?: string } = {},
): Diagnostic {
  return { code, severity: DIAGNOSTIC_CATALOGUE[code].severity, message, ...where };
}

export const hasErrors = (ds: readonly Diagnostic[]): boolean => ds.some((d) => d.severity === "error");
