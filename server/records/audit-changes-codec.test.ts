import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { auditChangesText, packAuditChanges } from "./audit-changes-codec";

const changes = (rows: Array<[string, string | null, string | null]>) => JSON.stringify(rows);

// An incident create as the record service audits it: every non-empty field, old value null.
const incidentCreate = changes([
  ["number", null, "INC0012345"],
  ["short_description", null, "Email is slow to arrive since this morning"],
  ["state", null, "1"],
  ["impact", null, "2"],
  ["urgency", null, "2"],
  ["severity", null, "3"],
  ["priority", null, "3"],
  ["category", null, "software"],
  ["assignment_group", null, "7d0f3c2a9b8e4f16a5c4d3e2f1a0b9c8"],
]);

describe("audit changes codec", () => {
  it("gives back exactly the text it packed", () => {
    const texts = [
      "[]",
      changes([["state", "1", "2"]]),
      incidentCreate,
      changes([
        ["short_description", "Drucker im 3. Stock", "Imprimante en panne — 打印机坏了 🖨️"],
        ["description", null, 'quotes " and \\ backslashes\nand a new line'],
        ["assigned_to", "", null],
      ]),
      changes([["close_notes", null, "x".repeat(5_000)]]),
      changes([
        ["user_name", null, "beth"],
        ["name", null, "Beth Anglin"],
        ["email", null, "beth@example.com"],
      ]),
    ];
    for (const text of texts) expect(auditChangesText(packAuditChanges(text))).toBe(text);
  });

  it("stores an incident create in well under half its JSON, as text", () => {
    const packed = packAuditChanges(incidentCreate);
    expect(typeof packed).toBe("string");
    expect(Buffer.byteLength(incidentCreate)).toBeGreaterThan(280);
    expect(Buffer.byteLength(packed)).toBeLessThan(Buffer.byteLength(incidentCreate) / 2);
  });

  it("gives back texts whose values hold the field names and punctuation it swaps", () => {
    const tricky = changes([
      ["short_description", null, 'the state of "number" [["x"]] and name, ",null," too'],
      ["name", "user_name", "sys_class_name"],
    ]);
    expect(auditChangesText(packAuditChanges(tricky))).toBe(tricky);
    for (let i = 0; i < 20; i++) {
      const text = changes([["x", null, randomBytes(20 + i * 8).toString("base64")]]);
      expect(auditChangesText(packAuditChanges(text))).toBe(text);
    }
  });

  it("reads plain JSON text as it was stored before", () => {
    const old = changes([["state", "1", "2"]]);
    expect(auditChangesText(old)).toBe(old);
  });

  it("refuses a value written by a codec this version does not know", () => {
    const other = `\u001ez${packAuditChanges(incidentCreate).slice(2)}`;
    expect(() => auditChangesText(other)).toThrow(/token codec "z", which this version does not know/);
  });
});
