import { describe, expect, it } from "vitest";
import { kindByName } from "./kinds";
import { describeTrial, runTrial } from "./trial";

// The quick subset of the fault suite (npm test): a few fixed seeds of every trial kind, small
// bursts. A failing case prints its seed; `npm run soak -- --seed N --kinds KIND` replays it.
// Cases marked [defect N] showed issue 11's defect N against the server before its fix.

// Seeds are the ones whose outcomes against the unfixed server are in the issue-11 report.
const cases: Array<[kind: string, seeds: number[]]> = [
  ["receiver-kill", [1101]],
  ["sender-kill", [1201]],
  ["proxy-mix", [1201]],
  ["proxy-reset-answer", [1201]],
  ["receiver-pause", [1801]],
  ["hot-record", [1201]],
  ["hot-record-faults", [1201]],
  ["concurrent-edits", [1201]],
  ["poison-row", [1801]],
  ["disk-full", [1901]],
  ["dead-third", [1801]],
];

describe("fault suite (quick subset)", () => {
  for (const [name, seeds] of cases) {
    const kind = kindByName(name);
    const label = kind.defect ? `${name} [defect ${kind.defect}]` : name;
    for (const seed of seeds) {
      it(`${label} — seed ${seed}`, async () => {
        const result = await runTrial(kind, seed, "quick");
        console.log(describeTrial(result));
        expect(result.failures).toEqual([]);
      });
    }
  }
});
