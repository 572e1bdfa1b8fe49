import { type Binding, isBinding } from "@/flows";

/** A binding as one short phrase: `"text"`, `steps.transform.sys_id`, `ƒ expr`. */
export function bindingText(b: unknown): string {
  if (!isBinding(b)) return "";
  return textOf(b);
}

function textOf(b: Binding): string {
  if (b.kind === "pill") return b.path.join(".");
  if (b.kind === "expression") return `ƒ ${b.source}`;
  if (b.value === null || b.value === undefined || b.value === "") return "";
  return typeof b.value === "string" ? `"${b.value}"` : JSON.stringify(b.value);
}

const clip = (s: string, n = 48) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** The one-line configuration summary a node shows under its label. */
export function configSummary(typeId: string, config: Record<string, unknown>): string {
  const table = typeof config.table === "string" ? config.table : bindingText(config.table);
  switch (typeId) {
    case "flow_inputs":
      return "Starts the flow";
    case "log":
      return clip(`${String(config.level ?? "info")}: ${bindingText(config.message) || "(no message)"}`);
    case "if":
      return clip(`${bindingText(config.left) || "?"} ${String(config.operator ?? "").replaceAll("_", " ")}`);
    case "map_fields": {
      const rows = Array.isArray(config.rows) ? config.rows.length : 0;
      return clip(
        `${table || "?"}: ${config.mapAll ? "all fields" : "rows"}${rows ? ` + ${rows} row(s)` : ""}`,
      );
    }
    case "end": {
      const keys = Object.keys((config.values as object | undefined) ?? {});
      return keys.length ? clip(`outputs: ${keys.join(", ")}`) : "Ends the flow";
    }
    case "transform_payload":
      return `format: ${String(config.format ?? "captured")}`;
    case "lookup_correlation":
      return `by ${String(config.by ?? "").replaceAll("_", " ")}`;
    case "send_email":
      return clip(`to ${bindingText(config.to) || "?"}`);
    default:
      if (table) return clip(`table: ${table}`);
      for (const v of Object.values(config)) {
        const t = bindingText(v);
        if (t) return clip(t);
      }
      return "";
  }
}
