import { z } from "zod";
import { DataError } from "../ports/errors";
import { arr } from "../registry/coerce";
import { defineNodeType } from "../registry/types";
import { bindingSchema } from "../schema/binding";
import { t } from "../schema/value-type";

const configSchema = z.object({
  items: bindingSchema,
  /** A guard against runaway lists; the flow timeout is the other one. */
  maxItems: z.number().int().positive().max(100_000).default(1000),
});

/**
 * The interpreter runs the `each` branch once per item (outputs `item`, `index`), then follows
 * `done` (outputs `count`). Nodes reachable from `each` form the loop body.
 */
export const forEach = defineNodeType({
  id: "for_each",
  version: 1,
  label: "For Each",
  group: "Logic",
  description: "Runs the `each` branch for every item of a list, then continues on `done`.",
  ports: ["each", "done"],
  configSchema,
  inputs: { items: { type: "array", label: "Items", required: true } },
  outputs: () =>
    t.object({ item: t.any("Current item"), index: t.number("Index"), count: t.number("Count") }),
  sideEffects: false,
  role: "loop",
  execute(_ctx, c) {
    const items = arr(c.items, "items");
    if (items.length > c.maxItems) {
      throw new DataError(`For Each got ${items.length} items; the limit is ${c.maxItems}.`, {
        field: "items",
      });
    }
    return { outputs: { items, count: items.length }, port: "each" };
  },
});
