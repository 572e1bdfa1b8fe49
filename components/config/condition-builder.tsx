"use client";

import type { CaptureFilter, FilterCondition, FilterOperator } from "@/server/sync/config-schemas";
import { Button } from "../ui/button";
import { controlClass } from "../ui/field";
import type { Choices } from "./use-config";

// The capture filter as groups of `field operator value` (SPEC 2): conditions AND/OR within a
// group, groups AND/OR with each other, with the change operators of capture.

type TableField = Choices["tables"][number]["fields"][number];

export const operatorLabels: Record<FilterOperator, string> = {
  is: "is",
  is_not: "is not",
  one_of: "is one of",
  empty: "is empty",
  not_empty: "is not empty",
  contains: "contains",
  starts_with: "starts with",
  gt: "greater than",
  lt: "less than",
  changes: "changes",
  changes_to: "changes to",
  changes_from: "changes from",
};
const noValue: FilterOperator[] = ["empty", "not_empty", "changes"];

export function ConditionBuilder({
  value,
  fields,
  onChange,
}: {
  value: CaptureFilter;
  fields: TableField[];
  onChange: (next: CaptureFilter) => void;
}) {
  const usable = fields.filter((f) => f.type !== "journal");
  const first = usable[0]?.name ?? "sys_id";
  const setGroup = (gi: number, group: CaptureFilter["groups"][number] | null) =>
    onChange({
      ...value,
      groups:
        group === null
          ? value.groups.filter((_, i) => i !== gi)
          : value.groups.map((g, i) => (i === gi ? group : g)),
    });
  const blank: FilterCondition = { field: first, operator: "is", value: "" };
  return (
    <div className="flex flex-col gap-2" data-testid="condition-builder">
      <div className="flex items-center gap-2 text-xs text-slate-600">
        <label htmlFor="filter-match">Run when</label>
        <select
          id="filter-match"
          className={`${controlClass} h-7 py-0 text-xs`}
          value={value.match}
          onChange={(e) => onChange({ ...value, match: e.target.value as "all" | "any" })}
        >
          <option value="all">all groups hold (AND)</option>
          <option value="any">any group holds (OR)</option>
        </select>
        {value.groups.length === 0 ? (
          <span className="text-slate-500">— no conditions: every change matches</span>
        ) : null}
      </div>
      {value.groups.map((group, gi) => (
        <fieldset
          // biome-ignore lint/suspicious/noArrayIndexKey: groups have no identity of their own
          key={gi}
          data-testid={`condition-group-${gi}`}
          className="rounded border border-slate-200 bg-slate-50 p-2"
        >
          <legend className="flex items-center gap-2 px-1 text-xs text-slate-600">
            Group {gi + 1}:
            <select
              aria-label={`Group ${gi + 1} match`}
              className={`${controlClass} h-6 py-0 text-xs`}
              value={group.match}
              onChange={(e) => setGroup(gi, { ...group, match: e.target.value as "all" | "any" })}
            >
              <option value="all">all conditions (AND)</option>
              <option value="any">any condition (OR)</option>
            </select>
          </legend>
          <div className="flex flex-col gap-1.5">
            {group.conditions.map((c, ci) => (
              <ConditionRow
                // biome-ignore lint/suspicious/noArrayIndexKey: conditions have no identity of their own
                key={ci}
                label={`Group ${gi + 1} condition ${ci + 1}`}
                testId={`condition-${gi}-${ci}`}
                value={c}
                fields={usable}
                onChange={(next) =>
                  setGroup(gi, {
                    ...group,
                    conditions:
                      next === null
                        ? group.conditions.filter((_, i) => i !== ci)
                        : group.conditions.map((x, i) => (i === ci ? next : x)),
                  })
                }
              />
            ))}
          </div>
          <div className="mt-2 flex gap-2">
            <Button
              size="sm"
              variant="ghost"
              data-testid={`add-condition-${gi}`}
              onClick={() => setGroup(gi, { ...group, conditions: [...group.conditions, blank] })}
            >
              + Condition
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setGroup(gi, null)}>
              Remove group
            </Button>
          </div>
        </fieldset>
      ))}
      <div>
        <Button
          size="sm"
          data-testid="add-group"
          onClick={() =>
            onChange({ ...value, groups: [...value.groups, { match: "all", conditions: [blank] }] })
          }
        >
          + Group
        </Button>
      </div>
    </div>
  );
}

function ConditionRow({
  value,
  fields,
  label,
  testId,
  onChange,
}: {
  value: FilterCondition;
  fields: TableField[];
  label: string;
  testId: string;
  onChange: (next: FilterCondition | null) => void;
}) {
  const field = fields.find((f) => f.name === value.field);
  const needsValue = !noValue.includes(value.operator);
  const small = `${controlClass} h-7 py-0 text-xs`;
  return (
    <div className="flex flex-wrap items-center gap-1.5" data-testid={testId}>
      <select
        aria-label={`${label} field`}
        className={small}
        value={value.field}
        onChange={(e) => onChange({ ...value, field: e.target.value, value: "" })}
      >
        {fields.map((f) => (
          <option key={f.name} value={f.name}>
            {f.label}
          </option>
        ))}
      </select>
      <select
        aria-label={`${label} operator`}
        className={small}
        value={value.operator}
        onChange={(e) => onChange({ ...value, operator: e.target.value as FilterOperator })}
      >
        {(Object.keys(operatorLabels) as FilterOperator[]).map((op) => (
          <option key={op} value={op}>
            {operatorLabels[op]}
          </option>
        ))}
      </select>
      {needsValue ? (
        field?.type === "choice" && value.operator !== "one_of" && value.operator !== "contains" ? (
          <select
            aria-label={`${label} value`}
            className={small}
            value={value.value}
            onChange={(e) => onChange({ ...value, value: e.target.value })}
          >
            <option value="">— pick —</option>
            {field.choices.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        ) : field?.type === "boolean" ? (
          <select
            aria-label={`${label} value`}
            className={small}
            value={value.value}
            onChange={(e) => onChange({ ...value, value: e.target.value })}
          >
            <option value="true">true</option>
            <option value="false">false</option>
          </select>
        ) : (
          <input
            aria-label={`${label} value`}
            className={`${small} w-48`}
            value={value.value}
            placeholder={
              value.operator === "one_of" ? "a, b, c" : field?.type === "reference" ? "sys_id" : "value"
            }
            onChange={(e) => onChange({ ...value, value: e.target.value })}
          />
        )
      ) : null}
      <Button size="sm" variant="ghost" aria-label={`Remove ${label}`} onClick={() => onChange(null)}>
        ✕
      </Button>
    </div>
  );
}
