"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import type { TableViewOutput } from "@/server/api/routers/records.types";
import { useTRPC } from "../../trpc/client";
import { problemOf } from "../../trpc/errors";
import { Button } from "../../ui/button";
import { ConfirmDialog } from "../../ui/confirm-dialog";
import { icons } from "../../ui/icons";
import { Skeleton } from "../../ui/skeleton";
import { toast } from "../../ui/toast";
import { AttachmentsPanel } from "./attachments-panel";
import { FormFields } from "./form-fields";
import { HistoryPanel } from "./history-panel";
import { JournalStream } from "./journal-stream";
import { RecordInfo } from "./record-info";
import { SyncPanel } from "./sync-panel";
import { fieldMessage, useRecordForm } from "./use-record-form";

/** The form of one record (sysId) or of a new one (sysId null), with its journal and attachments. */
export function RecordForm({
  view,
  sysId,
  maxAttachmentBytes,
}: {
  view: TableViewOutput;
  sysId: string | null;
  maxAttachmentBytes: number;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const record = useQuery(
    trpc.records.get.queryOptions({ table: view.name, sysId: sysId ?? "" }, { enabled: sysId !== null }),
  );
  const form = useRecordForm(view, record.data ?? null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const create = useMutation(trpc.records.create.mutationOptions());
  const update = useMutation(trpc.records.update.mutationOptions());
  const remove = useMutation(trpc.records.delete.mutationOptions());
  const busy = create.isPending || update.isPending || remove.isPending;
  const canWrite = sysId === null ? view.canWrite : (record.data?.canWrite ?? false);
  const label = view.label.toLowerCase();
  const name = record.data?.values[view.displayField] ?? "";

  const save = useCallback(async () => {
    if (busy || !canWrite || !form.validate()) return;
    try {
      if (sysId === null) {
        const created = await create.mutateAsync({ table: view.name, values: form.payload() });
        await queryClient.invalidateQueries(trpc.records.list.pathFilter());
        toast("success", `${view.label} ${created.display} created`);
        router.replace(`/records/${view.name}/${created.sysId}`);
        return;
      }
      if (form.changed.length === 0) {
        toast("success", "No changes to save");
        return;
      }
      const updated = await update.mutateAsync({ table: view.name, sysId, values: form.payload() });
      await queryClient.invalidateQueries(trpc.records.pathFilter());
      form.saved();
      toast("success", `${view.label} ${updated.display} saved`);
    } catch (error) {
      const problem = problemOf(error);
      const field = view.fields.find((f) => f.name === problem.field);
      if (field) form.setErrors({ [field.name]: fieldMessage(field, problem.message, problem.detail) });
      toast("error", `Not saved: ${field ? fieldMessage(field, problem.message, null) : problem.message}`);
    }
  }, [busy, canWrite, form, sysId, create, update, queryClient, trpc, view, router]);

  // Ctrl+S / Cmd+S saves, as in every editor people know; the browser's "save page" is not useful here.
  const saveRef = useRef(save);
  saveRef.current = save;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "s") {
        e.preventDefault();
        void saveRef.current();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const doDelete = async () => {
    if (!sysId) return;
    try {
      const deleted = await remove.mutateAsync({ table: view.name, sysId });
      toast("success", `${view.label} ${deleted.display} deleted`);
      await queryClient.invalidateQueries(trpc.records.list.pathFilter());
      router.push(`/records/${view.name}`);
    } catch (error) {
      setConfirmDelete(false);
      toast("error", `Not deleted: ${problemOf(error).message}`);
    }
  };

  if (sysId !== null && record.isError) {
    return (
      <div className="p-6">
        <div
          role="alert"
          data-testid="form-error"
          className="rounded border border-red-200 bg-red-50 p-4 text-sm text-red-900"
        >
          <p className="font-medium">This {label} could not be loaded.</p>
          <p className="mt-1">{problemOf(record.error).message}</p>
          <Button className="mt-3" onClick={() => record.refetch()}>
            Retry
          </Button>
        </div>
      </div>
    );
  }

  const loading = sysId !== null && record.isPending;
  return (
    <div>
      <header className="border-b border-slate-200 bg-white px-6 py-3">
        <Link
          href={`/records/${view.name}`}
          className="inline-flex items-center gap-1 text-xs text-slate-500 hover:text-brand-700"
        >
          {icons.back("size-3.5")}
          {view.plural}
        </Link>
        <div className="mt-1 flex flex-wrap items-center justify-between gap-3">
          <div className="min-w-0">
            <h1 className="truncate text-lg font-semibold text-slate-900" data-testid="form-title">
              {sysId === null ? (
                `New ${label}`
              ) : loading ? (
                <Skeleton className="h-5 w-48" />
              ) : (
                `${view.label} ${name}`
              )}
            </h1>
            {sysId !== null && record.data?.values.short_description ? (
              <p className="truncate text-sm text-slate-500">{record.data.values.short_description}</p>
            ) : null}
          </div>
          <div className="flex items-center gap-2">
            {form.changed.length > 0 ? (
              <span className="text-xs text-amber-700" data-testid="unsaved">
                Unsaved changes
              </span>
            ) : null}
            {sysId !== null && canWrite ? (
              <Button
                variant="danger"
                onClick={() => setConfirmDelete(true)}
                disabled={busy || loading}
                data-testid="form-delete"
              >
                Delete
              </Button>
            ) : null}
            {canWrite ? (
              <Button
                variant="primary"
                onClick={() => void save()}
                disabled={busy || loading}
                title="Save (Ctrl+S)"
                data-testid="form-save"
              >
                {create.isPending || update.isPending ? "Saving…" : "Save"}
              </Button>
            ) : (
              <span className="text-xs text-slate-500">Read only: your roles do not allow changes here</span>
            )}
          </div>
        </div>
      </header>
      <div className="flex flex-col gap-4 p-6">
        <form
          data-testid="record-form"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
          className="rounded-lg border border-slate-200 bg-white p-5"
        >
          {loading ? (
            <FormSkeleton />
          ) : (
            <FormFields view={view} form={form} isNew={sysId === null} disabled={!canWrite || busy} />
          )}
          <button type="submit" hidden aria-hidden="true" tabIndex={-1} />
        </form>
        {sysId !== null && record.data ? (
          <>
            <JournalStream view={view} sysId={sysId} entries={record.data.journal} canWrite={canWrite} />
            <AttachmentsPanel
              table={view.name}
              sysId={sysId}
              canWrite={canWrite}
              maxBytes={maxAttachmentBytes}
            />
            <HistoryPanel view={view} sysId={sysId} />
            <SyncPanel table={view.name} sysId={sysId} />
            <RecordInfo values={record.data.values} />
          </>
        ) : null}
      </div>
      <ConfirmDialog
        open={confirmDelete}
        title={`Delete ${label} ${name}?`}
        confirmLabel="Delete"
        busy={remove.isPending}
        onConfirm={() => void doDelete()}
        onCancel={() => setConfirmDelete(false)}
      >
        The record, its journal and its attachments are removed. This cannot be undone.
      </ConfirmDialog>
    </div>
  );
}

function FormSkeleton() {
  return (
    <div className="grid grid-cols-1 gap-x-6 gap-y-4 md:grid-cols-2" data-testid="form-loading">
      {Array.from({ length: 8 }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
        <div key={i} className="flex flex-col gap-1.5">
          <Skeleton className="h-3 w-24" />
          <Skeleton className="h-8 w-full" />
        </div>
      ))}
    </div>
  );
}
