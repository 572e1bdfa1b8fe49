import { get, type Plan, type Storage, sql } from "../storage";
import type { SyncConfig } from "../sync/config-store";
import type { TemplateSets } from "./template-sets";

// What the dashboard's first-sync checklist shows (issue 17): for each remote system, how far
// the pair is from its first synced record. Every figure is read, none is stored: the checklist
// follows whatever way the admin got there (pairing, the forms, a configuration import).

export interface RemoteSetup {
  id: string;
  name: string;
  outboundState: string;
  inboundState: string;
  stateMessage: string;
  /** The remote's sync definition (an initial sync starts from it). */
  definitionId: string | null;
  /** The template set's process event and definition, once applied for this remote. */
  set: { event: string; definitionId: string } | null;
  /** Any flow record binds this remote (built by hand, or by a template set). */
  bound: boolean;
  initialSyncJobs: number;
  /** At least one record is correlated with this remote. */
  synced: boolean;
}

const Q = {
  jobs: sql<{ n: number }>("SELECT count(*) AS n FROM initial_sync_job WHERE remote_system_id = ?"),
  synced: sql<{ n: number }>("SELECT 1 AS n FROM correlation WHERE remote_system_id = ? LIMIT 1"),
};

function* remoteFigures(remoteId: string): Plan<{ jobs: number; synced: boolean }> {
  const jobs = Number((yield* get(Q.jobs, remoteId))?.n ?? 0);
  const synced = (yield* get(Q.synced, remoteId)) !== undefined;
  return { jobs, synced };
}

export async function setupChecklist(deps: {
  storage: Storage;
  config: SyncConfig;
  templateSets: TemplateSets;
}): Promise<{ remotes: RemoteSetup[]; sets: ReturnType<TemplateSets["list"]> }> {
  const snapshot = deps.config.snapshot();
  const bindings = [...snapshot.bindingsById.values()];
  const remotes = [...snapshot.remotesById.values()].sort((a, b) => a.createdAt - b.createdAt);
  const out: RemoteSetup[] = [];
  for (const r of remotes) {
    const figures = await deps.storage.read(remoteFigures(r.id));
    out.push({
      id: r.id,
      name: r.name,
      outboundState: r.outboundState,
      inboundState: r.inboundState,
      stateMessage: r.stateMessage,
      definitionId: r.definitionId,
      set: deps.templateSets.appliedFor(r.id),
      bound: bindings.some((b) => b.remoteSystemId === r.id && b.active),
      initialSyncJobs: figures.jobs,
      synced: figures.synced,
    });
  }
  return { remotes: out, sets: deps.templateSets.list() };
}
