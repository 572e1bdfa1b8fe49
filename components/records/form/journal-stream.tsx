"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { TableViewOutput } from "@/server/api/routers/records.types";
import { useTRPC } from "../../trpc/client";
import { problemOf } from "../../trpc/errors";
import { Button, focusRing } from "../../ui/button";
import { inputClass } from "../../ui/field";
import { toast } from "../../ui/toast";
import { initials } from "../format";
import { Section } from "./section";

export interface JournalEntryView {
  entryId: string;
  element: string;
  elementLabel: string;
  value: string;
  authorName: string;
  createdOn: string;
}

// Customer-visible comments and internal work notes look different at a glance.
const tagTone: Record<string, string> = {
  comments: "bg-sky-50 text-sky-800 ring-sky-200",
  work_notes: "bg-amber-50 text-amber-800 ring-amber-200",
};
const actionLabel: Record<string, string> = { comments: "Add comment", work_notes: "Add work note" };

/** The journal of a record, newest first, with an input to add a comment or a work note. */
export function JournalStream({
  view,
  sysId,
  entries,
  canWrite,
}: {
  view: TableViewOutput;
  sysId: string;
  entries: JournalEntryView[];
  canWrite: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const journals = view.fields.filter((f) => f.type === "journal");
  const [element, setElement] = useState(journals[0]?.name ?? "");
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const post = useMutation(trpc.records.addJournal.mutationOptions());
  if (journals.length === 0) return null;
  const current = journals.find((j) => j.name === element);

  const submit = async () => {
    if (text.trim() === "") {
      setError("Write something first");
      return;
    }
    try {
      await post.mutateAsync({ table: view.name, sysId, element, value: text });
      await queryClient.invalidateQueries(trpc.records.pathFilter());
      setText("");
      setError(null);
      toast("success", `${current?.label ?? "Entry"} posted`);
    } catch (e) {
      setError(problemOf(e).message);
    }
  };

  return (
    <Section title="Activity" count={entries.length} testId="journal">
      {canWrite ? (
        <div className="mb-5 flex flex-col gap-2" data-testid="journal-input">
          <div
            role="radiogroup"
            aria-label="Entry type"
            className="inline-flex self-start rounded border border-slate-300 p-0.5"
          >
            {journals.map((j) => (
              // biome-ignore lint/a11y/useSemanticElements: a segmented control; radios would not look like one
              <button
                key={j.name}
                type="button"
                role="radio"
                aria-checked={element === j.name}
                data-testid={`journal-type-${j.name}`}
                onClick={() => setElement(j.name)}
                className={`rounded px-3 py-1 text-xs font-medium ${focusRing} ${
                  element === j.name ? "bg-slate-800 text-white" : "text-slate-600 hover:bg-slate-100"
                }`}
              >
                {actionLabel[j.name] ?? j.label}
              </button>
            ))}
          </div>
          <label htmlFor="journal-text" className="sr-only">
            {current?.label}
          </label>
          <textarea
            id="journal-text"
            data-testid="journal-text"
            rows={3}
            value={text}
            aria-invalid={error !== null}
            placeholder={
              element === "work_notes"
                ? "Internal work note (not visible to the caller)"
                : "Comment visible to the caller"
            }
            onChange={(e) => {
              setText(e.target.value);
              setError(null);
            }}
            onKeyDown={(e) => {
              if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                void submit();
              }
            }}
            className={`${inputClass} resize-y`}
          />
          <div className="flex items-center justify-between gap-3">
            <p className="text-xs text-red-700" role={error ? "alert" : undefined}>
              {error}
            </p>
            <Button
              variant="primary"
              size="sm"
              onClick={() => void submit()}
              disabled={post.isPending}
              data-testid="journal-post"
            >
              {post.isPending ? "Posting…" : "Post"}
            </Button>
          </div>
        </div>
      ) : null}
      {entries.length === 0 ? (
        <p className="text-sm text-slate-500" data-testid="journal-empty">
          No comments or work notes yet.
        </p>
      ) : (
        <ol className="flex flex-col gap-4" data-testid="journal-entries">
          {entries.map((e) => (
            <li key={e.entryId} className="flex gap-3" data-testid="journal-entry">
              <span
                aria-hidden="true"
                className="flex size-8 shrink-0 items-center justify-center rounded-full bg-slate-200 text-xs font-semibold text-slate-700"
              >
                {initials(e.authorName)}
              </span>
              <div className="min-w-0 flex-1">
                <div className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs">
                  <span className="font-semibold text-slate-800">{e.authorName}</span>
                  <time className="text-slate-500 tabular-nums">{e.createdOn} UTC</time>
                  <span
                    className={`rounded px-1.5 py-0.5 text-[11px] font-medium ring-1 ring-inset ${tagTone[e.element] ?? "bg-slate-50 text-slate-700 ring-slate-200"}`}
                  >
                    {e.elementLabel}
                  </span>
                </div>
                <p className="mt-1 text-sm whitespace-pre-wrap text-slate-800">{e.value}</p>
              </div>
            </li>
          ))}
        </ol>
      )}
    </Section>
  );
}
