import type { CaptureFilter } from "../sync/config-schemas";

// A template set (issue 17) is everything one process needs on both sides of a pair, made from
// the flow templates: a definition, one process event (same name on both sides), a capture, an
// outbound and an inbound flow, their flow records, and an error subflow. Both sides get the same
// set, so records created or updated on either side travel to the other (echo suppression keeps
// a record from bouncing back to the instance that wrote it).

export interface TemplateSet {
  id: string;
  name: string;
  description: string;
  /** The process event's name before the pair's names (e.g. "Incidents"). */
  eventPrefix: string;
  capture: {
    sourceTable: string;
    operations: Array<"create" | "update">;
    filter: CaptureFilter;
    includeFields: string[];
    includeJournal: string[];
    includeAttachments: boolean;
  };
}

export const incidentSet: TemplateSet = {
  id: "incident",
  name: "Incidents, both ways",
  description:
    "Every incident created or updated on either instance is created or updated on the other: text, state, priority fields, category, group, caller, resolution, comments, work notes and attachments.",
  eventPrefix: "Incidents",
  capture: {
    sourceTable: "incident",
    operations: ["create", "update"],
    filter: { match: "all", groups: [] },
    // Not `number`: each instance numbers its own records (and an initial sync can link by it).
    includeFields: [
      "short_description",
      "description",
      "state",
      "impact",
      "urgency",
      "category",
      "assignment_group",
      "caller",
      "close_code",
      "close_notes",
      "resolved_by",
    ],
    includeJournal: ["comments", "work_notes"],
    includeAttachments: true,
  },
};

export const TEMPLATE_SETS: readonly TemplateSet[] = [incidentSet];
