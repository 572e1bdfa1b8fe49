"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "../trpc/client";
import { problemOf } from "../trpc/errors";
import { Field, inputClass } from "../ui/field";
import { FormCard, LoadError, LoadingCards, RelatedList, Table } from "./config-bits";
import { PairingPanel } from "./pairing-panel";
import { RemoteSystemsTable } from "./remote-table";
import { useConfig, useSaver } from "./use-config";

/** /sync: pairing, process sync definitions and every remote system of this instance. */
export function SyncHome() {
  const trpc = useTRPC();
  const { overview } = useConfig();
  const save = useSaver();
  const create = useMutation(trpc.syncConfig.createDefinition.mutationOptions());
  const [adding, setAdding] = useState(false);
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  if (overview.isError)
    return <LoadError message={problemOf(overview.error).message} onRetry={() => overview.refetch()} />;
  if (!overview.data) return <LoadingCards />;
  const o = overview.data;
  const submit = async () => {
    const done = await save("Process sync definition", () => create.mutateAsync({ name, description }));
    if (done) {
      setAdding(false);
      setName("");
      setDescription("");
    }
  };
  return (
    <div className="flex flex-col gap-4 p-6">
      <PairingPanel />
      <RelatedList
        title="Process sync definitions"
        count={o.definitions.length}
        onNew={() => setAdding(true)}
        testId="definitions"
        empty="No process sync definitions yet. A definition groups what is captured, the process events and the flows of one business process."
      >
        <Table head={["Name", "Description", "Events", "Captures", "Flow records"]}>
          {o.definitions.map((d) => (
            <tr key={d.id}>
              <td className="px-4 py-2">
                <Link
                  className="font-medium text-brand-700 hover:underline"
                  href={`/sync/definitions/${d.id}`}
                >
                  {d.name}
                </Link>
              </td>
              <td className="px-4 py-2 text-slate-600">{d.description}</td>
              <td className="px-4 py-2 tabular-nums">
                {o.events.filter((e) => e.definitionId === d.id).length}
              </td>
              <td className="px-4 py-2 tabular-nums">
                {o.captures.filter((c) => c.definitionId === d.id).length}
              </td>
              <td className="px-4 py-2 tabular-nums">
                {o.bindings.filter((b) => b.definitionId === d.id).length}
              </td>
            </tr>
          ))}
        </Table>
      </RelatedList>
      {adding ? (
        <FormCard
          title="New process sync definition"
          testId="definition-form"
          onCancel={() => setAdding(false)}
          onSave={() => void submit()}
          saving={create.isPending}
        >
          <div className="grid gap-3 md:grid-cols-2">
            <Field id="definition-name" label="Name" mandatory>
              <input
                id="definition-name"
                className={inputClass}
                value={name}
                onChange={(e) => setName(e.target.value)}
                required
              />
            </Field>
            <Field id="definition-description" label="Description">
              <input
                id="definition-description"
                className={inputClass}
                value={description}
                onChange={(e) => setDescription(e.target.value)}
              />
            </Field>
          </div>
        </FormCard>
      ) : null}
      <RelatedList
        title="Remote systems"
        count={o.remotes.length}
        testId="remotes"
        empty="No remote systems yet. Pair with another instance above, or add one by hand from a definition."
      >
        <RemoteSystemsTable remotes={o.remotes} />
      </RelatedList>
    </div>
  );
}
