"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { useTRPC } from "../trpc/client";
import { problemOf } from "../trpc/errors";
import { Button } from "../ui/button";
import { Dialog, DialogClose } from "../ui/dialog";
import { EmptyState } from "../ui/empty-state";
import { PageHeader } from "../ui/page-header";

const statusLook = {
  published: ["Published", "bg-emerald-100 text-emerald-800"],
  changed: ["Draft changes", "bg-amber-100 text-amber-800"],
  draft: ["Never published", "bg-slate-100 text-slate-700"],
} as const;

const when = (ms: number | null) => (ms ? new Date(ms).toLocaleString() : "—");

/** All flows with search and filters, and "New from template". */
export function FlowList({ canEdit }: { canEdit: boolean }) {
  const trpc = useTRPC();
  const flows = useQuery(trpc.flows.list.queryOptions());
  const [text, setText] = useState("");
  const [kind, setKind] = useState("");
  const [status, setStatus] = useState("");
  const [creating, setCreating] = useState(false);
  const rows = useMemo(() => {
    const q = text.trim().toLowerCase();
    return (flows.data ?? []).filter(
      (f) =>
        (!q || `${f.name} ${f.description}`.toLowerCase().includes(q)) &&
        (!kind || f.kind === kind) &&
        (!status || f.status === status),
    );
  }, [flows.data, text, kind, status]);
  const select = "h-8 rounded border border-slate-300 bg-white px-2 text-sm";
  return (
    <>
      <PageHeader
        title="Flows"
        subtitle={flows.data ? `${flows.data.length} flow(s)` : "Loading…"}
        actions={
          canEdit ? (
            <Button variant="primary" onClick={() => setCreating(true)} data-testid="new-from-template">
              New from template
            </Button>
          ) : null
        }
      />
      <div className="flex flex-wrap items-center gap-2 border-b border-slate-200 bg-white px-6 py-2">
        <input
          type="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="Search flows…"
          aria-label="Search flows"
          className="h-8 w-64 rounded border border-slate-300 px-2 text-sm"
        />
        <select value={kind} onChange={(e) => setKind(e.target.value)} aria-label="Kind" className={select}>
          <option value="">All kinds</option>
          {["inbound", "outbound", "error", "subflow"].map((k) => (
            <option key={k}>{k}</option>
          ))}
        </select>
        <select
          value={status}
          onChange={(e) => setStatus(e.target.value)}
          aria-label="Status"
          className={select}
        >
          <option value="">Any status</option>
          <option value="published">Published</option>
          <option value="changed">Draft changes</option>
          <option value="draft">Never published</option>
        </select>
      </div>
      <div className="p-6">
        {flows.isError && <p className="text-sm text-red-700">{problemOf(flows.error).message}</p>}
        {flows.data && rows.length === 0 ? (
          <EmptyState testId="flows-empty" title={flows.data.length ? "No flow matches" : "No flows yet"}>
            {flows.data.length
              ? "Change the search or the filters."
              : "Start from a template: it compiles and runs as is."}
          </EmptyState>
        ) : (
          <table
            className="w-full overflow-hidden rounded border border-slate-200 bg-white text-sm"
            data-testid="flow-table"
          >
            <thead className="bg-slate-50 text-left text-[12px] text-slate-500">
              <tr>
                <th className="px-3 py-2 font-medium">Name</th>
                <th className="px-3 py-2 font-medium">Kind</th>
                <th className="px-3 py-2 font-medium">Status</th>
                <th className="px-3 py-2 font-medium">Version</th>
                <th className="px-3 py-2 font-medium">Last published</th>
                <th className="px-3 py-2 font-medium">Nodes</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((f) => (
                <tr key={f.id} className="hover:bg-slate-50" data-testid="flow-row">
                  <td className="px-3 py-2">
                    <Link href={`/flows/${f.id}`} className="font-medium text-brand-700 hover:underline">
                      {f.name}
                    </Link>
                    {f.description && <p className="truncate text-[12px] text-slate-500">{f.description}</p>}
                  </td>
                  <td className="px-3 py-2 text-slate-700">{f.kind}</td>
                  <td className="px-3 py-2">
                    <span className={`rounded px-1.5 py-0.5 text-[11px] ${statusLook[f.status][1]}`}>
                      {statusLook[f.status][0]}
                    </span>
                  </td>
                  <td className="px-3 py-2 text-slate-700">
                    {f.latestVersion ? `v${f.latestVersion}` : "—"}
                  </td>
                  <td className="px-3 py-2 text-slate-700">
                    {when(f.lastPublishedAt)}
                    {f.lastPublishedBy && <span className="text-slate-500"> · {f.lastPublishedBy}</span>}
                  </td>
                  <td className="px-3 py-2 text-slate-500">{f.nodeCount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {creating && <NewFromTemplate onClose={() => setCreating(false)} />}
    </>
  );
}

function NewFromTemplate({ onClose }: { onClose: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const templates = useQuery(trpc.flows.templates.queryOptions());
  const [templateId, setTemplateId] = useState<string | null>(null);
  const [name, setName] = useState("");
  const clone = useMutation(
    trpc.flows.cloneTemplate.mutationOptions({ onSuccess: (r) => router.push(`/flows/${r.id}`) }),
  );
  return (
    <Dialog title="New flow from a template" onClose={onClose} testId="template-dialog">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (templateId && name.trim()) clone.mutate({ templateId, name: name.trim() });
        }}
        className="space-y-3 overflow-y-auto p-5 pt-3"
      >
        <ul className="space-y-2" aria-label="Templates">
          {templates.data?.map((t) => (
            <li key={t.id}>
              <label
                className={`flex cursor-pointer gap-3 rounded border p-3 ${templateId === t.id ? "border-brand-600 bg-brand-50" : "border-slate-200 hover:bg-slate-50"}`}
              >
                <input
                  type="radio"
                  name="template"
                  checked={templateId === t.id}
                  onChange={() => {
                    setTemplateId(t.id);
                    if (!name) setName(t.name.replace(" Template – Basic", "").replace(" Template", ""));
                  }}
                />
                <span>
                  <span className="block text-sm font-medium text-slate-900">{t.name}</span>
                  <span className="block text-[12px] text-slate-500">
                    {t.kind} · {t.nodeCount} nodes · {t.description}
                  </span>
                </span>
              </label>
            </li>
          ))}
        </ul>
        <label className="block text-sm font-medium text-slate-700">
          Name
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            data-testid="template-name"
            className="mt-1 h-8 w-full rounded border border-slate-300 px-2 text-sm"
          />
        </label>
        {clone.isError && (
          <p className="text-sm text-red-700">
            {problemOf(clone.error).detail ?? problemOf(clone.error).message}
          </p>
        )}
        <div className="flex justify-end gap-2">
          <DialogClose asChild>
            <Button>Cancel</Button>
          </DialogClose>
          <Button
            type="submit"
            variant="primary"
            disabled={!templateId || !name.trim() || clone.isPending}
            data-testid="template-create"
          >
            Create draft
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
