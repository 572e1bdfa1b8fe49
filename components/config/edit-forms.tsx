"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { definitionInput, processEventInput } from "@/server/sync/config-schemas";
import { useTRPC } from "../trpc/client";
import { problemOf } from "../trpc/errors";
import { Field, inputClass } from "../ui/field";
import { FormCard } from "./config-bits";
import { type Overview, useSaver } from "./use-config";

type Definition = Overview["definitions"][number];
type ProcessEvent = Overview["events"][number];

/** The first validation message of a name, or null when it is valid. */
function nameError(schema: typeof definitionInput.shape.name, value: string): string | null {
  const parsed = schema.safeParse(value);
  return parsed.success ? null : (parsed.error.issues[0]?.message ?? "Invalid name");
}

/** The server's words for a refused save: a duplicate name becomes a message on the field. */
function serverNameError(error: unknown, what: string): string {
  const p = problemOf(error);
  return p.code === "CONFLICT" ? `Another ${what} already has this name` : p.message;
}

/** Edits a process sync definition's name and description (Enter saves, Escape cancels). */
export function DefinitionEditForm({ definition, onClose }: { definition: Definition; onClose: () => void }) {
  const trpc = useTRPC();
  const save = useSaver();
  const update = useMutation(trpc.syncConfig.updateDefinition.mutationOptions());
  const [name, setName] = useState(definition.name);
  const [description, setDescription] = useState(definition.description);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    if (update.isPending) return;
    const invalid = nameError(definitionInput.shape.name, name);
    setError(invalid);
    if (invalid) return;
    const ok = await save("Process sync definition", () =>
      update.mutateAsync({ id: definition.id, data: { name, description } }).catch((e: unknown) => {
        setError(serverNameError(e, "process sync definition"));
        throw e;
      }),
    );
    if (ok) onClose();
  };
  return (
    <FormCard
      title="Edit process sync definition"
      testId="definition-edit-form"
      onCancel={onClose}
      saving={update.isPending}
      onSave={() => void submit()}
    >
      <Field id="definition-edit-name" label="Name" mandatory error={error}>
        <input
          id="definition-edit-name"
          className={inputClass}
          value={name}
          disabled={update.isPending}
          aria-required="true"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "definition-edit-name-error" : undefined}
          onChange={(e) => {
            setName(e.target.value);
            setError(null);
          }}
        />
      </Field>
      <Field id="definition-edit-description" label="Description">
        <input
          id="definition-edit-description"
          className={inputClass}
          value={description}
          disabled={update.isPending}
          maxLength={2000}
          onChange={(e) => setDescription(e.target.value)}
        />
      </Field>
    </FormCard>
  );
}

/**
 * Renames a process event. The name travels on the wire and links the two instances (SPEC 2),
 * so a changed name shows a warning before it is saved.
 */
export function EventEditForm({ event, onClose }: { event: ProcessEvent; onClose: () => void }) {
  const trpc = useTRPC();
  const save = useSaver();
  const update = useMutation(trpc.syncConfig.updateEvent.mutationOptions());
  const [name, setName] = useState(event.name);
  const [error, setError] = useState<string | null>(null);
  const renamed = name.trim() !== event.name;
  const submit = async () => {
    if (update.isPending) return;
    const invalid = nameError(processEventInput.shape.name, name);
    setError(invalid);
    if (invalid) return;
    if (!renamed) return onClose();
    const ok = await save("Process event", () =>
      update.mutateAsync({ id: event.id, data: { name } }).catch((e: unknown) => {
        setError(serverNameError(e, "process event"));
        throw e;
      }),
    );
    if (ok) onClose();
  };
  return (
    <FormCard
      title={`Edit process event ${event.name}`}
      testId="event-edit-form"
      onCancel={onClose}
      saving={update.isPending}
      onSave={() => void submit()}
    >
      <Field
        id="event-edit-name"
        label="Name"
        mandatory
        error={error}
        hint="Case-sensitive; the same name on both instances links them"
      >
        <input
          id="event-edit-name"
          className={inputClass}
          value={name}
          disabled={update.isPending}
          aria-required="true"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "event-edit-name-error" : renamed ? "event-rename-warning" : undefined}
          onChange={(e) => {
            setName(e.target.value);
            setError(null);
          }}
        />
      </Field>
      {renamed ? (
        <p
          id="event-rename-warning"
          role="status"
          data-testid="event-rename-warning"
          className="rounded border border-amber-300 bg-amber-50 px-3 py-2 text-xs text-amber-900"
        >
          Renaming breaks the link until the other instance uses the same name. Records sent as “{event.name}”
          are no longer matched here, and the other instance must rename its event to “{name.trim()}” too.
        </p>
      ) : null}
    </FormCard>
  );
}
