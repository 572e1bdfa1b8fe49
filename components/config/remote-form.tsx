"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { StatusBadge } from "../monitor/status-badge";
import { useTRPC } from "../trpc/client";
import { Field, inputClass } from "../ui/field";
import { FormCard } from "./config-bits";
import type { Choices, Overview, Remote } from "./use-config";
import { useSaver } from "./use-config";
import { ValidateButton } from "./validate-button";

/** A remote system: connection, write-only credentials, users, retry policy, error subflow, states. */
export function RemoteForm({
  remote,
  definitionId,
  overview,
  choices,
}: {
  remote: Remote | null;
  definitionId: string | null;
  overview: Overview;
  choices: Choices;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const save = useSaver();
  const create = useMutation(trpc.syncConfig.createRemote.mutationOptions());
  const update = useMutation(trpc.syncConfig.updateRemote.mutationOptions());
  const [v, setV] = useState({
    name: remote?.name ?? "",
    description: remote?.description ?? "",
    definitionId: remote?.definitionId ?? definitionId ?? "",
    baseUrl: remote?.baseUrl ?? "",
    externalId: remote?.externalId ?? "",
    outboundUser: remote?.outboundUser ?? "",
    inboundApiUserId: remote?.inboundApiUserId ?? "",
    runAsUserId: remote?.runAsUserId ?? "",
    errorSubflowId: remote?.errorSubflowId ?? "",
    retryTimes: remote?.retryTimes ?? 5,
    retryIntervalMs: remote?.retryIntervalMs ?? 1000,
    retryBackoff: remote?.retryBackoff ?? "exponential",
    autoRecover: remote?.autoRecover ?? false,
    // Alert thresholds, edited in seconds and percent; empty = off.
    alertQueueAgeS: remote?.alertQueueAgeMs ? String(remote.alertQueueAgeMs / 1000) : "",
    alertErrorRatePct: remote?.alertErrorRatePct ? String(remote.alertErrorRatePct) : "",
  });
  // Secrets are write-only: empty means "keep what is stored".
  const [outboundSecret, setOutboundSecret] = useState("");
  const [signingSecret, setSigningSecret] = useState("");
  const set = <K extends keyof typeof v>(k: K, value: (typeof v)[K]) => setV((s) => ({ ...s, [k]: value }));
  const apiUsers = choices.users.filter((u) => /\bsync_api\b/.test(u.roles));
  const errorFlows = choices.flows.filter((f) => f.kind === "error" && f.latestVersion);

  const submit = async () => {
    const { alertQueueAgeS, alertErrorRatePct, ...rest } = v;
    const data: Record<string, unknown> = {
      ...rest,
      alertQueueAgeMs: alertQueueAgeS.trim() ? Math.round(Number(alertQueueAgeS) * 1000) : null,
      alertErrorRatePct: alertErrorRatePct.trim() ? Math.round(Number(alertErrorRatePct)) : null,
      definitionId: v.definitionId || null,
      inboundApiUserId: v.inboundApiUserId || null,
      runAsUserId: v.runAsUserId || null,
      errorSubflowId: v.errorSubflowId || null,
      ...(outboundSecret ? { outboundSecret } : {}),
      ...(signingSecret ? { signingSecret } : {}),
    };
    if (remote) {
      // Only what changed: touching the connection disables the remote until validated again.
      for (const k of Object.keys(data))
        if (data[k] === (remote as Record<string, unknown>)[k]) delete data[k];
    }
    const saved = await save("Remote system", () =>
      remote ? update.mutateAsync({ id: remote.id, data }) : create.mutateAsync(data),
    );
    if (saved) {
      setOutboundSecret("");
      setSigningSecret("");
      if (!remote) router.push(`/sync/remotes/${saved.id}`);
    }
  };

  return (
    <div className="flex flex-col gap-4">
      {remote ? (
        <section
          aria-label="State"
          data-testid="remote-state"
          className="flex flex-wrap items-start justify-between gap-3 rounded-lg border border-slate-200 bg-white px-4 py-3"
        >
          <div className="flex flex-col gap-1 text-sm">
            <div className="flex items-center gap-2">
              <span className="w-16 text-xs text-slate-500">Outbound</span>
              <StatusBadge status={remote.outboundState} testId="remote-outbound-state" />
              <span className="ml-3 w-14 text-xs text-slate-500">Inbound</span>
              <StatusBadge status={remote.inboundState} testId="remote-inbound-state" />
            </div>
            <p className="text-xs text-slate-600" data-testid="remote-state-message">
              {remote.stateMessage || "Not validated yet."}
            </p>
          </div>
          <ValidateButton remoteId={remote.id} />
        </section>
      ) : null}
      <FormCard
        title={remote ? `Remote system ${remote.name}` : "New remote system"}
        testId="remote-form"
        onCancel={() => router.push("/sync")}
        onSave={() => void submit()}
        saving={create.isPending || update.isPending}
      >
        <div className="grid gap-3 md:grid-cols-3">
          <Field id="remote-name" label="Name" mandatory>
            <input
              id="remote-name"
              className={inputClass}
              value={v.name}
              onChange={(e) => set("name", e.target.value)}
              required
            />
          </Field>
          <Field id="remote-definition" label="Process sync definition">
            <select
              id="remote-definition"
              className={inputClass}
              value={v.definitionId}
              onChange={(e) => set("definitionId", e.target.value)}
            >
              <option value="">— none —</option>
              {overview.definitions.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          </Field>
          <Field id="remote-description" label="Description">
            <input
              id="remote-description"
              className={inputClass}
              value={v.description}
              onChange={(e) => set("description", e.target.value)}
            />
          </Field>
          <Field id="remote-url" label="Connection (peer base URL)" mandatory>
            <input
              id="remote-url"
              className={inputClass}
              value={v.baseUrl}
              placeholder="http://localhost:3001"
              onChange={(e) => set("baseUrl", e.target.value)}
            />
          </Field>
          <Field
            id="remote-external"
            label="External id"
            hint="The peer's remote system id for this instance"
          >
            <input
              id="remote-external"
              className={`${inputClass} font-mono text-xs`}
              value={v.externalId}
              onChange={(e) => set("externalId", e.target.value)}
            />
          </Field>
          <div className="text-xs text-slate-500 md:pt-5">
            This record's id:{" "}
            <span className="font-mono" data-testid="remote-id">
              {remote?.id ?? "assigned on save"}
            </span>
          </div>
          <Field id="remote-user" label="Outbound user" hint="The peer's inbound API user">
            <input
              id="remote-user"
              className={inputClass}
              value={v.outboundUser}
              onChange={(e) => set("outboundUser", e.target.value)}
              autoComplete="off"
            />
          </Field>
          <Field
            id="remote-secret"
            label="Outbound password"
            hint={remote?.hasOutboundSecret ? "Stored. Type to replace it." : "Not set"}
          >
            <input
              id="remote-secret"
              type="password"
              className={inputClass}
              value={outboundSecret}
              onChange={(e) => setOutboundSecret(e.target.value)}
              autoComplete="new-password"
              placeholder={remote?.hasOutboundSecret ? "••••••••" : ""}
            />
          </Field>
          <Field
            id="remote-signing"
            label="Signing secret"
            hint={remote?.hasSigningSecret ? "Stored. Type to replace it." : "whsec_… shared by the pair"}
          >
            <input
              id="remote-signing"
              type="password"
              className={inputClass}
              value={signingSecret}
              onChange={(e) => setSigningSecret(e.target.value)}
              autoComplete="new-password"
              placeholder={remote?.hasSigningSecret ? "••••••••" : ""}
            />
          </Field>
          <Field
            id="remote-inbound-user"
            label="Inbound API user"
            hint="The local sync_api user the peer logs in as"
          >
            <select
              id="remote-inbound-user"
              className={inputClass}
              value={v.inboundApiUserId}
              onChange={(e) => set("inboundApiUserId", e.target.value)}
            >
              <option value="">— none —</option>
              {apiUsers.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.userName}
                </option>
              ))}
            </select>
          </Field>
          <Field id="remote-run-as" label="Run inbound flows as">
            <select
              id="remote-run-as"
              className={inputClass}
              value={v.runAsUserId}
              onChange={(e) => set("runAsUserId", e.target.value)}
            >
              <option value="">— none —</option>
              {choices.users.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.userName}
                </option>
              ))}
            </select>
          </Field>
          <Field
            id="remote-error-flow"
            label="Error subflow"
            hint="Runs once when the remote goes into error"
          >
            <select
              id="remote-error-flow"
              className={inputClass}
              value={v.errorSubflowId}
              onChange={(e) => set("errorSubflowId", e.target.value)}
            >
              <option value="">— none —</option>
              {errorFlows.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.name}
                </option>
              ))}
            </select>
          </Field>
          <Field id="remote-retries" label="Retry times">
            <input
              id="remote-retries"
              type="number"
              min={0}
              max={100}
              className={inputClass}
              value={v.retryTimes}
              onChange={(e) => set("retryTimes", Number(e.target.value))}
            />
          </Field>
          <Field id="remote-interval" label="Retry interval (ms)">
            <input
              id="remote-interval"
              type="number"
              min={10}
              className={inputClass}
              value={v.retryIntervalMs}
              onChange={(e) => set("retryIntervalMs", Number(e.target.value))}
            />
          </Field>
          <Field id="remote-backoff" label="Backoff">
            <select
              id="remote-backoff"
              className={inputClass}
              value={v.retryBackoff}
              onChange={(e) => set("retryBackoff", e.target.value as "fixed" | "exponential")}
            >
              <option value="exponential">exponential with jitter</option>
              <option value="fixed">fixed</option>
            </select>
          </Field>
          <Field
            id="remote-alert-age"
            label="Alert: oldest ready row older than (s)"
            hint="Empty = no alert. One email to the sync admins until it clears."
          >
            <input
              id="remote-alert-age"
              type="number"
              min={1}
              className={inputClass}
              value={v.alertQueueAgeS}
              onChange={(e) => set("alertQueueAgeS", e.target.value)}
            />
          </Field>
          <Field
            id="remote-alert-rate"
            label="Alert: error rate above (%)"
            hint="Of the last hour's finished rows (judged from 5 rows)"
          >
            <input
              id="remote-alert-rate"
              type="number"
              min={1}
              max={100}
              className={inputClass}
              value={v.alertErrorRatePct}
              onChange={(e) => set("alertErrorRatePct", e.target.value)}
            />
          </Field>
        </div>
        <label className="flex items-center gap-1.5 text-sm">
          <input
            type="checkbox"
            checked={v.autoRecover}
            onChange={(e) => set("autoRecover", e.target.checked)}
          />
          Auto-recover: probe the peer while in error and reactivate when it is healthy
        </label>
      </FormCard>
    </div>
  );
}
