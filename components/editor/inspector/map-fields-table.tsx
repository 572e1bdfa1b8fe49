"use client";

import { type Binding, literal } from "@/flows";
import { Button } from "../../ui/button";
import { BindingField } from "./binding-field";

interface Row {
  field: string;
  value: Binding;
  valueMap?: Record<string, string>;
}

const inputClass =
  "h-7 w-full rounded border border-slate-300 px-2 text-[12px] outline-none focus:border-brand-500";

/** Map Fields rows: target field ← pill | expression | constant, each with an optional value map. */
export function MapFieldsTable({
  rows,
  onChange,
  active,
  onActivate,
}: {
  rows: Row[];
  onChange: (rows: Row[]) => void;
  active: string | null;
  onActivate: (name: string, label: string) => void;
}) {
  const update = (i: number, patch: Partial<Row>) =>
    onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <div data-testid="map-fields-rows" className="space-y-2">
      <div className="flex items-center justify-between">
        <span className="text-[12px] font-medium text-slate-700">Field rows</span>
        <Button
          size="sm"
          onClick={() => onChange([...rows, { field: "", value: literal(null) }])}
          data-testid="add-row"
        >
          Add row
        </Button>
      </div>
      {rows.length === 0 && (
        <p className="text-[11px] text-slate-500">No explicit rows: every included field is mapped as is.</p>
      )}
      {rows.map((r, i) => {
        const entries = Object.entries(r.valueMap ?? {});
        const name = `rows.${i}.value`;
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their position
          <div key={i} className="space-y-1.5 rounded border border-slate-200 bg-slate-50 p-2">
            <div className="flex items-center gap-1">
              <input
                value={r.field}
                placeholder="target field, e.g. urgency"
                aria-label={`Row ${i + 1} target field`}
                data-testid={`row-${i}-field`}
                onChange={(e) => update(i, { field: e.target.value })}
                className={inputClass}
              />
              <Button
                size="sm"
                variant="ghost"
                aria-label={`Remove row ${i + 1}`}
                onClick={() => onChange(rows.filter((_, j) => j !== i))}
              >
                ✕
              </Button>
            </div>
            <BindingField
              name={name}
              label="← value"
              value={r.value}
              active={active === name}
              onActivate={() => onActivate(name, `row ${i + 1} value`)}
              onChange={(value) => update(i, { value })}
            />
            <div className="space-y-1">
              {entries.map(([from, to], k) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: map entries are edited in place by position
                <div key={k} className="flex items-center gap-1 text-[12px]">
                  <input
                    value={from}
                    aria-label="Source value"
                    data-testid={`row-${i}-map-${k}-from`}
                    onChange={(e) => {
                      const next = entries.map(([f, t], j) => (j === k ? [e.target.value, t] : [f, t]));
                      update(i, { valueMap: Object.fromEntries(next) });
                    }}
                    className={inputClass}
                  />
                  <span className="text-slate-500">→</span>
                  <input
                    value={to}
                    aria-label="Target value"
                    data-testid={`row-${i}-map-${k}-to`}
                    onChange={(e) => update(i, { valueMap: { ...r.valueMap, [from]: e.target.value } })}
                    className={inputClass}
                  />
                </div>
              ))}
              <button
                type="button"
                data-testid={`row-${i}-add-map`}
                onClick={() => update(i, { valueMap: { ...r.valueMap, [`value${entries.length + 1}`]: "" } })}
                className="text-[11px] text-brand-700 hover:underline"
              >
                + value map entry
              </button>
            </div>
          </div>
        );
      })}
    </div>
  );
}
