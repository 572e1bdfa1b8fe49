import { z } from "zod";
import { truthy } from "../registry/coerce";
import { defineNodeType } from "../registry/types";
import { bindingSchema, optionalBinding } from "../schema/binding";
import { t } from "../schema/value-type";

const configSchema = z.object({
  left: bindingSchema,
  operator: z
    .enum([
      "is_true",
      "is_false",
      "equals",
      "not_equals",
      "is_empty",
      "is_not_empty",
      "greater_than",
      "less_than",
      "contains",
    ])
    .default("is_true"),
  right: optionalBinding(),
});

type Operator = z.infer<typeof configSchema>["operator"];

const isEmpty = (v: unknown) =>
  v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);

function compare(op: Operator, left: unknown, right: unknown): boolean {
  switch (op) {
    case "is_true":
      return truthy(left);
    case "is_false":
      return !truthy(left);
    case "equals":
      return left === right || String(left ?? "") === String(right ?? "");
    case "not_equals":
      return !(left === right || String(left ?? "") === String(right ?? ""));
    case "is_empty":
      return isEmpty(left);
    case "is_not_empty":
      return !isEmpty(left);
    case "greater_than":
      return Number(left) > Number(right);
    case "less_than":
      return Number(left) < Number(right);
    case "contains":
      return Array.isArray(left) ? left.includes(right) : String(left ?? "").includes(String(right ?? ""));
  }
}

// Preallocated results: If sits on the hot path of every template.
const TRUE = { outputs: { result: true }, port: "true" } as const;
const FALSE = { outputs: { result: false }, port: "false" } as const;

export const ifNode = defineNodeType({
  id: "if",
  version: 1,
  label: "If / Else",
  group: "Logic",
  description: "Follows `true` or `false` depending on a condition.",
  ports: ["true", "false"],
  configSchema,
  inputs: {
    left: { type: "any", label: "Value", required: true },
    right: { type: "any", label: "Compared with" },
  },
  outputs: () => t.object({ result: t.boolean("Result") }),
  sideEffects: false,
  execute: (_ctx, c) => (compare(c.operator, c.left, c.right) ? TRUE : FALSE),
});
