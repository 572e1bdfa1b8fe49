import type { TableViewOutput } from "@/server/api/routers/records.types";

const sysLabels: Record<string, string> = {
  sys_id: "Sys ID",
  sys_created_on: "Created",
  sys_created_by: "Created by",
  sys_updated_on: "Updated",
  sys_updated_by: "Updated by",
  sys_mod_count: "Updates",
};

/** Label and type of a field or sys_ column of a table, for headers and filters. */
export function columnOfView(view: Pick<TableViewOutput, "fields">, name: string) {
  const field = view.fields.find((f) => f.name === name);
  if (field) return { name, label: field.label, type: field.type as string };
  return { name, label: sysLabels[name] ?? name, type: name.endsWith("_on") ? "datetime" : "string" };
}
