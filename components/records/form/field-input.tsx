"use client";

import type { FieldDefinition } from "@/server/tables/types";
import { inputClass } from "../../ui/field";
import { fromDateTimeInput, toDateTimeInput } from "../format";
import { ReferencePicker } from "../reference-picker";

export interface FieldInputProps {
  field: FieldDefinition;
  value: string;
  /** Display value (reference fields, read-only choice fields). */
  display: string;
  onChange: (value: string, display?: string) => void;
  disabled: boolean;
  invalid: boolean;
  placeholder?: string;
}

/** The control for one field, chosen by its type in the table registry. */
export function FieldInput({
  field,
  value,
  display,
  onChange,
  disabled,
  invalid,
  placeholder,
}: FieldInputProps) {
  const id = field.name;
  const common = {
    id,
    name: field.name,
    disabled,
    "aria-invalid": invalid,
    "aria-describedby": invalid ? `${id}-error` : undefined,
    "aria-required": field.mandatory || undefined,
  };
  switch (field.type) {
    case "text":
      return (
        <textarea
          {...common}
          rows={4}
          maxLength={field.maxLength}
          value={value}
          placeholder={placeholder}
          onChange={(e) => onChange(e.target.value)}
          className={`${inputClass} resize-y`}
        />
      );
    case "boolean":
      return (
        <span className="flex h-8 items-center">
          <input
            {...common}
            type="checkbox"
            checked={value === "true"}
            onChange={(e) => onChange(e.target.checked ? "true" : "false")}
            className="size-4 rounded border-slate-300 accent-brand-700"
          />
        </span>
      );
    case "choice":
      return (
        <select {...common} value={value} onChange={(e) => onChange(e.target.value)} className={inputClass}>
          {field.mandatory ? null : <option value="">— None —</option>}
          {(field.choices ?? []).map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
          {value !== "" && !(field.choices ?? []).some((c) => c.value === value) ? (
            <option value={value}>{value} (not in the choice list)</option>
          ) : null}
        </select>
      );
    case "reference":
      return (
        <ReferencePicker
          id={id}
          table={field.reference ?? ""}
          value={value}
          display={display}
          onChange={(sysId, shown) => onChange(sysId, shown)}
          disabled={disabled}
          invalid={invalid}
          describedBy={common["aria-describedby"]}
          placeholder={disabled ? "" : undefined}
        />
      );
    case "datetime":
      return (
        <input
          {...common}
          type="datetime-local"
          step={1}
          value={toDateTimeInput(value)}
          onChange={(e) => onChange(fromDateTimeInput(e.target.value))}
          className={inputClass}
        />
      );
    case "integer":
      return (
        <input
          {...common}
          type="number"
          step={1}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          className={inputClass}
        />
      );
    default:
      return (
        <input
          {...common}
          type="text"
          maxLength={field.maxLength}
          value={value}
          placeholder={placeholder}
          onChange={(e) => onChange(e.target.value)}
          className={inputClass}
        />
      );
  }
}
