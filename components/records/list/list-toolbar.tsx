"use client";

import { useEffect, useState } from "react";
import type { TableViewOutput } from "@/server/api/routers/records.types";
import { Button } from "../../ui/button";
import { controlClass, inputClass } from "../../ui/field";
import { icons } from "../../ui/icons";
import { columnOfView } from "../columns";
import { ReferencePicker } from "../reference-picker";
import { type FieldFilter, isUnary, operatorsFor } from "./list-state";

const selectClass = `${controlClass} h-8 py-1`;

/** Search box, one field/operator/value filter row, and the encoded query they make. */
export function ListToolbar({
  view,
  text,
  onText,
  filter,
  onFilter,
  query,
}: {
  view: TableViewOutput;
  text: string;
  onText: (text: string) => void;
  filter: FieldFilter | null;
  onFilter: (filter: FieldFilter | null) => void;
  query: string;
}) {
  const fields = view.fields.filter((f) => f.type !== "journal");
  const [draft, setDraft] = useState<FieldFilter>(
    filter ?? {
      field: fields[0]?.name ?? "",
      operator: operatorsFor(fields[0]?.type ?? "string")[0]?.value ?? "=",
      value: "",
    },
  );
  const [refDisplay, setRefDisplay] = useState("");
  useEffect(() => {
    if (filter) setDraft(filter);
  }, [filter]);
  const field = columnOfView(view, draft.field);
  const definition = view.fields.find((f) => f.name === draft.field);
  const operators = operatorsFor(field.type);

  return (
    <div className="flex flex-col gap-2 border-b border-slate-200 bg-white px-6 py-3">
      <div className="flex flex-wrap items-center gap-2">
        <label className="relative min-w-64 flex-1 sm:max-w-sm">
          <span className="sr-only">Search {view.plural.toLowerCase()}</span>
          <span className="pointer-events-none absolute top-1/2 left-2.5 -translate-y-1/2 text-slate-500">
            {icons.search()}
          </span>
          <input
            type="search"
            data-testid="list-search"
            placeholder={`Search ${view.search.map((s) => columnOfView(view, s).label.toLowerCase()).join(" or ")}`}
            value={text}
            onChange={(e) => onText(e.target.value)}
            className={`${inputClass} pl-8`}
          />
        </label>
        <form
          className="flex flex-wrap items-center gap-2"
          aria-label="Filter"
          onSubmit={(e) => {
            e.preventDefault();
            onFilter(draft);
          }}
        >
          <select
            aria-label="Filter field"
            data-testid="filter-field"
            value={draft.field}
            className={selectClass}
            onChange={(e) => {
              const next = columnOfView(view, e.target.value);
              setRefDisplay("");
              setDraft({ field: next.name, operator: operatorsFor(next.type)[0]?.value ?? "=", value: "" });
            }}
          >
            {fields.map((f) => (
              <option key={f.name} value={f.name}>
                {f.label}
              </option>
            ))}
            <option value="sys_updated_on">Updated</option>
            <option value="sys_created_on">Created</option>
          </select>
          <select
            aria-label="Filter operator"
            data-testid="filter-operator"
            value={draft.operator}
            className={selectClass}
            onChange={(e) => setDraft({ ...draft, operator: e.target.value })}
          >
            {operators.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
          {isUnary(draft.operator) ? null : definition?.type === "choice" ||
            definition?.type === "boolean" ? (
            <select
              aria-label="Filter value"
              data-testid="filter-value"
              value={draft.value}
              className={selectClass}
              onChange={(e) => setDraft({ ...draft, value: e.target.value })}
            >
              <option value="">— choose —</option>
              {(definition.type === "boolean"
                ? [
                    { value: "true", label: "true" },
                    { value: "false", label: "false" },
                  ]
                : (definition.choices ?? [])
              ).map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </select>
          ) : definition?.type === "reference" && definition.reference ? (
            <div className="w-52">
              <ReferencePicker
                id="filter-value"
                table={definition.reference}
                value={draft.value}
                display={refDisplay}
                onChange={(sysId, display) => {
                  setRefDisplay(display);
                  setDraft({ ...draft, value: sysId });
                }}
              />
            </div>
          ) : (
            <input
              aria-label="Filter value"
              data-testid="filter-value"
              value={draft.value}
              placeholder={field.type === "datetime" ? "YYYY-MM-DD HH:MM:SS (UTC)" : "Value"}
              className={`${controlClass} h-8 w-52 py-1`}
              onChange={(e) => setDraft({ ...draft, value: e.target.value })}
            />
          )}
          <Button type="submit" data-testid="filter-apply">
            Apply
          </Button>
          {filter ? (
            <Button variant="ghost" data-testid="filter-clear" onClick={() => onFilter(null)}>
              Clear filter
            </Button>
          ) : null}
        </form>
      </div>
      <p className="truncate text-xs text-slate-500">
        Query:{" "}
        <code
          data-testid="encoded-query"
          className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-[11px] text-slate-700"
        >
          {query}
        </code>
      </p>
    </div>
  );
}
