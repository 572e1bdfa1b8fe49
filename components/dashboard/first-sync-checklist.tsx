"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import type { ReactNode } from "react";
import type { AppRouter } from "@/server/api/root";
import { PairingPanel } from "../config/pairing-panel";
import { useTRPC } from "../trpc/client";
import { problemOf } from "../trpc/errors";
import { Button, buttonClass } from "../ui/button";
import { Skeleton } from "../ui/skeleton";

/**
 * The first-sync checklist (issue 17): from a fresh install to a first synced record, what is
 * done and what is left, with the action for the next step in place. It follows the remote
 * system furthest from done, and folds to one line once a record has synced.
 */
export function FirstSyncChecklist() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const setup = useQuery({
    ...trpc.syncConfig.setup.queryOptions(),
    // The other instance moves some steps (accepting the invitation): look again until done.
    refetchInterval: (query) => (isComplete(query.state.data) ? false : 2_000),
  });
  const apply = useMutation(trpc.syncConfig.applyTemplateSet.mutationOptions());
  if (setup.isError) {
    return (
      <p role="alert" className="rounded border border-red-200 bg-red-50 p-3 text-sm text-red-900">
        The set-up checklist could not be loaded: {problemOf(setup.error).message}
      </p>
    );
  }
  if (!setup.data) return <Skeleton className="h-24 w-full" />;
  const { remotes, sets } = setup.data;
  const remote = remotes.find((r) => !remoteDone(r)) ?? remotes.at(-1);
  if (remote && remoteDone(remote) && remotes.every(remoteDone)) {
    return (
      <p
        data-testid="first-sync-done"
        className="rounded-lg border border-emerald-200 bg-emerald-50 px-4 py-2 text-sm text-emerald-900"
      >
        ✓ Set up: records sync with {remotes.map((r) => r.name).join(", ")}.
      </p>
    );
  }
  const connected = remote !== undefined;
  const active = connected && remote.outboundState === "active" && remote.inboundState === "active";
  const chosen = connected && (remote.set !== null || remote.bound);
  const brought = connected && (remote.initialSyncJobs > 0 || remote.synced);
  const incidentSet = sets.find((s) => s.id === "incident");
  const remotePage = connected ? `/sync/remotes/${remote.id}` : "/sync";
  return (
    <section
      aria-label="First sync"
      data-testid="first-sync"
      className="rounded-lg border border-brand-100 bg-white"
    >
      <h2 className="border-b border-slate-100 px-4 py-2.5 text-sm font-semibold text-slate-800">
        First sync{connected ? ` with ${remote.name}` : ""}: what is left
      </h2>
      <ol className="flex flex-col divide-y divide-slate-100">
        <Step n={1} done={connected} title="Connect another instance" testId="first-sync-connect">
          {connected ? (
            <p>Paired with {remote.name}.</p>
          ) : (
            <>
              <p className="mb-2">
                Create an invitation here and paste it on the other instance, or paste the other instance's
                invitation here.
              </p>
              <PairingPanel />
            </>
          )}
        </Step>
        <Step n={2} done={active} title="Accepted on both sides" testId="first-sync-accepted">
          {!connected ? (
            <p>Once the other instance accepts, both directions are validated.</p>
          ) : active ? (
            <p>Both directions are validated and active.</p>
          ) : (
            <p>
              {remote.stateMessage || "Not validated yet."}{" "}
              <Link className="text-brand-700 underline" href={remotePage}>
                Open {remote.name} to Validate and Activate
              </Link>
            </p>
          )}
        </Step>
        <Step n={3} done={chosen} title="Choose what to sync" testId="first-sync-set">
          {chosen ? (
            <p>
              {remote.set
                ? `Template set applied on both sides: "${remote.set.event}".`
                : "Flow records bind it."}
            </p>
          ) : incidentSet ? (
            <div className="flex flex-col gap-2">
              <p>{incidentSet.description}</p>
              <div>
                <Button
                  variant="primary"
                  data-testid="first-sync-apply"
                  disabled={!active || apply.isPending}
                  onClick={() =>
                    remote &&
                    apply.mutate(
                      { remoteSystemId: remote.id, set: incidentSet.id },
                      { onSettled: () => void queryClient.invalidateQueries(trpc.syncConfig.pathFilter()) },
                    )
                  }
                >
                  {apply.isPending ? "Applying on both sides…" : "Use the incident template set"}
                </Button>
              </div>
              {apply.error ? (
                <p role="alert" data-testid="first-sync-apply-error" className="text-xs text-red-700">
                  {problemOf(apply.error).message}
                  {problemOf(apply.error).detail ? ` — ${problemOf(apply.error).detail}` : ""}
                </p>
              ) : null}
            </div>
          ) : null}
        </Step>
        <Step n={4} done={chosen && active} title="Activate" testId="first-sync-active">
          {chosen && active ? (
            <p>Active: changes on either side now travel to the other.</p>
          ) : chosen ? (
            <p>
              <Link className="text-brand-700 underline" href={remotePage}>
                Validate and Activate {remote.name}
              </Link>
            </p>
          ) : (
            <p>The template set publishes its flows and binds them; the pair is then active.</p>
          )}
        </Step>
        <Step n={5} done={brought} title="Bring existing records across (optional)" testId="first-sync-bring">
          {chosen && active ? (
            <Link
              className={buttonClass("secondary", "sm")}
              href={`/sync/initial-sync/new?definition=${remote.set?.definitionId ?? remote.definitionId ?? ""}&remote=${remote.id}&mode=create`}
            >
              Bring existing records across
            </Link>
          ) : (
            <p>Records already here can be sent to the other side once the pair is active.</p>
          )}
        </Step>
      </ol>
    </section>
  );
}

type Setup = inferRouterOutputs<AppRouter>["syncConfig"]["setup"];

function remoteDone(r: Setup["remotes"][number]): boolean {
  return (
    r.outboundState === "active" &&
    r.inboundState === "active" &&
    (r.set !== null || r.bound) &&
    (r.initialSyncJobs > 0 || r.synced)
  );
}

function isComplete(data: Setup | undefined): boolean {
  return data !== undefined && data.remotes.length > 0 && data.remotes.every(remoteDone);
}

function Step({
  n,
  done,
  title,
  testId,
  children,
}: {
  n: number;
  done: boolean;
  title: string;
  testId: string;
  children: ReactNode;
}) {
  return (
    <li data-testid={testId} data-done={done} className="flex gap-3 px-4 py-3 text-sm">
      <span
        aria-hidden
        className={`flex h-6 w-6 shrink-0 items-center justify-center rounded-full text-xs font-semibold ${
          done ? "bg-emerald-600 text-white" : "border border-slate-300 text-slate-600"
        }`}
      >
        {done ? "✓" : n}
      </span>
      <div className="min-w-0 flex-1">
        <h3 className="font-medium text-slate-800">
          {title}
          <span className="sr-only">{done ? " (done)" : " (to do)"}</span>
        </h3>
        <div className="mt-1 text-slate-600">{children}</div>
      </div>
    </li>
  );
}
