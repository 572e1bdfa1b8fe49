import type { FieldValues } from "./types";

// Fields the system computes from others, per table (ServiceNow users expect priority to follow
// impact and urgency: 1+1 → 1 Critical … 3+3 → 5 Planning).
const derivations: Record<string, (values: FieldValues) => Partial<FieldValues>> = {
  incident: (v) => {
    const impact = Number(v.impact ?? "3");
    const urgency = Number(v.urgency ?? "3");
    if (!Number.isInteger(impact) || !Number.isInteger(urgency)) return {};
    return { priority: String(Math.min(5, Math.max(1, impact + urgency - 1))) };
  },
};

export function applyDerivedFields(table: string, values: FieldValues): void {
  const derive = derivations[table];
  if (derive) Object.assign(values, derive(values));
}
