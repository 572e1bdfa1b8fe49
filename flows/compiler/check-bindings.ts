import { checkExpression } from "../expressions/expressions";
import { forbiddenSegment } from "../interpreter/pills";
import type { NodeType } from "../registry/types";
import { isBinding, isEmptyBinding } from "../schema/binding";
import { isAssignable, t, typeAtPath, type ValueType } from "../schema/value-type";
import { type Diagnostic, diagnostic } from "./diagnostics";

/** What the binding checks need to know about the rest of the graph. */
export interface BindingScope {
  inputsType: ValueType;
  nodeExists(id: string): boolean;
  isUpstream(id: string, of: string): boolean;
  outputsOf(id: string): ValueType;
  varsFor(nodeId: string): ValueType;
}

/** Every binding in a config, with its field path (`rows.2.value`). */
export function* bindingsIn(
  value: unknown,
  path: string[] = [],
): Generator<{ path: string[]; binding: unknown }> {
  if (isBinding(value)) {
    yield { path, binding: value };
    return;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* bindingsIn(value[i], [...path, String(i)]);
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) yield* bindingsIn(v, [...path, k]);
  }
}

const errorOutputs: ValueType = t.object({
  message: t.string("Error message"),
  code: t.string("Error code"),
});

function rootType(path: readonly string[], nodeId: string, scope: BindingScope): ValueType {
  if (path[0] === "inputs") return scope.inputsType;
  if (path[0] === "vars") return scope.varsFor(nodeId);
  const out = scope.outputsOf(path[1] as string);
  // Every node offers `error` to whatever its error port leads to.
  return out.type === "object" ? { ...out, fields: { ...out.fields, error: errorOutputs } } : out;
}

export function checkBindings(
  nodeId: string,
  type: NodeType,
  config: Record<string, unknown>,
  scope: BindingScope,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const where = (field: string) => ({ nodeId, field });
  const label = `${type.label} (${nodeId})`;

  const required = new Set(
    Object.entries(type.inputs)
      .filter(([, s]) => s.required)
      .map(([k]) => k),
  );
  for (const f of type.requiredInputs?.(config) ?? []) required.add(f);
  for (const f of required) {
    if (isEmptyBinding(config[f])) {
      out.push(
        diagnostic(
          "REQUIRED_INPUT_EMPTY",
          `${label}: "${type.inputs[f]?.label ?? f}" is required.`,
          where(f),
        ),
      );
    }
  }

  for (const { path: fieldPath, binding } of bindingsIn(config)) {
    if (!isBinding(binding)) continue;
    const field = fieldPath.join(".");
    if (binding.kind === "expression") {
      if (binding.source.trim() === "") continue;
      const check = checkExpression(binding.source);
      if (!check.ok) {
        const code =
          check.code === "EXPRESSION_TOO_LONG" ||
          check.code === "EXPRESSION_FORBIDDEN" ||
          check.code === "EXPRESSION_REGEX_UNSUPPORTED"
            ? check.code
            : "EXPRESSION_SYNTAX";
        out.push(diagnostic(code, `${label}, ${field}: ${check.message}`, where(field)));
      }
      continue;
    }
    if (binding.kind !== "pill") continue;
    const p = binding.path;
    const shown = p.join(".");
    const bad = forbiddenSegment(p);
    if (bad !== undefined) {
      out.push(
        diagnostic(
          "PILL_FORBIDDEN_SEGMENT",
          `${label}, ${field}: pill ${shown} uses "${bad}".`,
          where(field),
        ),
      );
      continue;
    }
    const root = p[0];
    if (root !== "inputs" && root !== "steps" && root !== "vars") {
      out.push(
        diagnostic(
          "PILL_UNKNOWN_ROOT",
          `${label}, ${field}: pill ${shown} must start with inputs, steps or vars.`,
          where(field),
        ),
      );
      continue;
    }
    if (root === "steps") {
      const ref = p[1];
      if (ref === undefined || !scope.nodeExists(ref)) {
        out.push(
          diagnostic(
            "PILL_UNKNOWN_NODE",
            `${label}, ${field}: pill ${shown} names a node that does not exist.`,
            where(field),
          ),
        );
        continue;
      }
      if (!scope.isUpstream(ref, nodeId)) {
        out.push(
          diagnostic(
            "PILL_NOT_UPSTREAM",
            `${label}, ${field}: pill ${shown} reads node ${ref}, which does not run before this one.`,
            where(field),
          ),
        );
        continue;
      }
    }
    const skip = root === "steps" ? 2 : 1;
    const at = typeAtPath(rootType(p, nodeId, scope), p.slice(skip));
    if (!at.ok) {
      const seg = p.slice(0, skip + at.at + 1).join(".");
      if (at.reason === "unknown") {
        out.push(
          diagnostic(
            "PILL_UNKNOWN_OUTPUT",
            `${label}, ${field}: pill ${shown}: ${seg} does not exist.`,
            where(field),
          ),
        );
      } else {
        out.push(
          diagnostic(
            "TYPE_MISMATCH",
            `${label}, ${field}: pill ${shown}: ${p.slice(0, skip + at.at).join(".")} is a ${at.found}, it has no ${p[skip + at.at]}.`,
            where(field),
          ),
        );
      }
      continue;
    }
    const expected = fieldPath.length === 1 ? type.inputs[fieldPath[0] as string]?.type : undefined;
    if (expected !== undefined && !isAssignable(at.type.type, expected)) {
      out.push(
        diagnostic(
          "TYPE_MISMATCH",
          `${label}, ${field}: expects a ${expected} but pill ${shown} is a ${at.type.type}.`,
          where(field),
        ),
      );
    }
  }
  return out;
}
