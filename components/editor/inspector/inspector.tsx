"use client";

import { useEffect, useState } from "react";
import { getNodeType, pill } from "@/flows";
import { CodeBlock } from "../../ui/code-block";
import { useEditor, useEditorApi } from "../store/context";
import { type ActiveField, ConfigForm } from "./config-form";
import { FlowProperties } from "./flow-properties";
import { PillPicker } from "./pill-picker";

/** Immutable set of `a.0.b` in a config (rows and keyed bindings are nested). */
function setAtPath(obj: unknown, path: string[], value: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  if (Array.isArray(obj)) {
    const copy = [...obj];
    copy[Number(head)] = setAtPath(copy[Number(head)], rest, value);
    return copy;
  }
  const base = obj !== null && typeof obj === "object" ? (obj as Record<string, unknown>) : {};
  return { ...base, [head]: setAtPath(base[head], rest, value) };
}

/** The selected node's settings and the data pills it may use; the flow's properties otherwise. */
export function Inspector() {
  const api = useEditorApi();
  const selected = useEditor((s) => {
    const ids = s.nodes.filter((n) => n.selected).map((n) => n.id);
    return ids.length === 1 ? ids[0] : ids.length;
  });
  if (typeof selected === "number") {
    return selected > 1 ? (
      <div className="p-4 text-sm text-slate-600" data-testid="inspector-multi">
        <p className="font-medium text-slate-800">{selected} nodes selected</p>
        <p className="mt-1 text-[12px]">Move them together, copy them (Ctrl+C) or delete them (Del).</p>
        <button
          type="button"
          className="mt-3 text-[12px] text-brand-700 hover:underline"
          onClick={() => api.getState().select([])}
        >
          Clear selection
        </button>
      </div>
    ) : (
      <FlowProperties />
    );
  }
  return <NodeInspector key={selected} id={selected as string} />;
}

function NodeInspector({ id }: { id: string }) {
  const api = useEditorApi();
  const node = useEditor((s) => s.nodes.find((n) => n.id === id));
  const diagnostics = useEditor((s) => s.diagnosticsByNode[id]) ?? [];
  const outputs = useEditor((s) => s.meta.outputs);
  const readOnly = useEditor((s) => s.readOnly);
  const step = useEditor((s) => s.steps[id]);
  const [active, setActive] = useState<ActiveField | null>(null);
  const [label, setLabel] = useState(node?.data.label ?? "");
  useEffect(() => setLabel(node?.data.label ?? ""), [node?.data.label]);
  if (!node) return null;
  const type = getNodeType(node.data.typeId);
  const config = node.data.config;
  const update = (patch: Record<string, unknown>) => api.getState().updateConfig(id, patch);
  const pick = (path: string[]) => {
    if (!active) return;
    const [head, ...rest] = active.name.split(".");
    if (!head) return;
    update({ [head]: setAtPath(config[head], rest, pill(path)) });
  };
  return (
    <div data-testid="inspector" className="flex min-h-0 flex-col">
      <div className="border-b border-slate-200 p-3">
        <input
          value={label}
          onChange={(e) => setLabel(e.target.value)}
          onBlur={() => label !== node.data.label && api.getState().setLabel(id, label)}
          aria-label="Node label"
          data-testid="node-label"
          disabled={readOnly}
          className="w-full rounded border border-transparent px-1 text-[15px] font-semibold text-slate-900 outline-none hover:border-slate-300 focus:border-brand-500"
        />
        <p className="px-1 text-[11px] text-slate-500">
          {type?.label ?? node.data.typeId} · <span className="font-mono">{id}</span>
        </p>
        {type && <p className="mt-1 px-1 text-[12px] text-slate-600">{type.description}</p>}
        {diagnostics.length > 0 && (
          <ul className="mt-2 space-y-1" data-testid="inspector-diagnostics">
            {diagnostics.map((d) => (
              <li
                key={`${d.code}-${d.field ?? ""}-${d.message}`}
                className={`rounded px-2 py-1 text-[11px] ${d.severity === "error" ? "bg-red-50 text-red-800" : "bg-amber-50 text-amber-800"}`}
              >
                {d.message}
              </li>
            ))}
          </ul>
        )}
      </div>
      {step && (
        <div className="border-b border-slate-200 p-3" data-testid="inspector-step">
          <h3 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">
            Test run · {step.status} · {Math.round(step.durationMs)} ms
          </h3>
          {step.error && <p className="mt-1 text-[12px] text-red-700">{step.error.message}</p>}
          <p className="mt-1 text-[11px] text-slate-500">Outputs</p>
          <CodeBlock label="Outputs of the last test run" className="max-h-48 rounded p-2 text-[11px]">
            {JSON.stringify(step.outputs, null, 2)}
          </CodeBlock>
        </div>
      )}
      {type ? (
        <fieldset disabled={readOnly} className="p-3">
          <ConfigForm
            type={type}
            config={config}
            diagnostics={diagnostics}
            flowOutputs={outputs.map((o) => o.name)}
            active={active?.name ?? null}
            onActivate={setActive}
            onChange={update}
          />
        </fieldset>
      ) : (
        <p className="p-3 text-sm text-red-700">Unknown node type “{node.data.typeId}”.</p>
      )}
      {type && !readOnly && type.role !== "start" && (
        <PillPicker nodeId={id} target={active?.label ?? null} onPick={pick} />
      )}
    </div>
  );
}
