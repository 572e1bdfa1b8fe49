/** A captured incident payload (SPEC 3.1): shapes Transform Payload's pills and feeds tests. */
export const sampleIncidentPayload = {
  capture_metadata: {
    changed_by: "alice",
    timestamp: "2025-01-01T10:00:00Z",
    capture_definition: "incident-capture",
    operation: "create",
    source_table: "incident",
    sys_id: "a1b2c3d4e5f60718293a4b5c6d7e8f90",
  },
  changed_fields: [
    {
      key: "sys_id",
      value: "a1b2c3d4e5f60718293a4b5c6d7e8f90",
      display_value: "a1b2c3d4e5f60718293a4b5c6d7e8f90",
      changed: true,
      clock: 1,
    },
    {
      key: "short_description",
      value: "Printer on fire",
      display_value: "Printer on fire",
      changed: true,
      clock: 1,
    },
    {
      key: "description",
      value: "Smoke from tray 2",
      display_value: "Smoke from tray 2",
      changed: true,
      clock: 1,
    },
    { key: "state", value: "1", display_value: "New", changed: true, clock: 1 },
    { key: "impact", value: "2", display_value: "2 - Medium", changed: true, clock: 1 },
    { key: "urgency", value: "1", display_value: "1 - High", changed: true, clock: 1 },
    { key: "category", value: "hardware", display_value: "hardware", changed: true, clock: 1 },
    { key: "close_code", value: "", display_value: "", changed: false, clock: 1 },
    { key: "close_notes", value: "", display_value: "", changed: false, clock: 1 },
    { key: "resolved_by", value: "", display_value: "", changed: false, clock: 1 },
  ],
  journal_entries: [
    {
      element: "comments",
      value: "Fire brigade called",
      created_by: "alice",
      created_on: "2025-01-01T10:00:00Z",
      entry_id: "j1",
    },
  ],
  attachment_metadata: [],
};
