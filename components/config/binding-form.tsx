"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../trpc/client";
import { problemOf } from "../trpc/errors";
import { Button } from "../ui/button";
import { Field, inputClass } from "../ui/field";
import { toast } from "../ui/toast";
import { FormCard } from "./config-bits";
import type { Binding, Choices, Overview } from "./use-config";
import { useSaver } from "./use-config";

type Direction = "outbound" | "inbound";

/** An outbound or inbound flow record: (process event, remote system) → a published flow. */
export function BindingForm({
  direction,
  definitionId,
  binding,
  overview,
  choices,
  onClose,
}: {
  direction: Direction;
  definitionId: string;
  binding: Binding | null;
  overview: Overview;
  choices: Choices;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const save = useSaver();
  const create = useMutation(trpc.syncConfig.createBinding.mutationOptions());
  const update = useMutation(trpc.syncConfig.updateBinding.mutationOptions());
  const fromTemplate = useMutation(trpc.syncConfig.flowFromTemplate.mutationOptions());
  const events = overview.events.filter((e) => e.definitionId === definitionId);
  const [eventId, setEventId] = useState(binding?.processEventId ?? events[0]?.id ?? "");
  const [remoteId, setRemoteId] = useState(binding?.remoteSystemId ?? overview.remotes[0]?.id ?? "");
  const [flowId, setFlowId] = useState(binding?.flowId ?? "");
  const [active, setActive] = useState(binding?.active ?? true);
  const flows = choices.flows.filter((f) => f.kind === direction);
  const template = choices.templates.find((t) => t.kind === direction);
  const chosen = choices.flows.find((f) => f.id === flowId);

  const newFromTemplate = async () => {
    if (!template) return;
    const remote = overview.remotes.find((r) => r.id === remoteId)?.name ?? "remote";
    const event = events.find((e) => e.id === eventId)?.name ?? "event";
    const name = `${event} ${direction === "outbound" ? "to" : "from"} ${remote}`;
    try {
      const flow = await fromTemplate.mutateAsync({ templateId: template.id, name });
      await queryClient.invalidateQueries(trpc.syncConfig.choices.queryFilter());
      setFlowId(flow.id);
      toast(
        "success",
        `Flow "${flow.name}" cloned from ${template.name} and published (v${flow.latestVersion})`,
      );
    } catch (error) {
      toast("error", `Not cloned: ${problemOf(error).message}`);
    }
  };

  const submit = async () => {
    const data = {
      direction,
      definitionId,
      processEventId: eventId,
      remoteSystemId: remoteId,
      flowId,
      active,
    };
    const done = await save(`${direction === "outbound" ? "Outbound" : "Inbound"} flow record`, () =>
      binding ? update.mutateAsync({ id: binding.id, data }) : create.mutateAsync(data),
    );
    if (done) onClose();
  };

  return (
    <FormCard
      title={`${binding ? "Edit" : "New"} ${direction} flow record`}
      testId={`${direction}-binding-form`}
      onCancel={onClose}
      onSave={() => void submit()}
      saving={create.isPending || update.isPending}
    >
      <div className="grid gap-3 md:grid-cols-3">
        <Field id={`${direction}-event`} label="Process event" mandatory>
          <select
            id={`${direction}-event`}
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
        <Field id={`${direction}-remote`} label="Remote system" mandatory>
          <select
            id={`${direction}-remote`}
            className={inputClass}
            value={remoteId}
            onChange={(e) => setRemoteId(e.target.value)}
          >
            {overview.remotes.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </Field>
        <Field id={`${direction}-flow`} label={`Published ${direction} flow`} mandatory>
          <select
            id={`${direction}-flow`}
            className={inputClass}
            value={flowId}
            onChange={(e) => setFlowId(e.target.value)}
          >
            <option value="">— pick a flow —</option>
            {flows.map((f) => (
              <option key={f.id} value={f.id} disabled={!f.latestVersion}>
                {f.name}
                {f.latestVersion ? ` (v${f.latestVersion})` : " (not published)"}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <div className="flex flex-wrap items-center gap-3 text-sm">
        {template ? (
          <Button
            size="sm"
            onClick={() => void newFromTemplate()}
            disabled={fromTemplate.isPending}
            data-testid={`${direction}-from-template`}
          >
            {fromTemplate.isPending ? "Cloning…" : `New flow from “${template.name}”`}
          </Button>
        ) : null}
        {chosen ? (
          <a className="text-brand-700 hover:underline" href={`/flows/${chosen.id}`}>
            Open {chosen.name} in the designer
          </a>
        ) : null}
        <label className="ml-auto flex items-center gap-1.5">
          <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />
          Active
        </label>
      </div>
    </FormCard>
  );
}
