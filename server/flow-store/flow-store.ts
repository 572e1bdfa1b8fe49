import { and, desc, eq } from "drizzle-orm";
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
import type { Db } from "../db/client";
import { flow, flowVersion } from "../db/schema";
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

/**
 * Flows as stored (SPEC 4.1): an editable draft per flow and immutable numbered versions.
 * Published DAGs are cached in memory by (flow, version): versions never change.
 */
export class FlowStore {
  private readonly dagCache = new Map<string, PublishedFlow>();
  private readonly latest = new Map<string, number | null>();

  constructor(private readonly db: Db) {}

  list(): FlowRow[] {
    return this.db.select().from(flow).orderBy(flow.name).all();
  }

  get(id: string): FlowRow {
    const row = this.db.select().from(flow).where(eq(flow.id, id)).get();
    if (!row) throw new RecordError(404, "Flow not found", `No flow has id ${id}`);
    return row;
  }

  findById(id: string): FlowRow | undefined {
    return this.db.select().from(flow).where(eq(flow.id, id)).get();
  }

  findByName(name: string): FlowRow | undefined {
    return this.db.select().from(flow).where(eq(flow.name, name)).get();
  }

  /** A new draft from a canvas graph (validated; compile errors are allowed in drafts). */
  create(graph: unknown, user: string, options: { id?: string; templateId?: string } = {}): FlowRow {
    const parsed = parseCanvas(graph);
    if (!parsed.graph)
      throw new RecordError(400, "Invalid flow", parsed.diagnostics.map((d) => d.message).join(" "));
    const id = options.id ?? newSysId();
    const now = Date.now();
    return this.db
      .insert(flow)
      .values({
        id,
        name: parsed.graph.name,
        description: parsed.graph.description ?? "",
        kind: parsed.graph.kind,
        draft: { ...parsed.graph, id },
        templateId: options.templateId ?? null,
        createdAt: now,
        updatedAt: now,
        updatedBy: user,
      })
      .returning()
      .get();
  }

  cloneTemplate(templateId: string, name: string, user: string, id?: string): FlowRow {
    const template = getTemplate(templateId);
    if (!template) throw new RecordError(404, "Template not found", `No template has id ${templateId}`);
    const { id: _omit, ...graph } = structuredClone(template.graph);
    return this.create({ ...graph, name }, user, { templateId, ...(id ? { id } : {}) });
  }

  saveDraft(id: string, graph: unknown, user: string): FlowRow {
    this.get(id);
    const parsed = parseCanvas(graph);
    if (!parsed.graph)
      throw new RecordError(400, "Invalid flow", parsed.diagnostics.map((d) => d.message).join(" "));
    const draft: CanvasGraph = { ...parsed.graph, id };
    return this.db
      .update(flow)
      .set({
        draft,
        name: draft.name,
        description: draft.description ?? "",
        kind: draft.kind,
        updatedAt: Date.now(),
        updatedBy: user,
      })
      .where(eq(flow.id, id))
      .returning()
      .get();
  }

  /** Compiles the draft and stores it as the next version; refused while errors remain. */
  publish(id: string, user: string): FlowVersionRow {
    const row = this.get(id);
    const result = compileFlow(row.draft);
    if (!result.dag || hasErrors(result.diagnostics)) throw new PublishRefused(result.diagnostics);
    const version = (row.latestVersion ?? 0) + 1;
    return this.db.transaction((tx) => {
      const inserted = tx
        .insert(flowVersion)
        .values({
          flowId: id,
          version,
          graph: row.draft,
          dag: result.dag,
          publishedAt: Date.now(),
          publishedBy: user,
        })
        .returning()
        .get();
      tx.update(flow).set({ latestVersion: version }).where(eq(flow.id, id)).run();
      this.latest.delete(id);
      return inserted;
    });
  }

  /**
   * Stores a version exactly as numbered elsewhere (configuration imports): compiled here, so
   * a graph that does not compile is refused like a publish.
   */
  importVersion(id: string, version: number, graph: unknown, user: string): void {
    const result = compileFlow(graph);
    if (!result.dag || hasErrors(result.diagnostics)) throw new PublishRefused(result.diagnostics);
    this.db.transaction((tx) => {
      tx.insert(flowVersion)
        .values({ flowId: id, version, graph, dag: result.dag, publishedAt: Date.now(), publishedBy: user })
        .run();
      const row = tx.select().from(flow).where(eq(flow.id, id)).get();
      if ((row?.latestVersion ?? 0) < version)
        tx.update(flow).set({ latestVersion: version }).where(eq(flow.id, id)).run();
    });
    this.latest.delete(id);
  }

  /** Removes a flow and its versions (configuration imports); past executions keep its id. */
  delete(id: string): void {
    this.db.delete(flow).where(eq(flow.id, id)).run();
    this.latest.delete(id);
  }

  /** Forgets cached look-ups after a rolled-back or external change. */
  forgetCaches(): void {
    this.latest.clear();
    this.dagCache.clear();
  }

  versions(id: string): FlowVersionRow[] {
    return this.db
      .select()
      .from(flowVersion)
      .where(eq(flowVersion.flowId, id))
      .orderBy(desc(flowVersion.version))
      .all();
  }

  /** The latest published version, or a chosen one; a clear error when none is published. */
  published(id: string, version?: number | null): PublishedFlow {
    let wanted = version ?? this.latest.get(id);
    if (!wanted) {
      const row = this.get(id);
      wanted = row.latestVersion;
      this.latest.set(id, wanted);
      if (!wanted)
        throw new RecordError(400, "Flow not published", `Flow "${row.name}" has no published version yet`);
    }
    const cacheKey = `${id}@${wanted}`;
    const cached = this.dagCache.get(cacheKey);
    if (cached) return cached;
    const row = this.get(id);
    const v = this.db
      .select()
      .from(flowVersion)
      .where(and(eq(flowVersion.flowId, id), eq(flowVersion.version, wanted)))
      .get();
    if (!v)
      throw new RecordError(404, "Flow version not found", `Flow "${row.name}" has no version ${wanted}`);
    const published = {
      flowId: id,
      name: row.name,
      kind: row.kind,
      version: wanted,
      dag: dagSchema.parse(v.dag),
    };
    this.dagCache.set(cacheKey, published);
    return published;
  }
}
