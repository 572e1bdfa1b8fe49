import type { Choice, TableDefinition } from "./types";

// The business tables every instance starts with (SPEC 1.1). They are written into the
// table_registry at start, so the registry stays data that later versions can extend.

const levels: Choice[] = [
  { value: "1", label: "1 - High" },
  { value: "2", label: "2 - Medium" },
  { value: "3", label: "3 - Low" },
];

export const incidentStates: Choice[] = [
  { value: "1", label: "New" },
  { value: "2", label: "In Progress" },
  { value: "3", label: "On Hold" },
  { value: "6", label: "Resolved" },
  { value: "7", label: "Closed" },
  { value: "8", label: "Canceled" },
];

const incident: TableDefinition = {
  name: "incident",
  label: "Incident",
  numberPrefix: "INC",
  displayField: "number",
  fields: [
    { name: "number", label: "Number", type: "string", readOnly: true },
    {
      name: "short_description",
      label: "Short description",
      type: "string",
      mandatory: true,
      maxLength: 160,
    },
    { name: "description", label: "Description", type: "text", maxLength: 32_000 },
    { name: "state", label: "State", type: "choice", choices: incidentStates, defaultValue: "1" },
    { name: "impact", label: "Impact", type: "choice", choices: levels, defaultValue: "3" },
    { name: "urgency", label: "Urgency", type: "choice", choices: levels, defaultValue: "3" },
    {
      name: "severity",
      label: "Severity",
      type: "choice",
      choices: [
        { value: "1", label: "1 - High" },
        { value: "2", label: "2 - Medium" },
        { value: "3", label: "3 - Low" },
      ],
      defaultValue: "3",
    },
    {
      name: "priority",
      label: "Priority",
      type: "choice",
      readOnly: true,
      choices: [
        { value: "1", label: "1 - Critical" },
        { value: "2", label: "2 - High" },
        { value: "3", label: "3 - Moderate" },
        { value: "4", label: "4 - Low" },
        { value: "5", label: "5 - Planning" },
      ],
      defaultValue: "5",
    },
    {
      name: "category",
      label: "Category",
      type: "choice",
      choices: [
        { value: "inquiry", label: "Inquiry / Help" },
        { value: "software", label: "Software" },
        { value: "hardware", label: "Hardware" },
        { value: "network", label: "Network" },
        { value: "database", label: "Database" },
      ],
      defaultValue: "inquiry",
    },
    { name: "assignment_group", label: "Assignment group", type: "reference", reference: "sys_user_group" },
    { name: "assigned_to", label: "Assigned to", type: "reference", reference: "sys_user" },
    { name: "caller", label: "Caller", type: "reference", reference: "sys_user" },
    { name: "resolved_by", label: "Resolved by", type: "reference", reference: "sys_user" },
    {
      name: "close_code",
      label: "Resolution code",
      type: "choice",
      choices: [
        { value: "Solved (Work Around)", label: "Solved (Work Around)" },
        { value: "Solved (Permanently)", label: "Solved (Permanently)" },
        { value: "Solved Remotely (Work Around)", label: "Solved Remotely (Work Around)" },
        { value: "Solved Remotely (Permanently)", label: "Solved Remotely (Permanently)" },
        { value: "Not Solved (Not Reproducible)", label: "Not Solved (Not Reproducible)" },
        { value: "Not Solved (Too Costly)", label: "Not Solved (Too Costly)" },
        { value: "Closed/Resolved by Caller", label: "Closed/Resolved by Caller" },
      ],
    },
    { name: "close_notes", label: "Resolution notes", type: "text", maxLength: 32_000 },
    { name: "comments", label: "Additional comments", type: "journal" },
    { name: "work_notes", label: "Work notes", type: "journal" },
  ],
};

const group: TableDefinition = {
  name: "sys_user_group",
  label: "Group",
  numberPrefix: null,
  displayField: "name",
  fields: [
    { name: "name", label: "Name", type: "string", mandatory: true, maxLength: 80, unique: true },
    { name: "description", label: "Description", type: "text", maxLength: 4000 },
    { name: "email", label: "Group email", type: "string", maxLength: 100 },
    { name: "manager", label: "Manager", type: "reference", reference: "sys_user" },
    { name: "active", label: "Active", type: "boolean", defaultValue: "true" },
  ],
};

const user: TableDefinition = {
  name: "sys_user",
  label: "User",
  numberPrefix: null,
  displayField: "name",
  lookupFields: ["user_name", "email"],
  fields: [
    { name: "user_name", label: "User ID", type: "string", mandatory: true, maxLength: 80, unique: true },
    { name: "name", label: "Name", type: "string", maxLength: 120 },
    { name: "email", label: "Email", type: "string", maxLength: 100 },
    { name: "roles", label: "Roles", type: "string", maxLength: 400 },
    { name: "active", label: "Active", type: "boolean", defaultValue: "true" },
  ],
};

export const builtInTables: TableDefinition[] = [incident, group, user];
