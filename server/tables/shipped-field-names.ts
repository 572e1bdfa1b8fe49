/**
 * The field names of the tables Tandem ships (server/tables/definitions), commonest first, as
 * stored-text codecs swap them for one character (audit changes, field clocks: issue 14). Frozen:
 * a codec stores a name by its position here, so a list with other names is a new constant.
 */
export const SHIPPED_FIELD_NAMES_V1 = [
  // incident
  "number",
  "short_description",
  "description",
  "state",
  "impact",
  "urgency",
  "severity",
  "priority",
  "category",
  "assignment_group",
  "assigned_to",
  "caller",
  "comments",
  "work_notes",
  "close_code",
  "close_notes",
  "resolved_by",
  "sys_class_name",
  // sys_user and sys_user_group
  "user_name",
  "name",
  "email",
  "active",
  "manager",
  "roles",
] as const;
