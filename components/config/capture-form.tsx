"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import type { CaptureFilter } from "@/server/sync/config-schemas";
import { useTRPC } from "../trpc/client";
import { Field, inputClass } from "../ui/field";
import { ConditionBuilder } from "./condition-builder";
import { FormCard } from "./config-bits";
import type { Capture, Choices, Overview } from "./use-config";
import { useSaver } from "./use-config";

type Operation = "create" | "update" | "delete";
const operations: Operation[] = ["create", "update", "delete"];

/** Create or edit a capture definition: event, table, filter, operations and what it includes. */
export function CaptureForm({
  definitionId,
  capture,
  events,
  choices,
  onClose,
}: {
  definitionId: string;
  capture: Capture | null;
  events: Overview["events"];
  choices: Choices;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const save = useSaver();
  const create = useMutation(trpc.syncConfig.createCapture.mutationOptions());
  const update = useMutation(trpc.syncConfig.updateCapture.mutationOptions());
  const [name, setName] = useState(capture?.name ?? "");
  const [eventId, setEventId] = useState(capture?.processEventId ?? events[0]?.id ?? "");
  const [table, setTable] = useState(capture?.sourceTable ?? "incident");
  const [state, setState] = useState(capture?.state ?? "active");
  const [order, setOrder] = useState(capture?.order ?? 100);
  const [filter, setFilter] = useState<CaptureFilter>(capture?.filter ?? { match: "all", groups: [] });
  const [ops, setOps] = useState<Operation[]>((capture?.operations as Operation[]) ?? operations);
  const [include, setInclude] = useState<string[]>(capture?.includeFields ?? []);
  const [journal, setJournal] = useState<string[]>(capture?.includeJournal ?? []);
  const [attachments, setAttachments] = useState(capture?.includeAttachments ?? false);
  const [ignoreNonInteractive, setIgnore] = useState(capture?.ignoreNonInteractive ?? false);
  const fields = choices.tables.find((t) => t.name === table)?.fields ?? [];
  const plain = fields.filter((f) => f.type !== "journal");
  const journals = fields.filter((f) => f.type === "journal");
  const toggle = (list: string[], set: (v: string[]) => void, name: string) =>
    set(list.includes(name) ? list.filter((x) => x !== name) : [...list, name]);

  const submit = async () => {
    const data = {
      definitionId,
      processEventId: eventId,
      name,
      state,
      order,
      sourceTable: table,
      filter,
      operations: ops,
      includeFields: include,
      includeJournal: journal,
      includeAttachments: attachments,
      ignoreNonInteractive,
    };
    const done = await save("Capture definition", () =>
      capture ? update.mutateAsync({ id: capture.id, data }) : create.mutateAsync(data),
    );
    if (done) onClose();
  };

  return (
    <FormCard
      title={capture ? `Capture definition ${capture.name}` : "New capture definition"}
      testId="capture-form"
      onCancel={onClose}
      onSave={() => void submit()}
      saving={create.isPending || update.isPending}
    >
      <div className="grid gap-3 md:grid-cols-3">
        <Field id="capture-name" label="Name" mandatory>
          <input
            id="capture-name"
            className={inputClass}
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
          />
        </Field>
        <Field id="capture-event" label="Process event" mandatory>
          <select
            id="capture-event"
            className={inputClass}
            value={eventId}
            onChange={(e) => setEventId(e.target.value)}
          >
            {events.map((e) => (
              <option key={e.id} value={e.id}>
                {e.name}
              </option>
            ))}
          </select>
        </Field>
        <Field id="capture-table" label="Source table" mandatory>
          <select
            id="capture-table"
            className={inputClass}
            value={table}
            onChange={(e) => {
              setTable(e.target.value);
              setFilter({ match: "all", groups: [] });
              setInclude([]);
              setJournal([]);
            }}
          >
            {choices.tables.map((t) => (
              <option key={t.name} value={t.name}>
                {t.label} ({t.name})
              </option>
            ))}
          </select>
        </Field>
        <Field id="capture-state" label="State">
          <select
            id="capture-state"
            className={inputClass}
            value={state}
            onChange={(e) => setState(e.target.value as "active" | "inactive")}
          >
            <option value="active">active</option>
            <option value="inactive">inactive</option>
          </select>
        </Field>
        <Field id="capture-order" label="Order" hint="Lower runs first">
          <input
            id="capture-order"
            type="number"
            className={inputClass}
            value={order}
            onChange={(e) => setOrder(Number(e.target.value))}
          />
        </Field>
        <fieldset className="flex flex-col gap-1">
          <legend className="text-xs font-medium text-slate-600">Operations</legend>
          <div className="flex gap-3 pt-1.5 text-sm">
            {operations.map((op) => (
              <label key={op} className="flex items-center gap-1">
                <input
                  type="checkbox"
                  checked={ops.includes(op)}
                  onChange={() => toggle(ops, (v) => setOps(v as Operation[]), op)}
                />
                {op}
              </label>
            ))}
          </div>
        </fieldset>
      </div>
      <div>
        <p className="mb-1 text-xs font-medium text-slate-600">Filter</p>
        <ConditionBuilder value={filter} fields={fields} onChange={setFilter} />
      </div>
      <fieldset data-testid="field-picker">
        <legend className="text-xs font-medium text-slate-600">
          Include fields{" "}
          <span className="font-normal text-slate-500">
            (sys_id is always included; {include.length} picked)
          </span>
        </legend>
        <div className="mt-1 grid grid-cols-2 gap-x-4 gap-y-1 text-sm md:grid-cols-4">
          {plain.map((f) => (
            <label key={f.name} className="flex items-center gap-1.5">
              <input
                type="checkbox"
                checked={include.includes(f.name)}
                onChange={() => toggle(include, setInclude, f.name)}
              />
              {f.label}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="flex flex-wrap gap-6 text-sm">
        {journals.length ? (
          <fieldset>
            <legend className="text-xs font-medium text-slate-600">Include journal fields</legend>
            <div className="mt-1 flex gap-3">
              {journals.map((f) => (
                <label key={f.name} className="flex items-center gap-1.5">
                  <input
                    type="checkbox"
                    checked={journal.includes(f.name)}
                    onChange={() => toggle(journal, setJournal, f.name)}
                  />
                  {f.label}
                </label>
              ))}
            </div>
          </fieldset>
        ) : null}
        <label className="flex items-center gap-1.5 self-end">
          <input type="checkbox" checked={attachments} onChange={(e) => setAttachments(e.target.checked)} />
          Include attachments
        </label>
        <label className="flex items-center gap-1.5 self-end">
          <input
            type="checkbox"
            checked={ignoreNonInteractive}
            onChange={(e) => setIgnore(e.target.checked)}
          />
          Ignore non-interactive changes (flows, API)
        </label>
      </div>
    </FormCard>
  );
}
