import { describe, expect, it } from "vitest";
import type { StepRecord } from "../../flows";
import { packSteps, unpackSteps } from "./execution-journal";

describe("execution journal packing", () => {
  it("stores the payload once and gives it back in every step that used it", () => {
    const payload = { changed_fields: [{ key: "short_description", value: "x".repeat(500) }] };
    const inputs = { payload, table: "incident" };
    const steps: StepRecord[] = [
      {
        nodeId: "send",
        type: "send_payload",
        status: "completed",
        inputs: { payload, remoteSystem: "beta" },
        outputs: {},
        startedAt: 1,
        durationMs: 1,
      },
      {
        nodeId: "other",
        type: "log",
        status: "completed",
        inputs: { message: "$ref:inputs.payload is just text here" },
        outputs: { payload: { ...payload } },
        startedAt: 2,
        durationMs: 1,
      },
    ];
    const text = packSteps(steps, inputs);
    expect(text.length).toBeLessThan(JSON.stringify(steps).length - 400);
    const back = unpackSteps(text, JSON.parse(JSON.stringify(inputs)));
    expect(back).toEqual(steps);
  });

  it("packs plainly when the run has no payload object", () => {
    const steps: StepRecord[] = [
      { nodeId: "a", type: "end", status: "completed", inputs: {}, outputs: {}, startedAt: 1, durationMs: 0 },
    ];
    expect(unpackSteps(packSteps(steps, { n: 1 }), { n: 1 })).toEqual(steps);
    expect(unpackSteps(null, {})).toEqual([]);
  });
});
