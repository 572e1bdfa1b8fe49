"use client";

import { useState } from "react";
import { type Binding, checkExpression, expression, isBinding, literal, pill, type ValueKind } from "@/flows";
import { PILL_MIME } from "./pill-picker";

type Mode = Binding["kind"];

const modes: Array<{ mode: Mode; label: string }> = [
  { mode: "literal", label: "Value" },
  { mode: "pill", label: "Pill" },
  { mode: "expression", label: "ƒx" },
];

function literalText(v: unknown): string {
  if (v === null || v === undefined) return "";
  return typeof v === "string" ? v : JSON.stringify(v);
}

/** Numbers and JSON where the input expects them; text otherwise. */
function parseLiteral(text: string, type: ValueKind | undefined): unknown {
  if (text === "") return null;
  if (type === "number" && !Number.isNaN(Number(text))) return Number(text);
  if (type === "boolean" && (text === "true" || text === "false")) return text === "true";
  if ((type === "object" || type === "array") && /^[[{]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

export interface BindingFieldProps {
  name: string;
  label: string;
  value: unknown;
  type?: ValueKind | undefined;
  required?: boolean | undefined;
  problem?: string | undefined;
  active: boolean;
  onActivate: () => void;
  onChange: (b: Binding) => void;
}

/** One node input: a constant, a data pill (picked or dropped) or a checked expression. */
export function BindingField(p: BindingFieldProps) {
  const b: Binding = isBinding(p.value) ? p.value : literal(null);
  const [draft, setDraft] = useState<string | null>(null);
  const exprCheck =
    b.kind === "expression" && b.source.trim() ? checkExpression(b.source) : { ok: true as const };
  const setMode = (m: Mode) => {
    p.onActivate();
    if (m === b.kind) return;
    p.onChange(
      m === "literal" ? literal(null) : m === "expression" ? expression("") : { kind: "pill", path: [] },
    );
  };
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: the field is a drop target for dragged pills
    <div
      data-testid={`field-${p.name}`}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes(PILL_MIME)) e.preventDefault();
      }}
      onDrop={(e) => {
        const raw = e.dataTransfer.getData(PILL_MIME);
        if (!raw) return;
        e.preventDefault();
        p.onChange(pill(JSON.parse(raw) as string[]));
      }}
      className={`rounded border p-2 ${p.active ? "border-brand-500 bg-brand-50/40" : "border-slate-200"}`}
    >
      <div className="mb-1 flex items-center justify-between gap-2">
        <span className="text-[12px] font-medium text-slate-700">
          {p.label}
          {p.required && <span className="text-red-600"> *</span>}
          {p.type && <span className="ml-1 text-[10px] font-normal text-slate-500">{p.type}</span>}
        </span>
        <fieldset
          className="flex overflow-hidden rounded border border-slate-300 text-[11px]"
          aria-label={`${p.label} source`}
        >
          {modes.map((m) => (
            <button
              key={m.mode}
              type="button"
              data-testid={`mode-${p.name}-${m.mode}`}
              aria-pressed={b.kind === m.mode}
              onClick={() => setMode(m.mode)}
              className={`px-1.5 py-0.5 ${b.kind === m.mode ? "bg-slate-800 text-white" : "bg-white text-slate-600 hover:bg-slate-100"}`}
            >
              {m.label}
            </button>
          ))}
        </fieldset>
      </div>
      {b.kind === "literal" && (
        <input
          value={draft ?? literalText(b.value)}
          onFocus={p.onActivate}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={() => {
            if (draft !== null) p.onChange(literal(parseLiteral(draft, p.type)));
            setDraft(null);
          }}
          onKeyDown={(e) => {
            if (e.key === "Enter") e.currentTarget.blur();
          }}
          aria-label={p.label}
          data-testid={`input-${p.name}`}
          className="h-7 w-full rounded border border-slate-300 px-2 text-[13px] outline-none focus:border-brand-500"
        />
      )}
      {b.kind === "pill" && (
        <button
          type="button"
          onClick={p.onActivate}
          data-testid={`pill-value-${p.name}`}
          className="flex min-h-7 w-full items-center gap-1 rounded border border-dashed border-brand-500/60 bg-white px-2 text-left"
        >
          {b.path.length > 0 ? (
            <span className="truncate rounded-full bg-brand-100 px-2 py-0.5 font-mono text-[11px] text-brand-900">
              {b.path.join(".")}
            </span>
          ) : (
            <span className="text-[12px] text-slate-500">Pick a pill from the data panel below</span>
          )}
        </button>
      )}
      {b.kind === "expression" && (
        <>
          <textarea
            value={draft ?? b.source}
            onFocus={p.onActivate}
            onChange={(e) => setDraft(e.target.value)}
            onBlur={() => {
              if (draft !== null) p.onChange(expression(draft));
              setDraft(null);
            }}
            rows={2}
            spellCheck={false}
            aria-label={`${p.label} expression`}
            data-testid={`expr-${p.name}`}
            placeholder="e.g. $uppercase(steps.transform.changed_fields.state.value)"
            className="w-full rounded border border-slate-300 px-2 py-1 font-mono text-[12px] outline-none focus:border-brand-500"
          />
          {!exprCheck.ok && <p className="text-[11px] text-red-700">{exprCheck.message}</p>}
        </>
      )}
      {p.problem && (
        <p className="mt-1 text-[11px] text-red-700" data-testid={`problem-${p.name}`}>
          {p.problem}
        </p>
      )}
    </div>
  );
}
