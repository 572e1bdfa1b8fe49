"use client";

import { useState } from "react";
import { type Binding, literal } from "@/flows";
import { Button } from "../../ui/button";
import { BindingField } from "./binding-field";

/** name → binding pairs (End outputs, subflow inputs, Set Variables), edited as a list. */
export function KeyedBindings({
  field,
  entries,
  suggestions,
  onChange,
  active,
  onActivate,
}: {
  field: string;
  entries: Array<[string, Binding]>;
  suggestions: string[];
  onChange: (entries: Array<[string, Binding]>) => void;
  active: string | null;
  onActivate: (name: string, label: string) => void;
}) {
  const [name, setName] = useState("");
  const missing = suggestions.filter((s) => !entries.some(([k]) => k === s));
  const add = (key: string) => {
    if (key && !entries.some(([k]) => k === key)) onChange([...entries, [key, literal(null)]]);
    setName("");
  };
  return (
    <div className="space-y-2">
      {entries.map(([key, value], i) => (
        <div key={key} className="relative">
          <BindingField
            name={`${field}.${key}`}
            label={key}
            value={value}
            active={active === `${field}.${key}`}
            onActivate={() => onActivate(`${field}.${key}`, key)}
            onChange={(b) => onChange(entries.map((e, j) => (j === i ? [key, b] : e)))}
          />
          <button
            type="button"
            aria-label={`Remove ${key}`}
            onClick={() => onChange(entries.filter((_, j) => j !== i))}
            className="absolute top-1 right-[7.5rem] text-[11px] text-slate-500 hover:text-red-600"
          >
            ✕
          </button>
        </div>
      ))}
      <div className="flex gap-1">
        <input
          value={name}
          list={`${field}-suggestions`}
          onChange={(e) => setName(e.target.value.trim())}
          onKeyDown={(e) => e.key === "Enter" && add(name)}
          placeholder="name"
          aria-label={`New ${field} name`}
          className="h-7 flex-1 rounded border border-slate-300 px-2 text-[12px] outline-none focus:border-brand-500"
        />
        <datalist id={`${field}-suggestions`}>
          {missing.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
        <Button size="sm" onClick={() => add(name)} disabled={!name}>
          Add
        </Button>
      </div>
    </div>
  );
}
