"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ReactFlowProvider, useReactFlow } from "@xyflow/react";
import { useRouter } from "next/navigation";
import { useCallback, useMemo, useState } from "react";
import { type CanvasGraph, parseCanvas } from "@/flows";
import type { FlowFigures } from "@/server/stats/flow-figures";
import { AlertBanner } from "../alerts/alert-banner";
import { useTRPC } from "../trpc/client";
import { problemOf } from "../trpc/errors";
import { toast } from "../ui/toast";
import { Canvas } from "./canvas";
import { Inspector } from "./inspector/inspector";
import { LiveBar } from "./live/live-bar";
import { createOverlayStore, OverlayProvider, type OverlayStore } from "./live/overlay-store";
import { Palette } from "./palette";
import { DiagnosticsList } from "./panels/diagnostics-list";
import { HistoryPanel } from "./panels/history-panel";
import { ShortcutsHelp } from "./panels/shortcuts-help";
import { TestRunPanel } from "./panels/test-run-panel";
import { TryDraftPanel, type TryRow } from "./panels/try-draft-panel";
import { EditorProvider, useEditor } from "./store/context";
import { createEditorStore, type EditorStore } from "./store/editor-store";
import { Toolbar } from "./toolbar";
import { useAutosave, useLiveCompile } from "./use-editor-effects";
import { useShortcuts } from "./use-shortcuts";

type Tab = "inspect" | "problems" | "test" | "try" | "history";

export interface FlowEditorProps {
  flowId: string;
  graph: CanvasGraph;
  latestVersion: number | null;
  canEdit: boolean;
  /** The live canvas's figures for the latest version over the default window, rendered with the page. */
  initialFigures?: FlowFigures | undefined;
  /** Opened from a queue row's "Try with draft". */
  tryRow?: TryRow | undefined;
}

/** The flow designer: palette, canvas, and a side panel (inspector, problems, test run, history). */
export function FlowEditor(props: FlowEditorProps) {
  const store = useMemo(
    () => createEditorStore(props.graph, { readOnly: !props.canEdit }),
    [props.graph, props.canEdit],
  );
  const overlay = useMemo(() => createOverlayStore(), []);
  return (
    <ReactFlowProvider>
      <EditorProvider store={store}>
        <OverlayProvider store={overlay}>
          <EditorLayout {...props} store={store} overlay={overlay} />
        </OverlayProvider>
      </EditorProvider>
    </ReactFlowProvider>
  );
}

function download(name: string, graph: CanvasGraph) {
  const blob = new Blob([`${JSON.stringify(graph, null, 2)}\n`], { type: "application/json" });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = `${name.replace(/[^\w.-]+/g, "-").toLowerCase()}.flow.json`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

function EditorLayout({
  flowId,
  latestVersion,
  initialFigures,
  tryRow,
  store,
  overlay,
}: FlowEditorProps & { store: EditorStore; overlay: OverlayStore }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const flow = useReactFlow();
  const [tab, setTab] = useState<Tab>(tryRow ? "try" : "inspect");
  const [help, setHelp] = useState(false);
  const [version, setVersion] = useState(latestVersion);
  const [refusal, setRefusal] = useState<{ message: string; detail: string | null } | null>(null);
  const problems = useEditor((s) => s.diagnostics.length);
  const errors = useEditor((s) => s.diagnostics.some((d) => d.severity === "error"));
  useLiveCompile(store);
  const { status, flush } = useAutosave(store, flowId);
  const publish = useMutation(trpc.flows.publish.mutationOptions());
  const create = useMutation(trpc.flows.create.mutationOptions());

  const focusNode = useCallback(
    (id: string, keepTab = false) => {
      store.getState().select([id]);
      if (!keepTab) setTab("inspect");
      void flow.fitView({ nodes: [{ id }], duration: 300, maxZoom: 1.2, padding: 0.5 });
    },
    [store, flow],
  );
  const actions = useMemo(() => ({ save: () => void flush(), help: () => setHelp((h) => !h) }), [flush]);
  useShortcuts(store, actions);

  const onPublish = async () => {
    await flush();
    setRefusal(null);
    try {
      const v = await publish.mutateAsync({ id: flowId });
      setVersion(v.version);
      await queryClient.invalidateQueries({ queryKey: trpc.flows.versions.queryKey({ id: flowId }) });
      toast("success", `Published version ${v.version}`);
    } catch (e) {
      const p = problemOf(e);
      setRefusal({ message: p.message, detail: p.detail });
      setTab("problems");
    }
  };

  const onImport = async (file: File) => {
    try {
      const parsed = parseCanvas(JSON.parse(await file.text()));
      if (!parsed.graph) throw new Error(parsed.diagnostics.map((d) => d.message).join(" "));
      const { id: _id, ...graph } = parsed.graph;
      const created = await create.mutateAsync({ graph: { ...graph, name: `${graph.name} (imported)` } });
      toast("success", `Imported “${graph.name}”`);
      router.push(`/flows/${created.id}`);
    } catch (e) {
      toast("error", `Import failed: ${problemOf(e).message}`);
    }
  };

  const tabs: Array<[Tab, string]> = [
    ["inspect", "Inspector"],
    ["problems", problems ? `Problems (${problems})` : "Problems"],
    ["test", "Test run"],
    ...(tryRow ? ([["try", `Try row #${tryRow.id}`]] as Array<[Tab, string]>) : []),
    ["history", "History"],
  ];
  return (
    <div className="flex h-[calc(100vh-3rem)] flex-col" data-testid="flow-editor">
      <Toolbar
        status={status}
        latestVersion={version}
        publishing={publish.isPending}
        onPublish={onPublish}
        onExport={() => download(store.getState().meta.name, store.getState().graph())}
        onImport={onImport}
        onHelp={() => setHelp(true)}
      />
      <AlertBanner variant="banner" />
      {refusal && (
        <div
          role="alert"
          data-testid="publish-refused"
          className="flex items-start gap-3 border-b border-red-200 bg-red-50 px-4 py-2 text-sm text-red-900"
        >
          <div className="flex-1">
            <p className="font-medium">Not published: {refusal.message}.</p>
            {refusal.detail && <p className="mt-0.5 text-[12px]">{refusal.detail}</p>}
          </div>
          <button
            type="button"
            onClick={() => setRefusal(null)}
            aria-label="Dismiss"
            className="text-red-400 hover:text-red-700"
          >
            ✕
          </button>
        </div>
      )}
      <div className="flex min-h-0 flex-1">
        <aside aria-label="Node palette" className="w-60 shrink-0 border-r border-slate-200 bg-slate-50">
          <Palette />
        </aside>
        <div className="relative flex min-w-0 flex-1 flex-col bg-slate-50">
          {version !== null && (
            <LiveBar
              flowId={flowId}
              latestVersion={version}
              overlay={overlay}
              initialFigures={version === latestVersion ? initialFigures : undefined}
            />
          )}
          <div className="relative min-h-0 flex-1">
            <Canvas onNodeFocus={(id) => focusNode(id)} />
          </div>
        </div>
        <aside
          aria-label="Side panel"
          className="flex w-96 shrink-0 flex-col border-l border-slate-200 bg-white"
        >
          <div className="flex border-b border-slate-200" role="tablist">
            {tabs.map(([id, label]) => (
              <button
                key={id}
                type="button"
                role="tab"
                aria-selected={tab === id}
                data-testid={`tab-${id}`}
                onClick={() => setTab(id)}
                className={`flex-1 px-2 py-2 text-[12px] font-medium ${tab === id ? "border-b-2 border-brand-600 text-brand-900" : "text-slate-500 hover:text-slate-800"} ${id === "problems" && errors ? "text-red-700" : ""}`}
              >
                {label}
              </button>
            ))}
          </div>
          <div className="min-h-0 flex-1 overflow-y-auto">
            {tab === "inspect" && <Inspector />}
            {tab === "problems" && <DiagnosticsList onFocus={(id) => focusNode(id)} />}
            {tab === "test" && <TestRunPanel onFocus={(id) => focusNode(id, true)} />}
            {tryRow && (
              // Kept mounted while other tabs show, so the dry run's result survives an edit.
              <div hidden={tab !== "try"}>
                <TryDraftPanel
                  flowId={flowId}
                  row={tryRow}
                  flush={flush}
                  onFocus={(id) => focusNode(id)}
                  onPublished={(v) => {
                    setVersion(v);
                    void queryClient.invalidateQueries({
                      queryKey: trpc.flows.versions.queryKey({ id: flowId }),
                    });
                  }}
                />
              </div>
            )}
            {tab === "history" && <HistoryPanel flowId={flowId} />}
          </div>
        </aside>
      </div>
      {help && <ShortcutsHelp onClose={() => setHelp(false)} />}
    </div>
  );
}
