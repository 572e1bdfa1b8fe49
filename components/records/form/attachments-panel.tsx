"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { useTRPC } from "../../trpc/client";
import { problemOf } from "../../trpc/errors";
import { Button, focusRing } from "../../ui/button";
import { ConfirmDialog } from "../../ui/confirm-dialog";
import { icons } from "../../ui/icons";
import { toast } from "../../ui/toast";
import { formatBytes, megabytes } from "../format";
import { Section } from "./section";
import { type UploadProblem, uploadAttachment } from "./upload";

/** Files of a record: upload (with progress), download, delete. */
export function AttachmentsPanel({
  table,
  sysId,
  canWrite,
  maxBytes,
}: {
  table: string;
  sysId: string;
  canWrite: boolean;
  maxBytes: number;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const list = useQuery(trpc.attachments.list.queryOptions({ table, sysId }));
  const remove = useMutation(trpc.attachments.delete.mutationOptions());
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [doomed, setDoomed] = useState<{ sysId: string; fileName: string } | null>(null);
  const refresh = async () => {
    const files = trpc.attachments.list.queryFilter({ table, sysId });
    // A first load still in flight was answered before this change; invalidating would only join
    // it (TanStack Query dedupes onto a fetch that has no data yet) and show the stale list.
    await queryClient.cancelQueries(files);
    await Promise.all([
      queryClient.invalidateQueries(files),
      queryClient.invalidateQueries(trpc.records.history.pathFilter()),
    ]);
  };

  const upload = async (file: File) => {
    setError(null);
    if (file.size > maxBytes) {
      setError(`File too large (limit ${megabytes(maxBytes)} MB)`);
      return;
    }
    setProgress(0);
    try {
      await uploadAttachment({ table, sysId }, file, setProgress);
      await refresh();
      toast("success", `${file.name} attached`);
    } catch (e) {
      const problem = e as UploadProblem;
      setError(problem.status === 413 ? `File too large (limit ${megabytes(maxBytes)} MB)` : problem.message);
    } finally {
      setProgress(null);
      if (input.current) input.current.value = "";
    }
  };

  const confirmRemove = async () => {
    if (!doomed) return;
    try {
      await remove.mutateAsync({ sysId: doomed.sysId });
      await refresh();
      toast("success", `${doomed.fileName} deleted`);
    } catch (e) {
      toast("error", `Not deleted: ${problemOf(e).message}`);
    } finally {
      setDoomed(null);
    }
  };

  const rows = list.data ?? [];
  return (
    <Section
      title="Attachments"
      count={list.data ? rows.length : undefined}
      testId="attachments"
      actions={
        canWrite ? (
          <>
            <input
              ref={input}
              id="attachment-file"
              type="file"
              aria-label="Attach a file"
              className="sr-only"
              data-testid="attachment-input"
              disabled={progress !== null}
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file) void upload(file);
              }}
            />
            <Button
              size="sm"
              onClick={() => input.current?.click()}
              disabled={progress !== null}
              data-testid="attachment-add"
            >
              {icons.paperclip("size-3.5")}
              {progress !== null ? `Uploading ${Math.round(progress * 100)}%` : "Attach file"}
            </Button>
          </>
        ) : null
      }
    >
      {progress !== null ? (
        <div
          className="mb-3 h-1.5 overflow-hidden rounded bg-slate-100"
          role="progressbar"
          aria-label="Upload progress"
          aria-valuenow={Math.round(progress * 100)}
          aria-valuemin={0}
          aria-valuemax={100}
        >
          <div
            className="h-full bg-brand-500 transition-all"
            style={{ width: `${Math.round(progress * 100)}%` }}
          />
        </div>
      ) : null}
      {error ? (
        <p
          role="alert"
          data-testid="attachment-error"
          className="mb-3 rounded border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800"
        >
          {error}
        </p>
      ) : null}
      {list.isError ? (
        <p className="text-sm text-red-700">
          Attachments could not be loaded: {problemOf(list.error).message}{" "}
          <button type="button" className="underline" onClick={() => list.refetch()}>
            Retry
          </button>
        </p>
      ) : list.isPending ? (
        <p className="text-sm text-slate-500">Loading attachments…</p>
      ) : rows.length === 0 ? (
        <p className="text-sm text-slate-500" data-testid="attachments-empty">
          No files attached. Files up to {megabytes(maxBytes)} MB can be attached.
        </p>
      ) : (
        <table className="w-full text-sm" data-testid="attachment-list">
          <thead className="text-left text-xs text-slate-500">
            <tr>
              <th className="pb-2 font-medium">Name</th>
              <th className="pb-2 font-medium">Size</th>
              <th className="pb-2 font-medium">Type</th>
              <th className="pb-2 font-medium">Added</th>
              <th className="pb-2">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((a) => (
              <tr key={a.sysId} className="border-t border-slate-100" data-testid="attachment-row">
                <td className="py-2 pr-3">
                  <a
                    href={`/api/now/attachment/${a.sysId}/file`}
                    download={a.fileName}
                    data-testid="attachment-download"
                    className={`rounded font-medium text-brand-700 hover:underline ${focusRing}`}
                  >
                    {a.fileName}
                  </a>
                </td>
                <td className="py-2 pr-3 text-slate-600 tabular-nums">{formatBytes(a.sizeBytes)}</td>
                <td className="py-2 pr-3 text-slate-600">{a.contentType}</td>
                <td className="py-2 pr-3 text-xs text-slate-500">
                  {a.createdOn} by {a.createdBy}
                </td>
                <td className="py-2 text-right">
                  {canWrite ? (
                    <Button
                      size="sm"
                      variant="ghost"
                      onClick={() => setDoomed(a)}
                      data-testid="attachment-delete"
                      aria-label={`Delete ${a.fileName}`}
                    >
                      Delete
                    </Button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ConfirmDialog
        open={doomed !== null}
        title={`Delete ${doomed?.fileName ?? "file"}?`}
        confirmLabel="Delete file"
        busy={remove.isPending}
        onConfirm={() => void confirmRemove()}
        onCancel={() => setDoomed(null)}
      >
        The file is removed from this record.
      </ConfirmDialog>
    </Section>
  );
}
