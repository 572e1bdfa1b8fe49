import {
  type CanvasGraph,
  compileFlow,
  type Dag,
  type Diagnostic,
  dagSchema,
  getTemplate,
  hasErrors,
  parseCanvas,
} from "../../flows";
import type { flow, flowVersion } from "../db/schema";
import { all, get, type Plan, RESYNC, run, type Storage, sql } from "../storage";
import { RecordError } from "../util/errors";
import { newSysId } from "../util/ids";

export type FlowRow = typeof flow.$inferSelect;
export type FlowVersionRow = typeof flowVersion.$inferSelect;

export interface PublishedFlow {
  flowId: string;
  name: string;
  kind: FlowRow["kind"];
  version: number;
  dag: Dag;
}

/** A publish refused because the draft still has errors; carries the diagnostics to show. */
export class PublishRefused extends RecordError {
  constructor(readonly diagnostics: Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === "error");
    super(
      400,
      `The flow has ${errors.length} error${errors.length === 1 ? "" : "s"}; fix ${errors.length === 1 ? "it" : "them"} before publishing`,
      errors
        .slice(0, 5)
        .map((d) => d.message)
        .join(" "),
    );
  }
}

interface FlowDbRow {
  id: string;
  name: string;
  description: string;
  kind: FlowRow["kind"];
  draft: string;
  template_id: string | null;
  latest_version: number | null;
  created_at: number;
  updated_at: number;
  updated_by: string;
}

interface VersionDbRow {
  flow_id: string;
  version: number;
  graph: string;
  dag: string;
  published_at: number;
  published_by: string;
}

// JSON columns are text on both dialects, written and read as drizzle's json mode did.
const flowOf = (r: FlowDbRow): FlowRow => ({
  id: r.id,
  name: r.name,
  description: r.description,
  kind: r.kind,
  draft: JSON.parse(r.draft),
  templateId: r.template_id,
  latestVersion: r.latest_version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});

const versionOf = (r: VersionDbRow): FlowVersionRow => ({
  flowId: r.flow_id,
  version: r.version,
  graph: JSON.parse(r.graph),
  dag: JSON.parse(r.dag),
  publishedAt: r.published_at,
  publishedBy: r.published_by,
});

const Q = {
  // SQLite compares names bytewise (BINARY); "C" is PostgreSQL's bytewise collation
  list: sql<FlowDbRow>({
    sqlite: "SELECT * FROM flow ORDER BY name",
    postgres: 'SELECT * FROM flow ORDER BY name COLLATE "C"',
  }),
  byId: sql<FlowDbRow>("SELECT * FROM flow WHERE id = ?"),
  // publishing reads the draft and the latest number it raises under the row's lock on PostgreSQL
  // (SQLite's write transaction holds the whole database already)
  byIdForUpdate: sql<FlowDbRow>({
    sqlite: "SELECT * FROM flow WHERE id = ?",
    postgres: "SELECT * FROM flow WHERE id = ? FOR UPDATE",
  }),
  byName: sql<FlowDbRow>("SELECT * FROM flow WHERE name = ? LIMIT 1"),
  insert: sql(
    `INSERT INTO flow (id, name, description, kind, draft, template_id, latest_version, created_at, updated_at, updated_by)
     VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)`,
  ),
  saveDraft: sql(
    "UPDATE flow SET draft = ?, name = ?, description = ?, kind = ?, updated_at = ?, updated_by = ? WHERE id = ?",
  ),
  insertVersion: sql(
    "INSERT INTO flow_version (flow_id, version, graph, dag, published_at, published_by) VALUES (?, ?, ?, ?, ?, ?)",
  ),
  setLatest: sql("UPDATE flow SET latest_version = ? WHERE id = ?"),
  raiseLatest: sql(
    "UPDATE flow SET latest_version = ? WHERE id = ? AND (latest_version IS NULL OR latest_version < ?)",
  ),
  // flow_version cascades on both dialects; said explicitly so the answer does not hang on it
  deleteVersions: sql("DELETE FROM flow_version WHERE flow_id = ?"),
  deleteFlow: sql("DELETE FROM flow WHERE id = ?"),
  versions: sql<VersionDbRow>("SELECT * FROM flow_version WHERE flow_id = ? ORDER BY version DESC"),
  version: sql<VersionDbRow>("SELECT * FROM flow_version WHERE flow_id = ? AND version = ?"),
};

const notFound = (id: string) => new RecordError(404, "Flow not found", `No flow has id ${id}`);

function parsedGraph(graph: unknown): CanvasGraph {
  const parsed = parseCanvas(graph);
  if (!parsed.graph)
    throw new RecordError(400, "Invalid flow", parsed.diagnostics.map((d) => d.message).join(" "));
  return parsed.graph;
}

/** The storage work of flows (issue 13): the same plans on SQLite and PostgreSQL. */
export const flowPlans = {
  *list(): Plan<FlowRow[]> {
    return (yield* all(Q.list)).map(flowOf);
  },

  *findById(id: string): Plan<FlowRow | undefined> {
    const row = yield* get(Q.byId, id);
    return row ? flowOf(row) : undefined;
  },

  *get(id: string): Plan<FlowRow> {
    const row = yield* get(Q.byId, id);
    if (!row) throw notFound(id);
    return flowOf(row);
  },

  *findByName(name: string): Plan<FlowRow | undefined> {
    const row = yield* get(Q.byName, name);
    return row ? flowOf(row) : undefined;
  },

  /** A new draft from a canvas graph (validated; compile errors are allowed in drafts). */
  *create(
    graph: unknown,
    user: string,
    options: { id: string; templateId?: string | undefined },
    now: number,
  ): Plan<FlowRow> {
    const parsed = parsedGraph(graph);
    const { id } = options;
    yield* run(
      Q.insert,
      id,
      parsed.name,
      parsed.description ?? "",
      parsed.kind,
      JSON.stringify({ ...parsed, id }),
      options.templateId ?? null,
      now,
      now,
      user,
    );
    return yield* flowPlans.get(id);
  },

  *saveDraft(id: string, graph: unknown, user: string, now: number): Plan<FlowRow> {
    yield* flowPlans.get(id);
    const draft: CanvasGraph = { ...parsedGraph(graph), id };
    yield* run(
      Q.saveDraft,
      JSON.stringify(draft),
      draft.name,
      draft.description ?? "",
      draft.kind,
      now,
      user,
      id,
    );
    return yield* flowPlans.get(id);
  },

  /**
   * Compiles the draft and stores it as the next version, in one transaction (run it with
   * Storage.write/transaction); refused while errors remain.
   */
  *publish(id: string, user: string, now: number): Plan<FlowVersionRow> {
    const found = yield* get(Q.byIdForUpdate, id);
    if (!found) throw notFound(id);
    const row = flowOf(found);
    const result = compileFlow(row.draft);
    if (!result.dag || hasErrors(result.diagnostics)) throw new PublishRefused(result.diagnostics);
    const version = (row.latestVersion ?? 0) + 1;
    yield* run(
      Q.insertVersion,
      id,
      version,
      JSON.stringify(row.draft),
      JSON.stringify(result.dag),
      now,
      user,
    );
    yield* run(Q.setLatest, version, id);
    const inserted = yield* get(Q.version, id, version);
    if (!inserted) throw new Error(`flow ${id}: version ${version} vanished while publishing`);
    return versionOf(inserted);
  },

  /** A version exactly as numbered elsewhere (configuration imports), compiled like a publish. */
  *importVersion(id: string, version: number, graph: unknown, user: string, now: number): Plan<void> {
    const result = compileFlow(graph);
    if (!result.dag || hasErrors(result.diagnostics)) throw new PublishRefused(result.diagnostics);
    yield* run(Q.insertVersion, id, version, JSON.stringify(graph), JSON.stringify(result.dag), now, user);
    yield* run(Q.raiseLatest, version, id, version);
  },

  *delete(id: string): Plan<void> {
    yield* run(Q.deleteVersions, id);
    yield* run(Q.deleteFlow, id);
  },

  *versions(id: string): Plan<FlowVersionRow[]> {
    return (yield* all(Q.versions, id)).map(versionOf);
  },

  /** The latest published version (`version` null), or a chosen one; a clear error when none is. */
  *published(id: string, version: number | null): Plan<PublishedFlow> {
    const row = yield* flowPlans.get(id);
    const wanted = version ?? row.latestVersion;
    if (!wanted)
      throw new RecordError(400, "Flow not published", `Flow "${row.name}" has no published version yet`);
    const v = yield* get(Q.version, id, wanted);
    if (!v)
      throw new RecordError(404, "Flow version not found", `Flow "${row.name}" has no version ${wanted}`);
    return {
      flowId: id,
      name: row.name,
      kind: row.kind,
      version: wanted,
      dag: dagSchema.parse(JSON.parse(v.dag)),
    };
  },
};

/**
 * Flows as stored (SPEC 4.1): an editable draft per flow and immutable numbered versions, on
 * both dialects (issue 13).
 *
 * The runner reads published flows on its hot path, so `published` answers from memory once it
 * has seen a flow: DAGs by (flow, version), which never change, and each flow's latest version
 * number. The latter is forgotten when this process publishes, imports, or deletes the flow
 * (after the write settles), or on `forgetCaches` (configuration imports, rolled-back changes);
 * a read that was under way while it was forgotten does not put its answer back (generation).
 * Every process forgets the same (issue 13): after its commit, a change is signalled on "flows"
 * (payload: the flow's id, "" for all), and each FlowStore listens; RESYNC forgets everything.
 */
export class FlowStore {
  private readonly dagCache = new Map<string, PublishedFlow>();
  private readonly latest = new Map<string, number>();
  /** Reads of published flows under way, by flow and version asked for. */
  private readonly reading = new Map<string, Promise<PublishedFlow>>();
  private generation = 0;

  constructor(private readonly storage: Storage) {
    storage.signals.listen("flows", (id) => {
      if (id === "" || id === RESYNC) this.forgetAll();
      else this.forget(id);
    });
  }

  list(): Promise<FlowRow[]> {
    return this.storage.read(flowPlans.list());
  }

  get(id: string): Promise<FlowRow> {
    return this.storage.read(flowPlans.get(id));
  }

  findById(id: string): Promise<FlowRow | undefined> {
    return this.storage.read(flowPlans.findById(id));
  }

  findByName(name: string): Promise<FlowRow | undefined> {
    return this.storage.read(flowPlans.findByName(name));
  }

  /** A new draft from a canvas graph (validated; compile errors are allowed in drafts). */
  create(graph: unknown, user: string, options: { id?: string; templateId?: string } = {}): Promise<FlowRow> {
    const id = options.id ?? newSysId();
    return this.storage.write(() => flowPlans.create(graph, user, { ...options, id }, Date.now()));
  }

  async cloneTemplate(templateId: string, name: string, user: string, id?: string): Promise<FlowRow> {
    const template = getTemplate(templateId);
    if (!template) throw new RecordError(404, "Template not found", `No template has id ${templateId}`);
    const { id: _omit, ...graph } = structuredClone(template.graph);
    return this.create({ ...graph, name }, user, { templateId, ...(id ? { id } : {}) });
  }

  saveDraft(id: string, graph: unknown, user: string): Promise<FlowRow> {
    return this.storage.write(() => flowPlans.saveDraft(id, graph, user, Date.now()));
  }

  /** Compiles the draft and stores it as the next version, in one transaction; refused while errors remain. */
  async publish(id: string, user: string): Promise<FlowVersionRow> {
    try {
      const version = await this.storage.write(() => flowPlans.publish(id, user, Date.now()));
      this.storage.signals.notify("flows", id);
      return version;
    } finally {
      this.forget(id);
    }
  }

  /**
   * Stores a version exactly as numbered elsewhere (configuration imports): compiled here, so
   * a graph that does not compile is refused like a publish.
   */
  async importVersion(id: string, version: number, graph: unknown, user: string): Promise<void> {
    try {
      await this.storage.write(() => flowPlans.importVersion(id, version, graph, user, Date.now()));
      this.storage.signals.notify("flows", id);
    } finally {
      this.forget(id);
    }
  }

  /** Removes a flow and its versions (configuration imports); past executions keep its id. */
  async delete(id: string): Promise<void> {
    try {
      await this.storage.write(() => flowPlans.delete(id));
      this.storage.signals.notify("flows", id);
    } finally {
      this.forget(id);
    }
  }

  /**
   * Forgets cached look-ups after a rolled-back or external change (call it after the commit):
   * in every process, through the signal "flows".
   */
  forgetCaches(): void {
    this.forgetAll();
    this.storage.signals.notify("flows", "");
  }

  private forgetAll(): void {
    this.generation += 1;
    this.reading.clear(); // a read begun before the change is not joined after it
    this.latest.clear();
    this.dagCache.clear();
  }

  versions(id: string): Promise<FlowVersionRow[]> {
    return this.storage.read(flowPlans.versions(id));
  }

  /**
   * The latest published version, or a chosen one; a clear error when none is published. From
   * memory once seen (see the class): no statement on the hot path.
   */
  async published(id: string, version?: number | null): Promise<PublishedFlow> {
    const wanted = version ?? this.latest.get(id);
    if (wanted) {
      const cached = this.dagCache.get(`${id}@${wanted}`);
      if (cached) return cached;
    }
    // The rows of a burst all ask at once after a cache was forgotten: one read answers them.
    const key = `${id}@${version ?? "latest"}`;
    const under = this.reading.get(key);
    if (under) return under;
    const reading = this.read(id, version ?? null, wanted || null).finally(() => {
      if (this.reading.get(key) === reading) this.reading.delete(key);
    });
    this.reading.set(key, reading);
    return reading;
  }

  private async read(id: string, version: number | null, wanted: number | null): Promise<PublishedFlow> {
    const generation = this.generation;
    const found = await this.storage.read(flowPlans.published(id, wanted));
    if (generation === this.generation) {
      if (!version) this.latest.set(id, found.version);
      this.dagCache.set(`${id}@${found.version}`, found);
    }
    return found;
  }

  private forget(id: string): void {
    this.generation += 1;
    this.reading.clear();
    this.latest.delete(id);
  }
}
