"use client";

import { useState } from "react";
import { type Binding, type Diagnostic, isBinding, type NodeType } from "@/flows";
import { BindingField } from "./binding-field";
import { KeyedBindings } from "./keyed-bindings";
import { MapFieldsTable } from "./map-fields-table";
import { fieldKind, humanize, schemaFields } from "./schema-fields";

const inputClass =
  "h-7 w-full rounded border border-slate-300 px-2 text-[13px] outline-none focus:border-brand-500";

export interface ActiveField {
  name: string;
  label: string;
}

function JsonField({
  label,
  value,
  onChange,
}: {
  label: string;
  value: unknown;
  onChange: (v: unknown) => void;
}) {
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <label className="block">
      <span className="text-[12px] font-medium text-slate-700">{label}</span>
      <textarea
        value={text ?? JSON.stringify(value ?? null, null, 2)}
        onChange={(e) => setText(e.target.value)}
        onBlur={() => {
          if (text === null) return;
          try {
            onChange(JSON.parse(text));
            setText(null);
            setError(null);
          } catch (e) {
            setError(`Not valid JSON: ${(e as Error).message}`);
          }
        }}
        rows={5}
        spellCheck={false}
        className="mt-1 w-full rounded border border-slate-300 px-2 py-1 font-mono text-[11px] outline-none focus:border-brand-500"
      />
      {error && <span className="text-[11px] text-red-700">{error}</span>}
    </label>
  );
}

/** A node's settings, generated from its config schema; bindings get the pill-aware field. */
export function ConfigForm({
  type,
  config,
  diagnostics,
  flowOutputs,
  active,
  onActivate,
  onChange,
}: {
  type: NodeType;
  config: Record<string, unknown>;
  diagnostics: readonly Diagnostic[];
  flowOutputs: string[];
  active: string | null;
  onActivate: (f: ActiveField) => void;
  onChange: (patch: Record<string, unknown>) => void;
}) {
  const problem = (key: string) =>
    diagnostics.find((d) => d.field === key || d.field?.startsWith(`${key}.`))?.message;
  const activate = (name: string, label: string) => onActivate({ name, label });
  return (
    <div className="space-y-3">
      {schemaFields(type.configSchema).map(([key, schema]) => {
        const spec = type.inputs[key];
        const label = spec?.label ?? humanize(key);
        const kind = fieldKind(key, schema);
        const value = config[key];
        switch (kind.kind) {
          case "binding":
            return (
              <BindingField
                key={key}
                name={key}
                label={label}
                value={value}
                type={spec?.type}
                required={spec?.required || type.requiredInputs?.(config).includes(key)}
                problem={problem(key)}
                active={active === key}
                onActivate={() => activate(key, label)}
                onChange={(b) => onChange({ [key]: b })}
              />
            );
          case "enum":
            return (
              <label key={key} className="block">
                <span className="text-[12px] font-medium text-slate-700">{label}</span>
                <select
                  value={String(value ?? kind.options[0])}
                  onChange={(e) => onChange({ [key]: e.target.value })}
                  data-testid={`select-${key}`}
                  className={`${inputClass} mt-1 bg-white`}
                >
                  {kind.options.map((o) => (
                    <option key={o} value={o}>
                      {humanize(o)}
                    </option>
                  ))}
                </select>
              </label>
            );
          case "boolean":
            return (
              <label key={key} className="flex items-center gap-2 text-[13px] text-slate-700">
                <input
                  type="checkbox"
                  checked={value === true}
                  onChange={(e) => onChange({ [key]: e.target.checked })}
                />
                {label}
              </label>
            );
          case "string":
          case "number":
            return (
              <label key={key} className="block">
                <span className="text-[12px] font-medium text-slate-700">{label}</span>
                <input
                  type={kind.kind === "number" ? "number" : "text"}
                  value={value === undefined || value === null ? "" : String(value)}
                  data-testid={`input-${key}`}
                  onChange={(e) =>
                    onChange({ [key]: kind.kind === "number" ? Number(e.target.value) : e.target.value })
                  }
                  className={`${inputClass} mt-1`}
                />
                {problem(key) && <span className="text-[11px] text-red-700">{problem(key)}</span>}
              </label>
            );
          case "bindingMap": {
            const entries = Object.entries((value as Record<string, Binding> | undefined) ?? {});
            return (
              <fieldset key={key}>
                <legend className="mb-1 text-[12px] font-medium text-slate-700">{label}</legend>
                <KeyedBindings
                  field={key}
                  entries={entries}
                  suggestions={type.role === "end" ? flowOutputs : []}
                  active={active}
                  onActivate={activate}
                  onChange={(e) => onChange({ [key]: Object.fromEntries(e) })}
                />
              </fieldset>
            );
          }
          case "assignments": {
            const list = (value as Array<{ name: string; value: unknown }> | undefined) ?? [];
            return (
              <fieldset key={key}>
                <legend className="mb-1 text-[12px] font-medium text-slate-700">Variables</legend>
                <KeyedBindings
                  field={key}
                  entries={list.map((a) => [
                    a.name,
                    isBinding(a.value) ? a.value : { kind: "literal", value: null },
                  ])}
                  suggestions={[]}
                  active={active}
                  onActivate={activate}
                  onChange={(e) => onChange({ [key]: e.map(([name, v]) => ({ name, value: v })) })}
                />
              </fieldset>
            );
          }
          case "rows":
            return (
              <MapFieldsTable
                key={key}
                rows={(value as Parameters<typeof MapFieldsTable>[0]["rows"] | undefined) ?? []}
                active={active}
                onActivate={activate}
                onChange={(rows) => onChange({ [key]: rows })}
              />
            );
          default:
            return (
              <JsonField key={key} label={label} value={value} onChange={(v) => onChange({ [key]: v })} />
            );
        }
      })}
    </div>
  );
}
