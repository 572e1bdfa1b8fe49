"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type FormEvent, useId, useMemo, useState } from "react";
import { useTRPC } from "../trpc/client";
import { problemOf } from "../trpc/errors";
import { Button } from "../ui/button";
import { EmptyState } from "../ui/empty-state";
import { Field, inputClass } from "../ui/field";
import { Skeleton } from "../ui/skeleton";
import { useDebounced } from "../ui/use-debounced";

/**
 * The form that starts an initial sync (issue 17): which definition and remote, which records
 * (an encoded query, with the number of matches previewed as you type), and what to do with a
 * record the remote may already hold.
 */
export function NewJobForm({
  definition,
  remote,
  mode: initialMode = "link",
}: {
  definition?: string | undefined;
  remote?: string | undefined;
  /** The first sync of a fresh pair creates (the same numbers there name other records). */
  mode?: "create" | "link";
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const options = useQuery(trpc.initialSync.options.queryOptions());
  const [definitionId, setDefinitionId] = useState(definition ?? "");
  const [remoteSystemId, setRemoteSystemId] = useState(remote ?? "");
  const [captureDefinitionId, setCaptureDefinitionId] = useState("");
  const [condition, setCondition] = useState("");
  const [mode, setMode] = useState<"create" | "link">(initialMode);
  const [linkField, setLinkField] = useState("number");
  const [direction, setDirection] = useState<"push" | "pull">("push");
  const start = useMutation(trpc.initialSync.start.mutationOptions());
  const ids = { definition: useId(), remote: useId(), capture: useId(), condition: useId(), link: useId() };

  const defs = options.data ?? [];
  const def = defs.find((d) => d.id === definitionId) ?? (defs.length === 1 ? defs[0] : undefined);
  // A definition that only receives from its remotes can only bring their records here.
  const pulling = direction === "pull" || def?.remotes.length === 0;
  const remotes = (pulling ? def?.pullRemotes : def?.remotes) ?? [];
  const chosenRemote =
    remotes.find((r) => r.id === remoteSystemId) ?? (remotes.length === 1 ? remotes[0] : undefined);
  // A pull uses the remote's capture: its table is known from the preview's answer.
  const captures = pulling
    ? []
    : (def?.captures ?? []).filter((c) => !chosenRemote || c.remoteIds.includes(chosenRemote.id));
  const capture = captures.find((c) => c.id === captureDefinitionId) ?? captures[0];

  const settled = useDebounced(condition, 300);
  const preview = useQuery({
    ...trpc.initialSync.preview.queryOptions({
      definitionId: def?.id ?? "",
      remoteSystemId: chosenRemote?.id ?? "",
      captureDefinitionId: capture?.id,
      condition: settled,
      direction,
    }),
    enabled: Boolean(def && chosenRemote && (capture || pulling)),
    retry: false,
  });

  const problem = start.error ? problemOf(start.error) : null;
  const fieldError = (name: string) => (problem?.field === name ? (problem.detail ?? problem.message) : null);
  const previewProblem = preview.error ? problemOf(preview.error) : null;
  const previewFields = preview.data?.fields;
  const fields = useMemo(
    () => (pulling ? (previewFields ?? []) : (capture?.fields ?? [])),
    [pulling, previewFields, capture],
  );
  const table = capture?.table ?? preview.data?.table;
  const inactive = chosenRemote
    ? pulling && "inboundState" in chosenRemote && chosenRemote.inboundState !== "active"
      ? chosenRemote.inboundState
      : chosenRemote.outboundState !== "active"
        ? chosenRemote.outboundState
        : null
    : null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!def || !chosenRemote) return;
    start.mutate(
      {
        definitionId: def.id,
        remoteSystemId: chosenRemote.id,
        captureDefinitionId: capture?.id,
        condition,
        mode,
        linkField: mode === "link" ? linkField : undefined,
        direction,
      },
      { onSuccess: ({ id }) => router.push(`/sync/initial-sync/${id}`) },
    );
  };

  if (options.isPending) return <Skeleton className="m-6 h-64" />;
  if (options.isError) {
    return (
      <p role="alert" className="m-6 text-sm text-red-700">
        The form could not be loaded: {problemOf(options.error).message}
      </p>
    );
  }
  if (defs.every((d) => d.remotes.length === 0 && d.pullRemotes.length === 0)) {
    return (
      <div className="p-6">
        <EmptyState
          title="Nothing to bring across yet"
          testId="initial-sync-no-definition"
          action={
            <Link className="text-sm font-medium text-brand-700 underline" href="/sync">
              Open sync configuration
            </Link>
          }
        >
          An initial sync sends existing records through a process sync definition's capture and outbound
          flow. Pair with another instance and set up a definition that sends to it first.
        </EmptyState>
      </div>
    );
  }

  return (
    <form onSubmit={submit} className="flex max-w-2xl flex-col gap-4 p-6" aria-label="New initial sync">
      <Field id={ids.definition} label="Process sync definition" mandatory>
        <select
          id={ids.definition}
          className={inputClass}
          value={def?.id ?? ""}
          onChange={(e) => {
            setDefinitionId(e.target.value);
            setRemoteSystemId("");
            setCaptureDefinitionId("");
          }}
        >
          {def ? null : <option value="">Choose…</option>}
          {defs.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
      </Field>
      {def && def.pullRemotes.length > 0 ? (
        <fieldset className="flex flex-col gap-2" data-testid="initial-sync-direction">
          <legend className="mb-1 text-xs font-medium text-slate-600">Direction</legend>
          <label className="flex items-center gap-2 text-sm">
            <input
              type="radio"
              name="direction"
              checked={!pulling}
              disabled={def.remotes.length === 0}
              onChange={() => {
                setDirection("push");
                setRemoteSystemId("");
              }}
            />
            Send this instance's records to the remote
          </label>
          <label className="flex items-center gap-2 text-sm">
            <input
              type="radio"
              name="direction"
              checked={pulling}
              onChange={() => {
                setDirection("pull");
                setRemoteSystemId("");
              }}
            />
            Bring the remote's records here
          </label>
        </fieldset>
      ) : null}
      <Field
        id={ids.remote}
        label={pulling ? "Bring from remote system" : "Send to remote system"}
        mandatory
        error={
          chosenRemote && inactive
            ? `${chosenRemote.name} is ${inactive}: use Validate and Activate on it first.`
            : null
        }
      >
        <select
          id={ids.remote}
          className={inputClass}
          value={chosenRemote?.id ?? ""}
          onChange={(e) => setRemoteSystemId(e.target.value)}
        >
          {chosenRemote ? null : <option value="">Choose…</option>}
          {remotes.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name} ({r.outboundState})
            </option>
          ))}
        </select>
      </Field>
      {captures.length > 1 ? (
        <Field
          id={ids.capture}
          label="Capture definition"
          hint="Its table, fields and outbound flow are used."
        >
          <select
            id={ids.capture}
            className={inputClass}
            value={capture?.id ?? ""}
            onChange={(e) => setCaptureDefinitionId(e.target.value)}
          >
            {captures.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} ({c.table})
              </option>
            ))}
          </select>
        </Field>
      ) : null}
      <Field
        id={ids.condition}
        label={`Which ${table ?? "records"}${pulling && chosenRemote ? ` on ${chosenRemote.name}` : ""}`}
        hint="An encoded query, e.g. active=true^priority<=2. Empty: every record of the table."
        error={
          fieldError("condition") ??
          (previewProblem ? (previewProblem.detail ?? previewProblem.message) : null)
        }
      >
        <input
          id={ids.condition}
          className={`${inputClass} font-mono`}
          value={condition}
          onChange={(e) => setCondition(e.target.value)}
          placeholder="active=true"
          aria-invalid={Boolean(previewProblem || fieldError("condition"))}
          autoComplete="off"
        />
      </Field>
      <p data-testid="initial-sync-preview" className="text-sm text-slate-700" aria-live="polite">
        {preview.isFetching && !preview.data
          ? "Counting…"
          : preview.data
            ? `${preview.data.count.toLocaleString()} ${preview.data.table} record${preview.data.count === 1 ? "" : "s"} match.`
            : ""}
      </p>
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-xs font-medium text-slate-600">
          When {pulling ? "this instance" : (chosenRemote?.name ?? "the remote")} may already hold a record
        </legend>
        <label className="flex items-center gap-2 text-sm">
          <input type="radio" name="mode" checked={mode === "link"} onChange={() => setMode("link")} />
          Link by a field, and create only where no record matches
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="radio" name="mode" checked={mode === "create"} onChange={() => setMode("create")} />
          {pulling ? "Create every record here" : "Create every record on the remote"}
        </label>
      </fieldset>
      {mode === "link" ? (
        <Field
          id={ids.link}
          label="Link by field"
          hint="A record is linked when exactly one record on the other side has the same value; several matches are listed as conflicts and left alone."
          error={fieldError("linkField")}
        >
          <select
            id={ids.link}
            className={inputClass}
            value={linkField}
            onChange={(e) => setLinkField(e.target.value)}
          >
            {fields.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </Field>
      ) : null}
      {problem && !problem.field ? (
        <div role="alert" className="rounded border border-red-200 bg-red-50 p-3 text-sm text-red-900">
          <p className="font-medium">{problem.message}</p>
          {problem.detail ? <p className="mt-1">{problem.detail}</p> : null}
        </div>
      ) : null}
      <div className="flex gap-2">
        <Button type="submit" variant="primary" disabled={start.isPending || !def || !chosenRemote}>
          {start.isPending ? "Starting…" : "Start initial sync"}
        </Button>
        <Link href="/sync/initial-sync" className="self-center text-sm text-slate-600 underline">
          Cancel
        </Link>
      </div>
    </form>
  );
}
