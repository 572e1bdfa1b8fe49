"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { StatusBadge } from "../monitor/status-badge";
import { useTRPC } from "../trpc/client";
import { problemOf } from "../trpc/errors";
import { Button, buttonClass } from "../ui/button";
import { EmptyState } from "../ui/empty-state";
import { Field, inputClass } from "../ui/field";
import { PageHeader } from "../ui/page-header";
import { BindingForm } from "./binding-form";
import { CaptureForm } from "./capture-form";
import { operatorLabels } from "./condition-builder";
import { FormCard, LoadError, LoadingCards, RelatedList, Table } from "./config-bits";
import { DefinitionEditForm, EventEditForm } from "./edit-forms";
import { RemoteSystemsTable } from "./remote-table";
import { type Binding, type Capture, useConfig, useSaver } from "./use-config";

type Editing =
  | { kind: "capture"; capture: Capture | null }
  | { kind: "event" }
  | { kind: "definition" }
  | { kind: "event-edit"; eventId: string }
  | { kind: "binding"; direction: "outbound" | "inbound"; binding: Binding | null }
  | null;

const rowButton =
  "text-left font-medium text-brand-700 hover:underline outline-none focus-visible:ring-2 focus-visible:ring-brand-500";

/** A process sync definition with its related lists in SPEC 2's order. */
export function DefinitionView({ id }: { id: string }) {
  const trpc = useTRPC();
  const { overview, choices } = useConfig();
  const save = useSaver();
  const createEvent = useMutation(trpc.syncConfig.createEvent.mutationOptions());
  const [editing, setEditing] = useState<Editing>(null);
  const [eventName, setEventName] = useState("");
  if (overview.isError)
    return <LoadError message={problemOf(overview.error).message} onRetry={() => overview.refetch()} />;
  if (choices.isError)
    return <LoadError message={problemOf(choices.error).message} onRetry={() => choices.refetch()} />;
  if (!overview.data || !choices.data) return <LoadingCards />;
  const o = overview.data;
  const c = choices.data;
  const def = o.definitions.find((d) => d.id === id);
  if (!def)
    return (
      <div className="p-6">
        <EmptyState title="No such process sync definition" testId="definition-missing">
          <Link href="/sync" className="text-brand-700 hover:underline">
            Back to sync configuration
          </Link>
        </EmptyState>
      </div>
    );
  const events = o.events.filter((e) => e.definitionId === id);
  const captures = o.captures.filter((x) => x.definitionId === id).sort((a, b) => a.order - b.order);
  const remotes = o.remotes.filter((r) => r.definitionId === id);
  const bindings = o.bindings.filter((b) => b.definitionId === id);
  const eventName_ = (eid: string) => o.events.find((e) => e.id === eid)?.name ?? eid;
  const remoteName = (rid: string) => o.remotes.find((r) => r.id === rid)?.name ?? rid;
  const flowName = (fid: string) => c.flows.find((f) => f.id === fid)?.name ?? fid;
  const close = () => setEditing(null);
  const needsEvent = events.length === 0;

  const bindingList = (direction: "outbound" | "inbound") => {
    const list = bindings.filter((b) => b.direction === direction);
    return (
      <>
        <RelatedList
          title={direction === "outbound" ? "Outbound flows" : "Inbound flows"}
          count={list.length}
          testId={`${direction}-bindings`}
          onNew={
            needsEvent || o.remotes.length === 0
              ? undefined
              : () => setEditing({ kind: "binding", direction, binding: null })
          }
          empty={
            needsEvent || o.remotes.length === 0
              ? "Add a process event and a remote system first."
              : `No ${direction} flow records: nothing ${direction === "outbound" ? "is sent" : "received is applied"} for this definition.`
          }
        >
          <Table head={["Process event", "Remote system", "Flow", "Active"]}>
            {list.map((b) => (
              <tr key={b.id}>
                <td className="px-4 py-2">
                  <button
                    type="button"
                    className={rowButton}
                    onClick={() => setEditing({ kind: "binding", direction, binding: b })}
                  >
                    {eventName_(b.processEventId)}
                  </button>
                </td>
                <td className="px-4 py-2">{remoteName(b.remoteSystemId)}</td>
                <td className="px-4 py-2">
                  <a className="text-brand-700 hover:underline" href={`/flows/${b.flowId}`}>
                    {flowName(b.flowId)}
                  </a>
                </td>
                <td className="px-4 py-2">{b.active ? "yes" : "no"}</td>
              </tr>
            ))}
          </Table>
        </RelatedList>
        {editing?.kind === "binding" && editing.direction === direction ? (
          <BindingForm
            key={editing.binding?.id ?? "new"}
            direction={direction}
            definitionId={id}
            binding={editing.binding}
            overview={o}
            choices={c}
            onClose={close}
          />
        ) : null}
      </>
    );
  };

  return (
    <>
      <PageHeader
        title={def.name}
        subtitle={def.description || "Process sync definition"}
        actions={
          <>
            <Link
              className={buttonClass("secondary", "sm")}
              href={`/sync/initial-sync/new?definition=${encodeURIComponent(def.id)}`}
            >
              Bring existing records across
            </Link>
            <Button
              size="sm"
              data-testid="definition-edit"
              aria-expanded={editing?.kind === "definition"}
              onClick={() => setEditing({ kind: "definition" })}
            >
              Edit
            </Button>
          </>
        }
      >
        <Link href="/sync" className="text-xs text-slate-500 hover:text-brand-700">
          ← Sync configuration
        </Link>
      </PageHeader>
      <div className="flex flex-col gap-4 p-6">
        {editing?.kind === "definition" ? <DefinitionEditForm definition={def} onClose={close} /> : null}
        <RelatedList
          title="Capture definitions"
          count={captures.length}
          testId="captures"
          onNew={needsEvent ? undefined : () => setEditing({ kind: "capture", capture: null })}
          empty={
            needsEvent
              ? "Add a process event first: a capture queues changes for one event."
              : "Nothing is captured yet."
          }
        >
          <Table head={["Name", "Table", "Event", "Filter", "Operations", "State"]}>
            {captures.map((x) => (
              <tr key={x.id}>
                <td className="px-4 py-2">
                  <button
                    type="button"
                    className={rowButton}
                    onClick={() => setEditing({ kind: "capture", capture: x })}
                  >
                    {x.name}
                  </button>
                </td>
                <td className="px-4 py-2 font-mono text-xs">{x.sourceTable}</td>
                <td className="px-4 py-2">{eventName_(x.processEventId)}</td>
                <td className="px-4 py-2 text-xs text-slate-600">{describeFilter(x.filter)}</td>
                <td className="px-4 py-2 text-xs">{(x.operations as string[]).join(", ")}</td>
                <td className="px-4 py-2">
                  <StatusBadge status={x.state} />
                </td>
              </tr>
            ))}
          </Table>
        </RelatedList>
        {editing?.kind === "capture" ? (
          <CaptureForm
            key={editing.capture?.id ?? "new"}
            definitionId={id}
            capture={editing.capture}
            events={events}
            choices={c}
            onClose={close}
          />
        ) : null}
        <RelatedList
          title="Process events"
          count={events.length}
          testId="events"
          onNew={() => setEditing({ kind: "event" })}
          empty="No process events. Two instances are linked by events with exactly the same name."
        >
          <Table head={["Name", "Domain", ""]}>
            {events.map((e) => (
              <tr key={e.id} data-testid={`event-row-${e.name}`}>
                <td className="px-4 py-2 font-medium">{e.name}</td>
                <td className="px-4 py-2 text-slate-600">{e.domain}</td>
                <td className="px-4 py-2 text-right">
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-label={`Edit process event ${e.name}`}
                    data-testid="event-edit"
                    onClick={() => setEditing({ kind: "event-edit", eventId: e.id })}
                  >
                    Edit
                  </Button>
                </td>
              </tr>
            ))}
          </Table>
        </RelatedList>
        {editing?.kind === "event-edit"
          ? (() => {
              const event = events.find((e) => e.id === editing.eventId);
              return event ? <EventEditForm key={event.id} event={event} onClose={close} /> : null;
            })()
          : null}
        {editing?.kind === "event" ? (
          <FormCard
            title="New process event"
            testId="event-form"
            onCancel={close}
            saving={createEvent.isPending}
            onSave={() =>
              void save("Process event", () =>
                createEvent.mutateAsync({ definitionId: id, name: eventName }),
              ).then((ok) => {
                if (ok) {
                  setEventName("");
                  close();
                }
              })
            }
          >
            <Field
              id="event-name"
              label="Name"
              mandatory
              hint="Case-sensitive; the same name on both instances links them"
            >
              <input
                id="event-name"
                className={inputClass}
                value={eventName}
                onChange={(e) => setEventName(e.target.value)}
                required
              />
            </Field>
          </FormCard>
        ) : null}
        <RelatedList
          title="Remote systems"
          count={remotes.length}
          testId="definition-remotes"
          empty="No remote system belongs to this definition. Pairing creates one; pick this definition on it, or add one."
        >
          <RemoteSystemsTable remotes={remotes} />
        </RelatedList>
        <div>
          <Link className={buttonClass("secondary", "sm")} href={`/sync/remotes/new?definition=${id}`}>
            New remote system
          </Link>
        </div>
        {bindingList("outbound")}
        {bindingList("inbound")}
      </div>
    </>
  );
}

function describeFilter(filter: Capture["filter"]): string {
  if (filter.groups.length === 0) return "every change";
  const groups = filter.groups.map((g) =>
    g.conditions
      .map((c) => `${c.field} ${operatorLabels[c.operator]}${c.value ? ` ${c.value}` : ""}`)
      .join(g.match === "all" ? " AND " : " OR "),
  );
  return groups
    .map((g) => (filter.groups.length > 1 ? `(${g})` : g))
    .join(filter.match === "all" ? " AND " : " OR ");
}
