import { describe, expect, it } from "vitest";
import { effectRows } from "./try-draft-diff";

// The diff beside "Try with draft": draft effects (dry-run ports) paired with the published
// run's journal effects, one row per record field, message or email.
describe("effectRows", () => {
  it("pairs a record update field by field, with the published run's failure and the draft's value", () => {
    const rows = effectRows(
      [
        {
          kind: "record",
          op: "update",
          table: "incident",
          sysId: "a",
          journal: [],
          changes: [
            { field: "urgency", before: "3", after: "1" },
            { field: "short_description", before: "x", after: "y" },
          ],
        },
        { kind: "log", level: "info", message: "ignored" },
      ],
      [
        {
          nodeId: "update",
          type: "update_record",
          status: "error",
          inputs: { values: { urgency: "Urgent", short_description: "y" } },
          error: "Invalid choice value",
        },
      ],
    );
    expect(rows).toEqual([
      {
        key: "record-update-urgency",
        label: "update incident.urgency",
        before: "3",
        published: "Urgent ✕",
        draft: "1",
        changed: true,
      },
      {
        key: "record-update-short_description",
        label: "update incident.short_description",
        before: "x",
        published: "y ✕",
        draft: "y",
        changed: true,
      },
    ]);
  });

  it("shows what only the published run did, and a send's payload on both sides", () => {
    const rows = effectRows(
      [{ kind: "send", remote: "beta", message: { payload: { a: 2 } } }],
      [
        { nodeId: "send", type: "send_payload", status: "completed", inputs: { payload: { a: 1 } } },
        { nodeId: "mail", type: "send_email", status: "completed", inputs: { to: ["x"] } },
      ],
    );
    expect(rows.map((r) => [r.key, r.published, r.draft])).toEqual([
      ["send", '{"a":1}', '{"a":2}'],
      ["published-mail", '{"to":["x"]}', "—"],
    ]);
    const replayed = effectRows(
      [],
      [{ nodeId: "send", type: "send_payload", status: "completed", inputs: {} }],
      new Set(["send"]),
    );
    expect(replayed[0]?.draft).toBe("already done (replayed, not repeated)");
  });
});
