import { expression, literal, pill } from "../../schema/binding";
import type { CanvasGraph } from "../../schema/canvas";

/**
 * Error Subflow Template (SPEC 4.6): runs once when a remote system goes into error.
 *
 *   start → log → email → end
 */
export const errorSubflow: CanvasGraph = {
  schemaVersion: 2,
  id: "error-subflow",
  name: "Error Subflow Template",
  description: "Logs that a remote system is in error and emails the sync admins.",
  kind: "error",
  inputs: [
    { name: "remote_system", type: "string", label: "Remote system" },
    { name: "error_message", type: "string", label: "Last error" },
    { name: "admin_emails", type: "string", label: "Sync admins (comma-separated)" },
  ],
  outputs: [{ name: "notified", type: "boolean", label: "Email sent" }],
  nodes: [
    {
      id: "start",
      type: "flow_inputs",
      typeVersion: 1,
      position: { x: 0, y: 0 },
      label: "Flow Inputs",
      config: {},
    },
    {
      id: "log",
      type: "log",
      typeVersion: 1,
      position: { x: 300, y: 0 },
      label: "Log",
      config: {
        level: "error",
        message: expression('"Remote system " & inputs.remote_system & " is in error"'),
        data: expression("{ 'remote_system': inputs.remote_system, 'error': inputs.error_message }"),
      },
    },
    {
      id: "email",
      type: "send_email",
      typeVersion: 1,
      position: { x: 600, y: 0 },
      label: "Send Email",
      config: {
        to: pill("inputs.admin_emails"),
        subject: expression('"[Tandem] Remote system " & inputs.remote_system & " is in error"'),
        text: expression(
          '"Sync to " & inputs.remote_system & " stopped: " & inputs.error_message & ". Fix the cause, then Validate and Activate the remote system."',
        ),
      },
    },
    {
      id: "end",
      type: "end",
      typeVersion: 1,
      position: { x: 900, y: 0 },
      label: "End",
      config: { values: { notified: literal(true) } },
    },
  ],
  edges: [
    { id: "e1", source: "start", sourcePort: "next", target: "log" },
    { id: "e2", source: "log", sourcePort: "next", target: "email" },
    { id: "e3", source: "email", sourcePort: "next", target: "end" },
  ],
};
