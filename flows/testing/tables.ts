import type { TableInfo } from "../ports/ports";

/** A tiny table registry mirroring SPEC 1.1's seeded tables, for the in-memory records port. */
const STATE = [
  { value: "1", label: "New" },
  { value: "2", label: "In Progress" },
  { value: "3", label: "On Hold" },
  { value: "6", label: "Resolved" },
  { value: "7", label: "Closed" },
  { value: "8", label: "Canceled" },
];
const LEVEL = [
  { value: "1", label: "1 - High" },
  { value: "2", label: "2 - Medium" },
  { value: "3", label: "3 - Low" },
];
const CATEGORY = ["inquiry", "software", "hardware", "network", "database"].map((v) => ({
  value: v,
  label: v,
}));
const CLOSE_CODE = [
  "Solved (Permanently)",
  "Solved (Work Around)",
  "Not Solved",
  "Closed/Resolved by Caller",
].map((v) => ({ value: v, label: v }));

export const MEMORY_TABLES: readonly TableInfo[] = [
  {
    name: "incident",
    fields: [
      { name: "number", type: "string" },
      { name: "short_description", type: "string" },
      { name: "description", type: "text" },
      { name: "state", type: "choice", choices: STATE },
      { name: "impact", type: "choice", choices: LEVEL },
      { name: "urgency", type: "choice", choices: LEVEL },
      { name: "severity", type: "choice", choices: LEVEL },
      { name: "priority", type: "integer" },
      { name: "category", type: "choice", choices: CATEGORY },
      {
        name: "assignment_group",
        type: "reference",
        reference: { table: "sys_user_group", displayField: "name" },
      },
      { name: "assigned_to", type: "reference", reference: { table: "sys_user", displayField: "name" } },
      { name: "caller", type: "reference", reference: { table: "sys_user", displayField: "name" } },
      { name: "resolved_by", type: "reference", reference: { table: "sys_user", displayField: "name" } },
      { name: "close_code", type: "choice", choices: CLOSE_CODE },
      { name: "close_notes", type: "text" },
      { name: "comments", type: "journal" },
      { name: "work_notes", type: "journal" },
    ],
  },
  {
    name: "sys_user",
    fields: [
      { name: "user_name", type: "string" },
      { name: "name", type: "string" },
      { name: "email", type: "string" },
    ],
  },
  { name: "sys_user_group", fields: [{ name: "name", type: "string" }] },
];
